/**
 * Blueprints and send mail.
 *
 * Blueprint (`GET|PUT /{module}/{id}/actions/blueprint`): the emulator keeps one blueprint per module and
 * layout (`emulator.defineBlueprint(...)`; Leads start with {@link DEFAULT_BLUEPRINTS}): a picklist field whose value is the record's state, and
 * transitions from states to a next state with their mandatory fields. GET answers the current state
 * (`process_info`) and the transitions available from it; PUT performs one (`{"blueprint":[{"transition_id",
 * "data"}]}`), refusing an unavailable transition (INVALID_DATA) and missing mandatory fields
 * (MANDATORY_NOT_FOUND); a record outside any blueprint answers RECORD_NOT_IN_PROCESS. A plain record update
 * of the state field of a record in a blueprint is refused with RECORD_IN_BLUEPRINT, as Zoho does.
 *
 * Merge (`POST /{module}/{master}/actions/merge`, `{"merge":[{"data":[{"id"}],"master_record_fields":[{"api_name",
 * "id"|"_data":[{"id"}]}]}]}`): the named fields take the value of the record given for them, then the other
 * records are deleted; 201 with `SUCCESS` (done at once here, never `SCHEDULED`). An empty `data` merges nothing.
 *
 * Send mail (`POST /{module}/{id}/actions/send_mail`): `from` must be a user's address, `to` is required,
 * `subject` and `content` come from the body or from a registered template (`emulator.addEmailTemplate`);
 * every sent mail lands in the outbox (`emulator.outbox`).
 */
import type { CrmRequest, EmuResponse } from '../http-types.js';
import { error, errorBody, invalidMethod, json, MSG, success, type ItemResult } from './responses.js';
import type { CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';
import type { StateTable } from './stores/registry.js';

/** One transition of a blueprint. */
export interface BlueprintTransition {
  id: string;
  name: string;
  /** States (values of the blueprint field) it starts from. */
  from: string[];
  /** The state it leads to. */
  to: string;
  /** Fields the transition asks for; `mandatory` ones must be given in `data`. */
  fields?: Array<{ api_name: string; mandatory?: boolean }>;
}

/** A blueprint as `emulator.defineBlueprint` takes it. */
export interface BlueprintDefinition {
  /** Module API name, e.g. `Leads`. */
  module: string;
  /** Only records of this layout (`Layout.id`); default every layout. */
  layoutId?: string;
  /** The process name. */
  name: string;
  /** The picklist field holding the state, e.g. `Lead_Status`. */
  field: string;
  transitions: BlueprintTransition[];
}

/**
 * The blueprint a fresh emulator holds, so that a record of a new org can be read in and moved through a
 * process (GET/PUT `…/actions/blueprint`) before any `defineBlueprint`: Leads by their `Rating`. It is a sample,
 * not a process the org chose: it never refuses a plain update of `Rating` (only a defined blueprint guards its
 * field with RECORD_IN_BLUEPRINT). Defining any blueprint on Leads replaces it.
 */
export const DEFAULT_BLUEPRINTS: readonly BlueprintDefinition[] = [
  {
    module: 'Leads',
    name: 'Lead rating',
    field: 'Rating',
    transitions: [
      { id: '1000000900001', name: 'Activate', from: ['', '-None-'], to: 'Active' },
      { id: '1000000900002', name: 'Acquire', from: ['Active'], to: 'Acquired' },
      { id: '1000000900003', name: 'Shut down', from: ['Active'], to: 'Shut Down' },
    ],
  },
];

/** An email template as `emulator.addEmailTemplate` takes it. */
export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  content: string;
}

/** One sent mail, as `emulator.outbox` shows it. */
export interface OutboxMail {
  message_id: string;
  module: string;
  record_id: string;
  from: { user_name?: string; email: string };
  to: Array<{ user_name?: string; email: string }>;
  cc: Array<{ user_name?: string; email: string }>;
  bcc: Array<{ user_name?: string; email: string }>;
  subject: string;
  content: string;
  mail_format: 'html' | 'text';
  template_id: string | null;
  sent_time: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface ProcessData {
  blueprints: BlueprintDefinition[];
  templates: EmailTemplate[];
  outbox: OutboxMail[];
}

/** Blueprints, email templates and the outbox of one emulator. */
export class ProcessTable implements StateTable {
  readonly name = 'blueprints_and_mail';
  readonly #state: CrmState;
  #data: ProcessData = { blueprints: [], templates: [], outbox: [] };
  /** True while a transition writes the state field itself. */
  #transitioning = false;

  constructor(state: CrmState) {
    this.#state = state;
  }

  snapshot(): ProcessData {
    return this.#data;
  }

  restore(data: unknown): void {
    const d = isObject(data) ? data : {};
    this.#data = {
      blueprints: Array.isArray(d['blueprints']) ? (d['blueprints'] as BlueprintDefinition[]) : [],
      templates: Array.isArray(d['templates']) ? (d['templates'] as EmailTemplate[]) : [],
      outbox: Array.isArray(d['outbox']) ? (d['outbox'] as OutboxMail[]) : [],
    };
  }

