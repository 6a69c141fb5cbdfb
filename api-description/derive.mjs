#!/usr/bin/env node
// Derives the facts-only description of Zoho CRM v8 (api-description/v8/*.json) from Zoho's
// OpenAPI files (zoho/crm-oas, folder v8.0). Keeps names, types and codes; drops every prose field.
//
//   node api-description/derive.mjs --oas /path/to/crm-oas/v8.0 [--commit <sha>] [--out <dir>]

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Output key order of a normalized schema; everything else is dropped. */
const SCHEMA_KEYS = [
  '$ref', 'type', 'format', 'nullable', 'enum', 'pattern', 'minimum', 'maximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'items', 'properties', 'required',
  'additionalProperties', 'anyOf', 'allOf',
];

/**
 * Our corrections to Zoho's OAS (each is listed in README.md under "Quirk fixes").
 * Keyed by `<area>/<operationId>`.
 */
const MISSING_PARAMS = {
  // notes.json refers to #/components/parameters/If-Modified-Since, which it does not define.
  '#/components/parameters/If-Modified-Since': {
    name: 'If-Modified-Since', in: 'header', required: false,
    schema: { type: 'string', format: 'date-time' },
  },
};
/** Statuses Zoho sends but the OAS omits: `copy` reuses the listed status's entry, else empty. */
const ADDED_RESPONSES = {
  'notes/Create Notes': { 201: { copy: '200' } },
  'record/Mass Update Records': { 202: { copy: '200' } },
  'mass_update/IDSUpdate': { 202: { copy: '200' } },
  'record/Get Deleted Records': { 204: {} },
  'record/Get Photo': { 204: {} },
};
/** Properties the OAS does not mark nullable but Zoho sends as null. */
const NULLABLE_FIXES = [
  { area: 'convert_lead', schema: 'Successful_Convert', property: 'Deals' },
];
/**
 * Patterns that refuse values Zoho sends: an exchange rate is up to nine digits and nine decimals, and the
 * home currency's is 1.000000000, which `[1-9][0-9]{1,8}` (two digits at least) refuses.
 */
const PATTERN_FIXES = [
  { area: 'currencies', schema: 'Currency', property: 'exchange_rate', pattern: '^[0-9]{1,9}[.][0-9]{9}$' },
  { area: 'currencies', schema: 'Base_Currency', property: 'exchange_rate', pattern: '^[0-9]{1,9}[.][0-9]{9}$' },
];

/**
 * Keys the OAS requires that Zoho's API documentation makes optional in a request: Add Currencies (v8) lists
 * symbol and format as optional (the home currency's defaults apply).
 */
const REQUIRED_FIXES = [{ area: 'currencies', schema: 'Currency', optional: ['symbol', 'format'] }];

/**
 * Types the OAS gets wrong, by property path inside a schema: the tag mass-delete reply's `details.job_id` is the
 * job's id, a string in Zoho's v8 docs (and in the same file's status reply, whose `job_id` the status GET takes);
 * the OAS types it a bare object.
 */
const TYPE_FIXES = [{ area: 'mass_delete_tags', schema: 'success', path: ['details', 'job_id'], from: 'object', type: 'string' }];

/**
 * Schemas the OAS requires every key of where Zoho takes one of several shapes. A mass change owner's
 * `criteria` node is either a condition (`field`, `comparator`, `value`) or a group (`group_operator`,
 * `group`), as Zoho's v8 docs and SDK send it; the OAS requires all five on every node, so a plain condition
 * is refused. Each shape becomes a schema of its own, `<schema>_<Shape>`, with its keys (required) and the
 * properties `replace` gives, and the schema becomes an anyOf of the shapes. A condition names its field by
 * `api_name` (the OAS also requires `id`) and its value is any JSON value (a string, number or list; the OAS
 * says object).
 */
const EITHER_FIXES = [
  {
    area: 'mass_change_owner',
    schema: 'Criteria',
    shapes: {
      Condition: {
        required: ['field', 'comparator', 'value'],
        replace: { field: { type: 'object', properties: { api_name: { type: 'string' }, id: { type: 'string' } }, required: ['api_name'] }, value: {} },
      },
      Group: { required: ['group_operator', 'group'], replace: {} },
    },
  },
];

