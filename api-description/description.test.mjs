// Checks the committed description (CI has no OAS to re-derive from) and the derivation rules
// on a small synthetic OAS. Run: node --test api-description/
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { derive } from './derive.mjs';
import { DEFAULT_DESCRIPTION_DIR as DIR, loadDescription } from './load.mjs';

const TSV = '/work/shared/spec/zoho-crm-v8-operations.tsv';
const SCHEMA_KEYS = [
  '$ref', 'type', 'format', 'nullable', 'enum', 'pattern', 'minimum', 'maximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'items', 'properties', 'required',
  'additionalProperties', 'anyOf', 'allOf',
];
const FORBIDDEN = new Set(['description', 'example', 'examples', 'summary', 'title', 'oneOf']);

const description = loadDescription();
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

/** Visits every schema below `schema` (properties, items, anyOf...), with a path for messages. */
function eachSchema(schema, where, visit) {
  if (typeof schema === 'boolean') return;
  visit(schema, where);
  for (const [name, s] of Object.entries(schema.properties ?? {})) eachSchema(s, `${where}.${name}`, visit);
  if (schema.items) eachSchema(schema.items, `${where}[]`, visit);
  if (typeof schema.additionalProperties === 'object') eachSchema(schema.additionalProperties, `${where}{}`, visit);
  for (const k of ['anyOf', 'allOf']) (schema[k] ?? []).forEach((s, i) => eachSchema(s, `${where}/${k}${i}`, visit));
}

/** Every schema of the description, with where it sits. */
function allSchemas() {
  const out = [];
  const push = (s, where) => eachSchema(s, where, (x, w) => out.push([x, w]));
  for (const [ref, s] of Object.entries(description.schemas)) push(s, ref);
  for (const op of description.operations) {
    const id = `${op.area}/${op.operationId}`;
    for (const p of op.params) push(p.schema, `${id} param ${p.name}`);
    if (op.body?.schema) push(op.body.schema, `${id} body`);
    for (const [status, r] of Object.entries(op.responses)) if (r.schema) push(r.schema, `${id} ${status}`);
  }
  return out;
}

