// Loads the derived description of Zoho CRM v8 (v8/*.json) and merges our overlay (v8/overlay.json): bodies the OAS
// leaves without a schema, and whole areas Zoho serves that the OAS does not describe.
// Plain ESM with JSDoc types, so the generator and the emulator can both use it at build time.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the committed description. */
export const DEFAULT_DESCRIPTION_DIR = join(dirname(fileURLToPath(import.meta.url)), 'v8');

/**
 * A JSON-Schema subset (ajv draft-07 with `strict: false` accepts it).
 * `$ref` is always `"<area>#/schemas/<Name>"`.
 * @typedef {{
 *   $ref?: string,
 *   type?: 'object' | 'string' | 'array' | 'integer' | 'boolean' | 'number' | 'null',
 *   format?: string,
 *   nullable?: boolean,
 *   enum?: Array<string | number | boolean | null>,
 *   pattern?: string,
 *   minimum?: number,
 *   maximum?: number,
 *   minLength?: number,
 *   maxLength?: number,
 *   minItems?: number,
 *   maxItems?: number,
 *   items?: Schema,
 *   properties?: { [name: string]: Schema },
 *   required?: string[],
 *   additionalProperties?: boolean | Schema,
 *   anyOf?: Schema[],
 *   allOf?: Schema[],
 * }} Schema
 */

/**
 * @typedef {{ name: string, in: 'path' | 'query' | 'header', required: boolean, schema: Schema }} Param
 */

/**
 * `schema` is null where Zoho's OAS names a content type but no schema, unless the overlay fills it
 * (then `fromOverlay` is true).
 * @typedef {{ required: boolean, contentType: string | null, schema: Schema | null, fromOverlay?: true }} Body
 */

/**
 * An empty object is a reply without a body (204 and the like).
 * @typedef {{ contentType?: string, schema?: Schema | null }} Response
 */

/**
 * @typedef {{
 *   area: string,
 *   operationId: string,
 *   method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
 *   path: string,
 *   server?: string,
 *   params: Param[],
 *   body?: Body,
 *   responses: { [status: string]: Response },
 *   errorCodes?: string[],
 *   scopes: string[],
 *   fromOverlay?: true,
 * }} Operation
 */

/**
 * One derived file, `v8/<area>.json`. Register these with ajv (`ajv.addSchema(doc)`) so that
 * `"<area>#/schemas/<Name>"` references resolve.
 * @typedef {{ $id: string, area: string, operations: Omit<Operation, 'area'>[], schemas: { [name: string]: Schema } }} AreaDocument
 */

/**
 * `areas`: areas Zoho serves (its SDKs have operations classes for them) that the OAS does not describe, in the
 * same form as a derived area file; their operations carry `fromOverlay: true`.
 * @typedef {{ repository: string, folder: string, commit: string }} Source
 * @typedef {{
 *   bodies: { [areaSlashOperationId: string]: { contentType?: string, schema: Schema } },
 *   areas?: { [area: string]: { operations: Omit<Operation, 'area'>[], schemas: { [name: string]: Schema } } },
 * }} Overlay
 */

/**
 * @typedef {{
 *   source: Source,
 *   version: string,
 *   areas: string[],
 *   operations: Operation[],
 *   schemas: { [ref: string]: Schema },
 *   documents: AreaDocument[],
 *   resolveRef: (ref: string) => Schema,
 * }} Description
 */

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Reads index.json, every area file and overlay.json (whose areas follow the derived ones, in `areas`,
 * `documents` and `operations`).
 * @param {string} [dir] the folder with index.json; default: this package's `v8/`
 * @returns {Description}
 */
export function loadDescription(dir = DEFAULT_DESCRIPTION_DIR) {
  const index = readJson(join(dir, 'index.json'));
  const overlay = /** @type {Overlay} */ (readJson(join(dir, 'overlay.json')));
  /** @type {AreaDocument[]} */
  const documents = index.areas.map((area) => readJson(join(dir, `${area}.json`)));
  documents.push(...overlayDocuments(index.areas, overlay));
  /** @type {Operation[]} */
  const operations = [];
  /** @type {{ [ref: string]: Schema }} */
  const schemas = {};
  for (const doc of documents) {
    const fromOverlay = !index.areas.includes(doc.area);
    for (const op of doc.operations) operations.push({ area: doc.area, ...structuredClone(op), ...(fromOverlay ? { fromOverlay: /** @type {const} */ (true) } : {}) });
    for (const [name, schema] of Object.entries(doc.schemas)) schemas[`${doc.area}#/schemas/${name}`] = schema;
  }
  applyOverlay(operations, overlay);

  /** @param {string} ref `"<area>#/schemas/<Name>"` */
  function resolveRef(ref) {
    const schema = schemas[ref];
    if (schema === undefined) {
      throw new Error(`Unknown schema reference '${ref}'. References look like '<area>#/schemas/<Name>'; re-derive or fix the overlay.`);
    }
    return schema;
  }
  const areas = documents.map((d) => d.area).sort();
  return { source: index.source, version: index.version, areas, operations, schemas, documents, resolveRef };
}

/**
 * The overlay's areas as area documents; an area the OAS already has is a mistake (describe its missing
 * operations there or in `bodies`), so it throws.
 * @param {string[]} derived the areas of index.json
 * @param {Overlay} overlay
 * @returns {AreaDocument[]}
 */
function overlayDocuments(derived, overlay) {
  return Object.entries(overlay.areas ?? {}).map(([area, doc]) => {
    if (derived.includes(area)) throw new Error(`overlay.json: area '${area}' is in the OAS; only areas the OAS lacks belong in 'areas'.`);
    return { $id: area, area, operations: doc.operations, schemas: doc.schemas };
  });
}

/**
 * Fills schema-less bodies from our overlay; an entry for an unknown operation or for a body Zoho
 * already describes is a mistake, so it throws rather than silently diverging from the OAS.
 * @param {Operation[]} operations
 * @param {Overlay} overlay
 */
function applyOverlay(operations, overlay) {
  for (const [key, entry] of Object.entries(overlay.bodies ?? {})) {
    const op = operations.find((o) => `${o.area}/${o.operationId}` === key);
    if (!op) throw new Error(`overlay.json: no operation '${key}' (keys are '<area>/<operationId>').`);
    if (!op.body) throw new Error(`overlay.json: '${key}' has no request body in the OAS.`);
    if (op.body.schema !== null) throw new Error(`overlay.json: '${key}' already has a schema from the OAS; remove the overlay entry.`);
    op.body = { ...op.body, contentType: entry.contentType ?? op.body.contentType, schema: entry.schema, fromOverlay: true };
  }
}