function main() {
  const { values } = parseArgs({
    options: {
      oas: { type: 'string' },
      commit: { type: 'string' },
      out: { type: 'string', default: join(HERE, 'v8') },
    },
  });
  if (!values.oas) {
    throw new Error('Missing --oas. Pass the v8.0 folder of zoho/crm-oas: npm run derive -- --oas /path/to/crm-oas/v8.0');
  }
  const oasDir = resolve(values.oas);
  const commit = values.commit ?? gitCommit(oasDir);
  if (!/^[0-9a-f]{40}$/.test(commit ?? '')) {
    throw new Error(`No commit for ${oasDir}. Pass --commit <40 hex> (the zoho/crm-oas commit the files come from).`);
  }
  const { files, report } = derive(readOas(oasDir), commit, basename(oasDir));
  const outDir = resolve(values.out);
  const overlay = readOverlay(outDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, value] of Object.entries(files)) writeFileSync(join(outDir, name), stringify(value));
  writeFileSync(join(outDir, 'overlay.json'), overlay);
  for (const line of report) console.error(line);
}

/** Keeps the overlay (our own facts) across re-derivations; starts it empty. */
function readOverlay(outDir) {
  try {
    return readFileSync(join(outDir, 'overlay.json'), 'utf8');
  } catch {
    return stringify({ bodies: {} });
  }
}

function gitCommit(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** @returns {Map<string, any>} area -> parsed OAS document, in file-name order */
function readOas(dir) {
  const docs = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    docs.set(file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  if (docs.size === 0) throw new Error(`No .json files in ${dir}; --oas must be the v8.0 folder.`);
  return docs;
}

export function stringify(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Splits a Zoho `$ref` (same-file pointer or raw.githubusercontent.com URL) into area + pointer. */
function parseRef(ref, area) {
  const hash = ref.indexOf('#');
  if (hash < 0) throw new Error(`${area}: $ref without a fragment: ${ref}`);
  const file = ref.slice(0, hash);
  const target = file === '' ? area : basename(file).replace(/\.json$/, '');
  const pointer = ref.slice(hash + 1);
  return { area: target, pointer };
}

function lookup(docs, area, pointer) {
  let node = docs.get(area);
  for (const raw of pointer.split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[part];
  }
  return node;
}

/** Rewrites a schema reference to `<area>#/schemas/<Name>`. */
function schemaRef(ref, area) {
  const target = parseRef(ref, area);
  const m = /^\/components\/schemas\/([^/]+)$/.exec(target.pointer);
  if (!m) throw new Error(`${area}: schema $ref is not to components/schemas: ${ref}`);
  return `${target.area}#/schemas/${decodeURIComponent(m[1])}`;
}

/** Normalizes one schema to the subset described in README.md ("Schema normal form"). */
function normalizeSchema(schema, area) {
  if (schema === true || schema === false) return schema;
  if (schema === null || typeof schema !== 'object') throw new Error(`${area}: not a schema: ${JSON.stringify(schema)}`);
  /** @type {Record<string, unknown>} */
  const src = { ...schema };
  if (src.oneOf) {
    src.anyOf = [...(src.anyOf ?? []), ...src.oneOf];
    delete src.oneOf;
  }
  const out = {};
  for (const key of SCHEMA_KEYS) {
    if (!(key in src)) continue;
    const v = src[key];
    switch (key) {
      case '$ref': out.$ref = schemaRef(v, area); break;
      case 'enum': {
        if (v.length < 2) break; // one value comes from one sample org: keep only the base type
        out.enum = src.nullable === true && !v.includes(null) ? [...v, null] : [...v];
        break;
      }
      case 'items': out.items = normalizeSchema(v, area); break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, normalizeProperty(k, s, area)]));
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof v === 'boolean' ? v : normalizeSchema(v, area);
        break;
      case 'anyOf':
      case 'allOf': out[key] = v.map((s) => normalizeSchema(s, area)); break;
      case 'required': out.required = [...new Set(v)]; break;
      case 'nullable': if (typeof v === 'boolean') out.nullable = v; break;
      default: out[key] = v;
    }
  }
  // ajv refuses `nullable` without `type`; say the same thing with anyOf.
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** A `message` enum lists one sample org's English sentences: prose, and not what other orgs get. */
function normalizeProperty(name, schema, area) {
  const out = normalizeSchema(schema, area);
  if (name === 'message' && out.enum) delete out.enum;
  return out;
}

function resolveComponent(docs, area, obj, kind, where) {
  if (obj?.$ref === undefined) return { value: obj, area };
  if (MISSING_PARAMS[obj.$ref] && !lookup(docs, area, obj.$ref.slice(1))) {
    return { value: MISSING_PARAMS[obj.$ref], area, fixed: true };
  }
  const target = parseRef(obj.$ref, area);
  if (!target.pointer.startsWith(`/components/${kind}/`)) throw new Error(`${where}: unexpected ${kind} $ref ${obj.$ref}`);
  const value = lookup(docs, target.area, target.pointer);
  if (value === undefined) throw new Error(`${where}: broken $ref ${obj.$ref}`);
  return resolveComponent(docs, target.area, value, kind, where);
}

/** One media type: `{ contentType, schema }` (schema null when the OAS gives none). */
function mediaType(content, area, where) {
  const types = Object.keys(content ?? {});
  if (types.length === 0) return undefined;
  if (types.length > 1) throw new Error(`${where}: several content types (${types.join(', ')}); the format allows one`);
  const mt = content[types[0]];
  return { contentType: types[0], schema: mt.schema === undefined ? null : normalizeSchema(mt.schema, area) };
}

/**
 * Collects error codes: the `code` enums of every object in an error status (4xx/5xx), and of
 * objects whose `status` is "error" in any other status (Zoho puts API_Exception in 200 replies).
 */
function collectErrorCodes(docs, area, schema, isErrorStatus, codes, seen) {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref !== undefined) {
    const target = parseRef(schema.$ref, area);
    const key = `${target.area}#${target.pointer}`;
    if (seen.has(key)) return;
    seen.add(key);
    collectErrorCodes(docs, target.area, lookup(docs, target.area, target.pointer), isErrorStatus, codes, seen);
    return;
  }
  const props = schema.properties ?? {};
  const isErrorObject = isErrorStatus || (props.status?.enum ?? []).includes('error');
  if (isErrorObject && Array.isArray(props.code?.enum)) {
    for (const c of props.code.enum) if (typeof c === 'string') codes.add(c);
  }
  for (const sub of Object.values(props)) collectErrorCodes(docs, area, sub, isErrorStatus, codes, seen);
  for (const key of ['items', 'additionalProperties']) collectErrorCodes(docs, area, schema[key], isErrorStatus, codes, seen);
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    for (const sub of schema[key] ?? []) collectErrorCodes(docs, area, sub, isErrorStatus, codes, seen);
  }
}

