/**
 * `functions/{name}/actions/execute` (wire spec §9.1): arguments from the query, an `arguments=` JSON map
 * and a JSON body, handed to a handler registered with `registerFunction`. The success reply has a
 * lower-case `code` and no `status`, as Zoho's.
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { error, invalidData, invalidMethod, invalidUrl, json, MSG, paramMissing, patternNotMatched } from './responses.js';
import { covers } from './scopes.js';
import { isObject, type CrmState } from './state.js';

const RESERVED = new Set(['auth_type', 'zapikey', 'arguments']);

function parseArgs(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function functionsRoute(state: CrmState, req: CrmRequest, rest: string[]): Promise<EmuResponse> {
  const [name, actions, execute] = rest;
  if (name === undefined || actions !== 'actions' || execute !== 'execute' || rest.length !== 3) return invalidUrl();
  if (req.method !== 'GET' && req.method !== 'POST') return invalidMethod();
  if (!covers(req.scopes, { kind: 'functions' })) return error(401, 'OAUTH_SCOPE_MISMATCH', MSG.scopeMismatch);
  const authType = req.query['auth_type'];
  if (authType === undefined || authType === '') return paramMissing('auth_type');
  if (authType !== 'oauth' && authType !== 'apikey') return patternNotMatched('auth_type');
  const handler = state.functionHandler(name);
  if (handler === undefined) return invalidData({ api_name: name }, 'the function name given seems to be invalid');
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) if (!RESERVED.has(k)) args[k] = v;
  for (const [k, v] of Object.entries(req.fields)) if (!RESERVED.has(k)) args[k] = v;
  const fromParam = req.query['arguments'] ?? req.fields['arguments'];
  if (fromParam !== undefined) {
    const parsed = parseArgs(fromParam);
    if (parsed === undefined) return invalidData({ param_name: 'arguments' });
    Object.assign(args, parsed);
  }
  const body = req.json;
  if (isObject(body)) {
    const inner = body['arguments'];
    const fromBody = isObject(inner) ? inner : typeof inner === 'string' ? parseArgs(inner) : body;
    Object.assign(args, fromBody ?? body);
  }
  let output: unknown;
  try {
    output = await handler({ method: req.method, query: { ...req.query }, body, arguments: args, userId: req.userId });
  } catch {
    return error(500, 'INTERNAL_ERROR', MSG.internal);
  }
  const text = output === undefined || output === null ? '' : typeof output === 'string' ? output : JSON.stringify(output);
  return json(200, {
    code: 'success',
    details: { output: text, output_type: 'string', id: req.userId },
    message: 'function executed successfully',
  });
}