  reset(): void {
    this.#data = { blueprints: [], templates: [], outbox: [] };
  }

  get outbox(): OutboxMail[] {
    return structuredClone(this.#data.outbox);
  }

  defineBlueprint(def: BlueprintDefinition): void {
    const store = this.#state.store(def.module);
    if (store === undefined) throw new Error(`defineBlueprint: unknown module '${def.module}'. Use a module API name such as 'Leads'.`);
    if (!store.fields.has(def.field)) throw new Error(`defineBlueprint: module ${store.name} has no field '${def.field}'.`);
    for (const t of def.transitions) {
      for (const f of t.fields ?? []) if (!store.fields.has(f.api_name)) throw new Error(`defineBlueprint: transition '${t.name}' names unknown field '${f.api_name}'.`);
    }
    this.#data.blueprints = this.#data.blueprints.filter((b) => !(b.module === store.name && b.layoutId === def.layoutId));
    this.#data.blueprints.push(structuredClone({ ...def, module: store.name }));
  }

  addEmailTemplate(template: EmailTemplate): void {
    this.#data.templates = this.#data.templates.filter((t) => t.id !== template.id);
    this.#data.templates.push({ ...template });
  }

  /** The blueprint a record is in, if any: one defined for its module (and layout), else the module's default. */
  #blueprintOf(store: ModuleStore, record: Record<string, unknown>): BlueprintDefinition | undefined {
    const layout = isObject(record['Layout']) ? String(record['Layout']['id']) : undefined;
    const defined = this.#data.blueprints.filter((b) => b.module === store.name);
    if (defined.length === 0) return DEFAULT_BLUEPRINTS.find((b) => b.module === store.name && store.fields.has(b.field));
    return defined.find((b) => b.layoutId !== undefined && b.layoutId === layout) ?? defined.find((b) => b.layoutId === undefined);
  }

  /** Refuses a plain update of the state field of a record in a defined blueprint (the record store calls it). */
  guardUpdate(store: ModuleStore, record: Record<string, unknown>, input: Record<string, unknown>): ItemResult | undefined {
    const bp = this.#transitioning ? undefined : this.#blueprintOf(store, record);
    if (bp === undefined || DEFAULT_BLUEPRINTS.includes(bp) || !Object.prototype.hasOwnProperty.call(input, bp.field) || input[bp.field] === record[bp.field]) return undefined;
    return errorBody('RECORD_IN_BLUEPRINT', 'the record is in blueprint, so the field cannot be updated', { api_name: bp.field, id: String(record['id']) });
  }