function scopesOf(requirements) {
  const scopes = new Set();
  for (const req of requirements ?? []) for (const list of Object.values(req)) for (const s of list) scopes.add(s);
  return [...scopes].sort();
}

function deriveOperation(docs, area, doc, path, method, op, report) {
  const where = `${area} ${method.toUpperCase()} ${path}`;
  const key = `${area}/${op.operationId}`;
  /** @type {Record<string, unknown>} */
  const out = { operationId: op.operationId, method: method.toUpperCase(), path };
  if (op.servers?.length) out.server = op.servers[0].url;

  const params = [];
  for (const raw of [...(doc.paths[path].parameters ?? []), ...(op.parameters ?? [])]) {
    const { value: p, area: pArea, fixed } = resolveComponent(docs, area, raw, 'parameters', where);
    if (fixed) report.push(`fixed: ${key}: missing parameter ${raw.$ref} defined as header ${p.name}`);
    if (params.some((q) => q.name === p.name && q.in === p.in)) throw new Error(`${where}: parameter ${p.in} ${p.name} twice`);
    params.push({
      name: p.name,
      in: p.in,
      required: p.in === 'path' ? true : p.required === true,
      schema: p.schema === undefined ? {} : normalizeSchema(p.schema, pArea),
    });
  }
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    if (!params.some((p) => p.in === 'path' && p.name === m[1])) throw new Error(`${where}: path parameter ${m[1]} not declared`);
  }
  out.params = params;

  if (op.requestBody !== undefined) {
    const { value: rb, area: rbArea } = resolveComponent(docs, area, op.requestBody, 'requestBodies', where);
    const media = mediaType(rb.content, rbArea, where);
    out.body = { required: rb.required === true, contentType: media?.contentType ?? null, schema: media?.schema ?? null };
    if (out.body.schema === null) report.push(`schema-less body: ${key} (${out.body.contentType})`);
  }

  const responses = {};
  const codes = new Set();
  for (const [status, raw] of Object.entries(op.responses ?? {})) {
    const { value: r, area: rArea } = resolveComponent(docs, area, raw, 'responses', where);
    const media = mediaType(r.content, rArea, where);
    responses[status] = media ?? {};
    const isError = /^[45]/.test(status);
    for (const mt of Object.values(r.content ?? {})) collectErrorCodes(docs, rArea, mt.schema, isError, codes, new Set());
  }
  for (const [status, add] of Object.entries(ADDED_RESPONSES[key] ?? {})) {
    if (responses[status] !== undefined) throw new Error(`${key}: ${status} is in the OAS now; drop the fix`);
    responses[status] = add.copy ? structuredClone(responses[add.copy]) : {};
    report.push(`fixed: ${key}: added response ${status}`);
  }
  out.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  if (codes.size) out.errorCodes = [...codes].sort();
  out.scopes = scopesOf(op.security ?? doc.security);
  return out;
}