describe('api-description/v8', () => {
  it('holds 423 operations in 102 areas, as index.json says, and our overlay 30 more in 11 areas the OAS lacks', () => {
    const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8'));
    assert.equal(description.operations.filter((o) => o.fromOverlay !== true).length, 423);
    assert.equal(description.operations.filter((o) => o.fromOverlay === true).length, 30);
    assert.deepEqual(description.areas.filter((a) => !index.areas.includes(a)), ['data_sharing', 'deal_contact_roles', 'digest', 'email_configuration_options', 'email_signatures', 'get_related_records_count', 'signals', 'signals_notifications', 'taxes', 'webforms', 'zia_enrichment']);
    assert.equal(index.operationCount, 423);
    assert.equal(index.areas.length, 102);
    assert.match(index.source.commit, /^[0-9a-f]{40}$/);
    assert.deepEqual(index.areas, [...index.areas].sort());
    assert.deepEqual(files.sort(), [...index.areas, 'index', 'overlay'].map((a) => `${a}.json`).sort());
    for (const doc of description.documents) assert.equal(doc.$id, doc.area);
  });

  it('is normalized: parse and re-stringify gives the same bytes', () => {
    for (const f of files) {
      const text = readFileSync(join(DIR, f), 'utf8');
      assert.equal(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, text, f);
    }
  });

  it('names each operation once per area, and each (method, path) once per area', () => {
    for (const area of description.areas) {
      const ops = description.operations.filter((o) => o.area === area);
      assert.equal(new Set(ops.map((o) => o.operationId)).size, ops.length, area);
      assert.equal(new Set(ops.map((o) => `${o.method} ${o.path}`)).size, ops.length, area);
    }
  });

  it('declares every path parameter of each path template, and no other', () => {
    for (const op of description.operations) {
      const inTemplate = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = op.params.filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, inTemplate, `${op.area}/${op.operationId}`);
      assert.ok(op.params.filter((p) => p.in === 'path').every((p) => p.required));
    }
  });

  it('keeps only the schema subset, in canonical key order, with no one-value enum', () => {
    for (const [s, where] of allSchemas()) {
      const keys = Object.keys(s);
      const known = keys.filter((k) => SCHEMA_KEYS.includes(k));
      assert.deepEqual(keys, known, `${where}: unexpected keys`);
      assert.deepEqual(keys, SCHEMA_KEYS.filter((k) => keys.includes(k)), `${where}: key order`);
      if (s.enum) assert.ok(s.enum.length > 1, `${where}: one-value enum`);
      if (s.nullable !== undefined) {
        assert.equal(typeof s.nullable, 'boolean', where);
        assert.ok(s.type !== undefined, `${where}: nullable without type (ajv refuses it)`);
      }
    }
  });

  it('has no prose keys (description, example(s), summary, title) and no oneOf anywhere', () => {
    // Keys of `properties` and `schemas` are Zoho's field and schema names, so they are not checked.
    const walk = (node, where) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        const isNameMap = k === 'properties' || k === 'schemas' || k === 'responses' || k === 'bodies';
        if (!isNameMap) assert.ok(!FORBIDDEN.has(k), `${where}.${k}`);
        if (isNameMap) for (const [name, inner] of Object.entries(v)) walk(inner, `${where}.${k}.${name}`);
        else walk(v, `${where}.${k}`);
      }
    };
    for (const f of files) walk(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f);
  });

  it('resolves every $ref', () => {
    let refs = 0;
    for (const [s, where] of allSchemas()) {
      if (s.$ref === undefined) continue;
      refs += 1;
      assert.match(s.$ref, /^[a-z_]+#\/schemas\/[^/]+$/, where);
      assert.doesNotThrow(() => description.resolveRef(s.$ref), where);
    }
    assert.ok(refs > 1000);
    assert.throws(() => description.resolveRef('nope#/schemas/Nope'), /Unknown schema reference 'nope#\/schemas\/Nope'/);
  });

  it('operations carry scopes, sorted error codes, and a schema or null for each body', () => {
    for (const op of description.operations) {
      const id = `${op.area}/${op.operationId}`;
      assert.ok(Array.isArray(op.scopes), id);
      if (op.errorCodes) assert.deepEqual(op.errorCodes, [...new Set(op.errorCodes)].sort(), id);
      if (op.body) assert.ok(op.body.schema === null || typeof op.body.schema === 'object', id);
    }
    const get = (key) => description.operations.find((o) => `${o.area}/${o.operationId}` === key);
    assert.deepEqual(get('currencies/Get Currencies').scopes.includes('ZohoCRM.settings.currencies.read'), true);
    assert.equal(get('bulk_write/Upload File').server, 'https://content.zohoapis.com');
  });

  it('carries our quirk fixes', () => {
    const get = (key) => description.operations.find((o) => `${o.area}/${o.operationId}` === key);
    assert.deepEqual(get('notes/Get Note').params.find((p) => p.name === 'If-Modified-Since'), {
      name: 'If-Modified-Since', in: 'header', required: false, schema: { type: 'string', format: 'date-time' },
    });
    assert.ok(get('notes/Create Notes').responses['201'].schema);
    assert.ok(get('record/Mass Update Records').responses['202'].schema);
    assert.deepEqual(get('record/Get Deleted Records').responses['204'], {});
    assert.deepEqual(get('record/Get Photo').responses['204'], {});
    const deals = description.resolveRef('convert_lead#/schemas/Successful_Convert').properties?.Deals;
    assert.deepEqual(deals?.anyOf?.[1], { type: 'null' });
    assert.equal(get('convert_lead/Convert Lead').body?.fromOverlay, true); // our overlay fills Zoho's schema-less body
    const currency = description.resolveRef('currencies#/schemas/Currency');
    assert.equal(currency.properties.exchange_rate.pattern, '^[0-9]{1,9}[.][0-9]{9}$');
    assert.deepEqual(['symbol', 'format', 'iso_code'].map((k) => currency.required.includes(k)), [false, false, true]);
    assert.equal(description.resolveRef('mass_delete_tags#/schemas/success').properties.details.properties.job_id.type, 'string');
    // A mass change owner's criteria node is a condition or a group, not both at once.
    assert.deepEqual(description.resolveRef('mass_change_owner#/schemas/Criteria').anyOf.map((b) => b.$ref), ['mass_change_owner#/schemas/Criteria_Condition', 'mass_change_owner#/schemas/Criteria_Group']);
    assert.deepEqual(description.resolveRef('mass_change_owner#/schemas/Criteria_Condition').required, ['field', 'comparator', 'value']);
    assert.deepEqual(description.resolveRef('mass_change_owner#/schemas/Criteria_Group').required, ['group_operator', 'group']);
  });

  it('matches the operation list of the TSV checklist (dev workflow only)', { skip: !existsSync(TSV) && 'no /work/shared' }, () => {
    const expected = readFileSync(TSV, 'utf8').split('\n')
      .filter((l) => l && !l.startsWith('#')).slice(1).sort();
    const actual = description.operations.filter((o) => o.fromOverlay !== true).map((o) => [o.area, o.operationId, o.method, o.path].join('\t')).sort();
    assert.deepEqual(actual, expected);
  });
});

