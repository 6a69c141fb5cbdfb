/**
 * Deluge functions exposed over REST (wire spec §9.1): `crm.functions(name).get(args)` or `.post(body, args)`,
 * at `/functions/{name}/actions/execute?auth_type=oauth`. Zoho's success reply has a lower-case `code` and no
 * `status`; `output` is the function's return value as a string.
 */
import { ApiError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import { assertModuleName } from '../internal/path.js';
import { requestFields, type RequestOptions } from './request-options.js';
import { APIResource, type RequestSender } from './resource.js';

/** Arguments of a function call. Values are sent as JSON in `arguments`. */
export type FunctionArguments = Record<string, string | number | boolean | null | readonly unknown[] | Record<string, unknown>>;

/** What a function returned. */
export interface FunctionResult {
  code: string;
  message: string;
  details: { output: string; output_type?: string; id?: string; [key: string]: unknown };
  /** `details.output` parsed as JSON when it is JSON, else the string itself. */
  output: unknown;
}

/** One REST-enabled function, by its API name. */
export class FunctionResource extends APIResource {
  readonly name: string;

  constructor(client: RequestSender, name: string) {
    super(client);
    this.name = assertModuleName(name, 'function API name');
  }

  /** Runs the function with GET; `args` go in the `arguments` query parameter. */
  get(args: FunctionArguments = {}, options: RequestOptions = {}): Promise<FunctionResult> {
    return this.#execute('GET', args, undefined, options);
  }

  /** Runs the function with POST; `body` is sent as the JSON body, `args` in the `arguments` query parameter. */
  post(body: Record<string, unknown> = {}, args: FunctionArguments = {}, options: RequestOptions = {}): Promise<FunctionResult> {
    return this.#execute('POST', args, body, options);
  }

  async #execute(method: 'GET' | 'POST', args: FunctionArguments, body: Record<string, unknown> | undefined, options: RequestOptions): Promise<FunctionResult> {
    const reply = await this.client.requestJson<Record<string, unknown>>({
      method,
      path: ['functions', this.name, 'actions', 'execute'],
      query: { auth_type: 'oauth', arguments: Object.keys(args).length === 0 ? undefined : JSON.stringify(args) },
      ...(body === undefined ? {} : { json: body }),
      ...requestFields(options),
    });
    const details = isObject(reply?.['details']) ? reply['details'] : undefined;
    if (reply === undefined || details === undefined || String(reply['code']).toLowerCase() !== 'success') {
      throw new ApiError({
        status: 200,
        code: typeof reply?.['code'] === 'string' ? reply['code'] : 'INVALID_RESPONSE',
        message: `Function '${this.name}' did not run: ${typeof reply?.['message'] === 'string' ? reply['message'] : 'Zoho sent no result'}.`,
        details,
      });
    }
    const output = typeof details['output'] === 'string' ? details['output'] : '';
    return {
      code: String(reply['code']),
      message: typeof reply['message'] === 'string' ? reply['message'] : '',
      details: { ...details, output },
      output: parseOutput(output),
    };
  }
}

function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