/**
 * @param {Map<string, any>} docs area -> OAS document
 * @returns {{ files: Record<string, unknown>, report: string[] }}
 */
export function derive(docs, commit, folder = 'v8.0') {
  const report = [];
  const files = {};
  let operationCount = 0;
  for (const [area, doc] of docs) {
    const operations = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
        operations.push(deriveOperation(docs, area, doc, path, method, item[method], report));
      }
    }
    const schemas = Object.fromEntries(
      Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [name, normalizeSchema(s, area)]),
    );
    for (const fix of NULLABLE_FIXES.filter((f) => f.area === area)) {
      const owner = schemas[fix.schema];
      const prop = owner?.properties?.[fix.property];
      if (!prop) throw new Error(`${area}: nullable fix target ${fix.schema}.${fix.property} is gone`);
      owner.properties[fix.property] = prop.type !== undefined ? { ...prop, nullable: true } : { anyOf: [prop, { type: 'null' }] };
      report.push(`fixed: ${area}: ${fix.schema}.${fix.property} nullable`);
    }
    for (const fix of PATTERN_FIXES.filter((f) => f.area === area)) {
      const prop = schemas[fix.schema]?.properties?.[fix.property];
      if (prop?.pattern === undefined) throw new Error(`${area}: pattern fix target ${fix.schema}.${fix.property} is gone`);
      prop.pattern = fix.pattern;
      report.push(`fixed: ${area}: ${fix.schema}.${fix.property} pattern`);
    }
    for (const fix of REQUIRED_FIXES.filter((f) => f.area === area)) {
      const schema = schemas[fix.schema];
      if (!fix.optional.every((k) => schema?.required?.includes(k))) throw new Error(`${area}: required fix target ${fix.schema} (${fix.optional.join(', ')}) is gone`);
      schema.required = schema.required.filter((k) => !fix.optional.includes(k));
      report.push(`fixed: ${area}: ${fix.schema} ${fix.optional.join(', ')} optional`);
    }
    for (const fix of TYPE_FIXES.filter((f) => f.area === area)) {
      const prop = fix.path.reduce((at, key) => at?.properties?.[key], schemas[fix.schema]);
      if (prop?.type !== fix.from) throw new Error(`${area}: type fix target ${fix.schema}.${fix.path.join('.')} (${fix.from}) is gone`);
      prop.type = fix.type;
      report.push(`fixed: ${area}: ${fix.schema}.${fix.path.join('.')} ${fix.type}`);
    }
    for (const fix of EITHER_FIXES.filter((f) => f.area === area)) {
      const schema = schemas[fix.schema];
      const keys = Object.values(fix.shapes).flatMap((shape) => shape.required);
      if (!keys.every((k) => schema?.required?.includes(k) && schema.properties?.[k] !== undefined)) {
        throw new Error(`${area}: either fix target ${fix.schema} (${keys.join(', ')} all required) is gone`);
      }
      for (const [shape, { required, replace }] of Object.entries(fix.shapes)) {
        const properties = Object.fromEntries(required.map((k) => [k, replace[k] ?? schema.properties[k]]));
        schemas[`${fix.schema}_${shape}`] = { type: 'object', properties, required };
      }
      schemas[fix.schema] = { anyOf: Object.keys(fix.shapes).map((shape) => ({ $ref: `${area}#/schemas/${fix.schema}_${shape}` })) };
      report.push(`fixed: ${area}: ${fix.schema} is one of ${Object.keys(fix.shapes).join(', ')}`);
    }
    operationCount += operations.length;
    files[`${area}.json`] = { $id: area, area, operations, schemas };
  }
  files['index.json'] = {
    source: { repository: 'zoho/crm-oas', folder, commit },
    version: 'v8',
    areas: [...docs.keys()],
    operationCount,
  };
  return { files, report };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