describe('derive (rules, on a synthetic OAS)', () => {
  const common = { paths: {}, components: { schemas: { Err: { type: 'object', description: 'x', properties: { code: { type: 'string', enum: ['A', 'B'] }, status: { type: 'string', enum: ['error'] } } } } } };
  const things = {
    security: [{ oauth: ['s.read', 's.all'] }],
    paths: {
      '/crm/v8/things/{id}': {
        get: {
          operationId: 'Get Thing', summary: 'prose',
          parameters: [{ $ref: '#/components/parameters/id' }],
          responses: {
            200: { description: 'ok', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Thing' }, { $ref: 'https://raw.githubusercontent.com/x/crm-oas/refs/heads/main/v8.0/common.json#/components/schemas/Err' }] } } } },
            204: { description: '' },
          },
        },
        put: { operationId: 'Put Thing', parameters: [{ $ref: '#/components/parameters/id' }], security: [{ oauth: ['s.update'] }], requestBody: { $ref: '#/components/requestBodies/Body' }, responses: { 400: { $ref: '#/components/responses/Bad' } } },
      },
    },
    components: {
      parameters: { id: { name: 'id', in: 'path', required: true, description: 'd', schema: { type: 'string', example: '1' } } },
      requestBodies: { Body: { required: true, content: { 'application/json': {} } } },
      responses: { Bad: { description: '', content: { 'application/json': { schema: { type: 'object', properties: { code: { type: 'string', enum: ['INVALID_DATA'] } } } } } } },
      schemas: {
        Thing: {
          type: 'object', title: 't', required: ['kind'],
          properties: {
            kind: { type: 'string', enum: ['only'] },
            color: { type: 'string', enum: ['red', 'blue'], nullable: true },
            message: { type: 'string', enum: ['Thing saved.', 'Thing not saved.'] },
            owner: { $ref: '#/components/schemas/Thing', readOnly: true },
          },
        },
      },
    },
  };
  const { files } = derive(new Map([['common', common], ['things', things]]), 'a'.repeat(40));
  const doc = /** @type {any} */ (files['things.json']);

  it('inlines parameters, bodies and responses; rewrites refs; oneOf becomes anyOf', () => {
    const [get, put] = doc.operations;
    assert.deepEqual(get, {
      operationId: 'Get Thing', method: 'GET', path: '/crm/v8/things/{id}',
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        200: { contentType: 'application/json', schema: { anyOf: [{ $ref: 'things#/schemas/Thing' }, { $ref: 'common#/schemas/Err' }] } },
        204: {},
      },
      errorCodes: ['A', 'B'],
      scopes: ['s.all', 's.read'],
    });
    assert.deepEqual(put.body, { required: true, contentType: 'application/json', schema: null });
    assert.deepEqual(put.errorCodes, ['INVALID_DATA']);
    assert.deepEqual(put.scopes, ['s.update']);
  });

  it('drops one-value enums, message enums and prose; adds null to a nullable enum', () => {
    assert.deepEqual(doc.schemas.Thing, {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        color: { type: 'string', nullable: true, enum: ['red', 'blue', null] },
        message: { type: 'string' },
        owner: { $ref: 'things#/schemas/Thing' },
      },
      required: ['kind'],
    });
    assert.deepEqual(files['index.json'], {
      source: { repository: 'zoho/crm-oas', folder: 'v8.0', commit: 'a'.repeat(40) },
      version: 'v8', areas: ['common', 'things'], operationCount: 2,
    });
  });
});

describe('loadDescription (overlay areas, on a synthetic folder)', () => {
  const op = { operationId: 'Get Widgets', method: 'GET', path: '/crm/v8/settings/widgets', params: [], responses: { 200: { contentType: 'application/json', schema: { $ref: 'widgets#/schemas/Widgets' } } }, scopes: [] };
  const folder = (overlay) => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-description-'));
    const write = (name, value) => writeFileSync(join(dir, `${name}.json`), JSON.stringify(value));
    write('index', { source: { repository: 'zoho/crm-oas', folder: 'v8.0', commit: 'a'.repeat(40) }, version: 'v8', areas: ['things'], operationCount: 0 });
    write('things', { $id: 'things', area: 'things', operations: [], schemas: {} });
    write('overlay', overlay);
    return dir;
  };

  it("adds an overlay area's operations (marked fromOverlay), documents and schemas after the derived ones", () => {
    const dir = folder({ bodies: {}, areas: { widgets: { operations: [op], schemas: { Widgets: { type: 'object' } } } } });
    try {
      const d = loadDescription(dir);
      assert.deepEqual(d.areas, ['things', 'widgets']);
      assert.deepEqual(d.operations, [{ area: 'widgets', ...op, fromOverlay: true }]);
      assert.deepEqual(d.documents.map((x) => x.$id), ['things', 'widgets']);
      assert.deepEqual(d.resolveRef('widgets#/schemas/Widgets'), { type: 'object' });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses an overlay area the OAS already has', () => {
    const dir = folder({ bodies: {}, areas: { things: { operations: [], schemas: {} } } });
    try {
      assert.throws(() => loadDescription(dir), /overlay\.json: area 'things' is in the OAS/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
