// Decides where the client generator declares each Zoho schema's type: a type that several areas describe
// identically is declared once, in generated/shared/, and each of those areas re-exports it under its own name
// (the public names `ZohoApi.<Area>.<Name>` stay); identical schemas within one area become aliases of one.
import { identicalSchemas } from './identical-schemas.mjs';

/**
 * Where one class of identical schemas is declared.
 * @typedef {{
 *   file: string,
 *   name: string,
 *   ref: string,
 *   members: string[],
 * }} Home
 * `file`: the generated file, without `.ts`: an area's (`users`) or `shared/<concept>`; `name`: the type's name
 * there; `ref`: the schema it is written from; `members`: every schema of the class, in description order.
 */

/**
 * The shared/ file of a type, by concept: the first rule that matches its name, its property names (`props`) or
 * those of its `details` (where Zoho's action and error replies say what went wrong) names the file; a type no
 * rule matches gets a file of its own, named after it.
 * @type {Array<[string, (name: string, props: Set<string>, details: Set<string>) => boolean]>}
 */
const SHARED_FILES = [
  ['page-info', (name, props) => props.has('more_records')],
  ['wrappers', (name) => /Wrapper$/.test(name)],
  ['url-errors', (name, props, details) => props.has('resource_path_index') || details.has('resource_path_index')],
  ['param-errors', (name, props, details) => ['param', 'param_name'].some((k) => props.has(k) || details.has(k))],
  ['field-errors', (name, props, details) => isReply(props) && (FIELD_ERROR_KEYS.some((k) => details.has(k)) || details.has('api_name'))],
  ['field-error-details', (name, props) => FIELD_ERROR_KEYS.some((k) => props.has(k)) || (props.size === 1 && props.has('api_name'))],
  ['replies', (name, props) => isReply(props)],
  ['references', (name, props) => props.size > 0 && [...props].every((k) => REFERENCE_KEYS.has(k))],
  ['email-addresses', (name, props) => props.has('email')],
];
/** Zoho's action and error replies: `{ code, details, message, status }`. */
const isReply = (props) => props.has('code') && props.has('status');
/** What Zoho's field errors name: where in the body (`json_path`) and what was expected or is limited. */
const FIELD_ERROR_KEYS = ['json_path', 'expected_fields', 'expected_data_type', 'ambiguity_due_to', 'dependee', 'limit_due_to'];
/** The keys of Zoho's minified references to users, modules, layouts, profiles ... (`{ name, id }`). */
const REFERENCE_KEYS = new Set(['id', 'name', 'api_name', 'module', 'module_name', 'type']);

const areaOf = (ref) => ref.slice(0, ref.indexOf('#'));
const kebab = (name) => name.replace(/_+$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').replace(/_+/g, '-').toLowerCase();

/**
 * Every schema's home.
 * @param {import('../../load.mjs').Description} description
 * @param {Map<string, string>} schemaNames each schema's TypeScript name in its area's file (public; kept)
 * @param {(ref: string, classOf: (ref: string) => string) => string} render a schema as the generator writes it,
 *   with each `$ref` written as `classOf($ref)`
 * @param {(area: string) => string} areaFile an area's generated file, without `.ts`
 * @returns {Map<string, Home>} schema reference -> the home of its class
 */
export function schemaHomes(description, schemaNames, render, areaFile) {
  const refs = description.documents.flatMap((doc) => Object.keys(doc.schemas).map((name) => `${doc.area}#/schemas/${name}`));
  const classes = identicalSchemas(refs, render);
  // A type is named after its members: the name most of them have (`OperationType_` counts as `OperationType`: the
  // `_` only parts names alike but for case within an area), the first such member on a tie. Shared types take
  // names greedily, the largest class first: the most common name no other shared type has taken yet, else the
  // most common name prefixed with its area's (`BackupInfo`).
  const shared = [];
  const homes = new Map();
  for (const members of classes) {
    if (new Set(members.map(areaOf)).size > 1) shared.push(members);
    else {
      const ref = members.find((r) => stripped(schemaNames, r) === namesByCount(schemaNames, members)[0]);
      const home = { file: areaFile(areaOf(ref)), name: schemaNames.get(ref), ref, members };
      for (const r of members) homes.set(r, home);
    }
  }
  const used = new Set();
  const sharedHomes = [];
  for (const members of [...shared].sort((a, b) => b.length - a.length || classes.indexOf(a) - classes.indexOf(b))) {
    const names = namesByCount(schemaNames, members);
    let name = names.find((n) => !used.has(n));
    const ref = members.find((r) => stripped(schemaNames, r) === (name ?? names[0]));
    name ??= `${pascalArea(areaOf(ref))}${names[0]}`;
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    const home = { file: conceptOf(description, ref, name), name, ref, members };
    sharedHomes.push(home);
    for (const r of members) homes.set(r, home);
  }
  // A type no concept claims lives with the shared types that use it when they are all in one file, else alone.
  for (const home of sharedHomes.filter((h) => h.file === undefined)) {
    const users = new Set(sharedHomes.filter((h) => h.file !== undefined && refsOf(description.schemas[h.ref]).some((r) => home.members.includes(r))).map((h) => h.file));
    home.file = users.size === 1 ? [...users][0] : kebab(home.name);
  }
  for (const home of sharedHomes) home.file = `shared/${home.file}`;
  return homes;
}

/** Every `$ref` in a schema, at any depth. */
function refsOf(schema) {
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([k, v]) => (k === '$ref' ? [v] : refsOf(v)));
}

const stripped = (schemaNames, ref) => schemaNames.get(ref).replace(/_+$/, '');

/** The members' names, most common first (first appearance on a tie). */
function namesByCount(schemaNames, members) {
  const counts = new Map();
  for (const r of members) counts.set(stripped(schemaNames, r), (counts.get(stripped(schemaNames, r)) ?? 0) + 1);
  return [...counts].sort(([, a], [, b]) => b - a).map(([name]) => name);
}

const pascalArea = (area) => area.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/** The concept (shared/ file without `.ts`) of the type `name`, written from schema `ref`; undefined when no rule matches. */
function conceptOf(description, ref, name) {
  const deref = (s) => {
    for (let i = 0; s?.$ref && i < 20; i++) s = description.resolveRef(s.$ref);
    return s;
  };
  const keys = (s) => {
    const schema = deref(s);
    return [...Object.keys(schema?.properties ?? {}), ...(schema?.anyOf ?? []).flatMap(keys)];
  };
  const schema = deref({ $ref: ref });
  const props = new Set(keys(schema));
  const details = new Set(schema.properties?.details ? keys(schema.properties.details) : []);
  return SHARED_FILES.find(([, matches]) => matches(name, props, details))?.[0];
}