  blueprintRoute(store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
    const record = store.records.get(id);
    if (record === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { id });
    const bp = this.#blueprintOf(store, record);
    if (bp === undefined) return error(400, 'RECORD_NOT_IN_PROCESS', 'the record is not in a blueprint process', { id });
    const state = record[bp.field] === null || record[bp.field] === undefined ? '' : String(record[bp.field]);
    const available = bp.transitions.filter((t) => t.from.includes(state));
    if (req.method === 'GET') {
      const field = store.fields.get(bp.field);
      return json(200, {
        blueprint: {
          process_info: { field_id: field?.id ?? null, is_continuous: false, api_name: bp.field, continuous: false, field_label: field?.field_label ?? bp.field, name: bp.name, column_name: null, field_value: state, id: `${store.def.meta.id}_${bp.field}`, field_name: bp.field, escalation: null },
          transitions: available.map((t) => ({
            next_transitions: bp.transitions.filter((n) => n.from.includes(t.to)).map((n) => ({ id: n.id, name: n.name })),
            percent_partial_save: null,
            data: {},
            next_field_value: t.to,
            text_color_code: null,
            name: t.name,
            criteria_matched: true,
            id: t.id,
            fields: (t.fields ?? []).map((f) => {
              const meta = store.fields.get(f.api_name);
              return { api_name: f.api_name, id: meta?.id ?? null, display_label: meta?.display_label ?? f.api_name, data_type: meta?.data_type ?? 'text', mandatory: f.mandatory === true, transition_sequence: 1 };
            }),
            color_code: null,
            criteria_message: null,
          })),
        },
      });
    }
    if (req.method !== 'PUT') return invalidMethod();
    const body = req.json;
    const item = isObject(body) && Array.isArray(body['blueprint']) ? body['blueprint'][0] : undefined;
    if (!isObject(item)) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'blueprint' });
    const transition = available.find((t) => t.id === String(item['transition_id']));
    if (transition === undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { api_name: 'transition_id' });
    const data = isObject(item['data']) ? item['data'] : {};
    const missing = (transition.fields ?? []).find((f) => f.mandatory === true && (data[f.api_name] === undefined || data[f.api_name] === null || data[f.api_name] === ''));
    if (missing !== undefined) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: missing.api_name });
    this.#transitioning = true;
    let out;
    try {
      out = this.#state.recordStore.update(store, id, { ...data, [bp.field]: transition.to }, req.userId);
    } finally {
      this.#transitioning = false;
    }
    if (!out.ok) return json(400, out.error);
    return json(200, success('transition updated successfully', {}));
  }

  mergeRoute(store: ModuleStore, masterId: string, req: CrmRequest): EmuResponse {
    if (req.method !== 'POST') return invalidMethod();
    const master = store.records.get(masterId);
    if (master === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { id: masterId });
    const body = req.json;
    const item = isObject(body) && Array.isArray(body['merge']) ? body['merge'][0] : undefined;
    const fail = (e: ItemResult): EmuResponse => json(400, { merge: [e] });
    // `data` may be empty (the OAS sets no minimum): then nothing is merged and the master keeps its values.
    if (!isObject(item) || !Array.isArray(item['data'])) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'data' }));
    const ids = item['data'].map((d) => (isObject(d) ? String(d['id']) : ''));
    const bad = ids.find((i) => i === masterId || !store.records.has(i));
    if (bad !== undefined) return fail(errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'id', id: bad }));
    const values: Record<string, unknown> = {};
    for (const f of Array.isArray(item['master_record_fields']) ? item['master_record_fields'] : []) {
      if (!isObject(f) || typeof f['api_name'] !== 'string' || !store.fields.has(f['api_name'])) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'master_record_fields' }));
      const source = Array.isArray(f['_data']) && isObject(f['_data'][0]) ? String(f['_data'][0]['id']) : String(f['id'] ?? masterId);
      const from = source === masterId ? master : ids.includes(source) ? store.records.get(source) : undefined;
      if (from === undefined) return fail(errorBody('INVALID_DATA', MSG.invalidId, { api_name: f['api_name'], id: source }));
      values[f['api_name']] = from[f['api_name']] ?? null;
    }
    if (Object.keys(values).length > 0) {
      const out = this.#state.recordStore.update(store, masterId, values, req.userId);
      if (!out.ok) return fail(out.error);
    }
    for (const child of ids) this.#state.recordStore.delete(store, child, req.userId, this.#state.nowString());
    return json(201, { merge: [success('Records merged successfully', { id: masterId })] });
  }

  sendMailRoute(store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
    if (req.method !== 'POST') return invalidMethod();
    if (!store.records.has(id)) return error(400, 'INVALID_DATA', MSG.invalidId, { id });
    const body = req.json;
    const mail = isObject(body) && Array.isArray(body['data']) ? body['data'][0] : undefined;
    const fail = (e: ItemResult): EmuResponse => json(400, { data: [e] });
    if (!isObject(mail)) return error(400, 'MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'data' });
    const addresses = (v: unknown): Array<{ user_name?: string; email: string }> | undefined =>
      Array.isArray(v) && v.every((a) => isObject(a) && typeof a['email'] === 'string' && /^[^@\s]+@[^@\s]+$/.test(a['email']))
        ? v.map((a) => ({ email: String(a['email']), ...(typeof a['user_name'] === 'string' ? { user_name: a['user_name'] } : {}) }))
        : undefined;
    const from = isObject(mail['from']) ? mail['from'] : undefined;
    if (from === undefined) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'from' }));
    const fromAddresses = this.#state.users().map((u) => String(u['email'] ?? '').toLowerCase());
    if (typeof from['email'] !== 'string' || !fromAddresses.includes(from['email'].toLowerCase())) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'from' }));
    if (mail['to'] === undefined) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'to' }));
    const to = addresses(mail['to']);
    const cc = mail['cc'] === undefined ? [] : addresses(mail['cc']);
    const bcc = mail['bcc'] === undefined ? [] : addresses(mail['bcc']);
    if (to === undefined || to.length === 0) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'to' }));
    if (cc === undefined) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'cc' }));
    if (bcc === undefined) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'bcc' }));
    let subject = typeof mail['subject'] === 'string' ? mail['subject'] : undefined;
    let content = typeof mail['content'] === 'string' ? mail['content'] : undefined;
    let templateId: string | null = null;
    const given = mail['template'];
    if (isObject(given)) {
      const template = this.#data.templates.find((t) => t.id === String(given['id']));
      if (template === undefined) return fail(errorBody('INVALID_DATA', MSG.invalidData, { api_name: 'template' }));
      templateId = template.id;
      subject ??= template.subject;
      content ??= template.content;
    }
    if (subject === undefined) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'subject' }));
    if (content === undefined) return fail(errorBody('MANDATORY_NOT_FOUND', MSG.mandatory, { api_name: 'content' }));
    const format = mail['mail_format'] === 'text' ? 'text' : 'html';
    const messageId = `${this.#state.nextId()}${'0'.repeat(8)}`;
    this.#data.outbox.push({
      message_id: messageId,
      module: store.name,
      record_id: id,
      from: { email: from['email'], ...(typeof from['user_name'] === 'string' ? { user_name: from['user_name'] } : {}) },
      to,
      cc,
      bcc,
      subject,
      content,
      mail_format: format,
      template_id: templateId,
      sent_time: this.#state.nowString(),
    });
    return json(200, { data: [success('Your mail has been sent successfully.', { message_id: messageId })] });
  }
}
