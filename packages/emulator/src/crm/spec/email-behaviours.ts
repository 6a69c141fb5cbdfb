/**
 * A record's emails (`/crm/v8/{module}/{record}/Emails`, the collection email_related_records lists): each
 * record of the org starts with one email sent from the current user, carrying an attachment and an inline
 * image (an `<img img_id="...">` in its content, as Zoho names them); their bytes live in Zoho's file system
 * (`state.files`). `Emails/actions/download_attachments` and `download_inline_images` answer those bytes as a
 * file download, and `actions/associate_email` adds an email (its attachments named by file-system ids) that
 * the record's emails then list (each email is its owner's: listings name the owner in `owner_id`). Records
 * that do not exist keep the generic sample collection.
 */
import { createHash } from 'node:crypto';
import type { EmuResponse } from '../../http-types.js';
import { download } from '../files.js';
import { error, errorBody, MSG, success, type ItemResult } from '../responses.js';
import type { CrmState } from '../state.js';
import type { ModuleStore } from '../store-types.js';
import type { ZfsFile } from '../stores/zfs-files.js';
import { isObj, reply, type SpecContext, type SpecHandler } from './context.js';
import { keepFile } from './file-behaviours.js';
import { genericHandler } from './generic.js';
import type { Item } from './store.js';

const KEY = 'Emails';
/** A 1×1 PNG: the inline image of a record's first email. */
const INLINE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const INLINE_NAME = 'logo.png';
const ATTACHMENT_NAME = 'proposal.txt';
/** An inline image's id in an email's content (`<img img_id="...">`). */
const IMG_ID = /img_id="([^"]+)"/g;

/** The record a request's path names (its first two segments), if it exists. */
function recordOf(ctx: SpecContext): { store: ModuleStore; id: string; key: string } | undefined {
  const [module, id] = ctx.req.segments;
  const store = module === undefined ? undefined : ctx.state.store(module);
  if (store === undefined || id === undefined || !store.records.has(id)) return undefined;
  return { store, id, key: `${module}/${id}/emails`.toLowerCase() };
}

/** A message id like Zoho's (hex, opaque), deterministic for a seed. */
function newMessageId(state: CrmState): string {
  return createHash('sha256').update(`message:${state.nextId()}`).digest('hex').slice(0, 32);
}

function linkedRecord(ctx: SpecContext, store: ModuleStore, id: string): Record<string, unknown> {
  return { id, name: ctx.state.recordStore.recordRef(id)?.name ?? null, module: { api_name: store.name, id: String(store.def.meta.id) } };
}

function attachmentOf(file: ZfsFile): Record<string, unknown> {
  return { id: file.id, name: file.name, size: String(file.data.length) };
}

/** An email as the record's emails list it; what a write does not say is Zoho's "none". */
function emailItem(input: Record<string, unknown>): Item {
  const attachments = Array.isArray(input['attachments']) ? input['attachments'] : [];
  return {
    cc: [],
    summary: null,
    read: false,
    activity_info: null,
    intent: null,
    sentiment_info: null,
    source: 'crm_mail',
    emotion: null,
    status: [{ type: 'sent', bounced_time: null, bounced_reason: null }],
    has_thread_attachment: false,
    editable: false,
    mail_format: 'html',
    ...input,
    has_attachment: attachments.length > 0,
    attachments,
    id: String(input['message_id']),
  };
}

/** The record's emails, seeded with its first email the first time they are used. */
function emailsOf(ctx: SpecContext, key: string, store: ModuleStore, id: string): Map<string, Item> {
  const col = ctx.store.collection(key);
  if (ctx.store.seeded.has(key)) return col;
  ctx.store.seeded.add(key);
  const now = ctx.state.nowString();
  const owner = ctx.state.userRef(ctx.state.currentUserId);
  const by = ctx.state.userRef(ctx.state.currentUserId, false);
  const attachment = keepFile(ctx.state, { name: ATTACHMENT_NAME, contentType: 'text/plain', data: Buffer.from(`Proposal for record ${id}\n`), inline: false, created_time: now, created_by: by });
  const image = keepFile(ctx.state, { name: INLINE_NAME, contentType: 'image/png', data: INLINE_PNG, inline: true, created_time: now, created_by: by });
  const rec = store.records.get(id);
  const to = typeof rec?.['Email'] === 'string' ? rec['Email'] : null;
  const messageId = newMessageId(ctx.state);
  col.set(
    messageId,
    emailItem({
      message_id: messageId,
      thread_id: messageId,
      subject: 'Our proposal',
      content: `<div>Please find our proposal attached.<br><img img_id="${image.id}" alt="${INLINE_NAME}"></div>`,
      owner,
      sent: true,
      from: { user_name: owner.name, email: owner.email ?? null },
      to: [{ user_name: ctx.state.recordStore.recordRef(id)?.name ?? null, email: to }],
      reply_to: { user_name: owner.name, email: owner.email ?? null },
      time: now,
      sent_time: now,
      linked_record: linkedRecord(ctx, store, id),
      attachments: [attachmentOf(attachment)],
    }),
  );
  return col;
}

/**
 * Listing or reading a record's emails: those of the user `owner_id` names (204 when none), one by message id;
 * an unknown record keeps the generic samples.
 */
const readEmails: SpecHandler = (ctx) => {
  const rec = recordOf(ctx);
  if (rec === undefined) return genericHandler(ctx);
  const owner = ctx.req.query['owner_id'];
  const wanted = ctx.params['message_id'];
  const mine = [...emailsOf(ctx, rec.key, rec.store, rec.id).values()].filter(
    (e) => (owner === undefined || (isObj(e['owner']) && e['owner']['id'] === owner)) && (wanted === undefined || e['message_id'] === wanted),
  );
  if (mine.length === 0) return { status: 204 };
  return reply(ctx, { [KEY]: mine, info: { count: mine.length, next_index: null, prev_index: null, per_page: mine.length, more_records: false } });
};

/**
 * The email a download names by `message_id`, with the query's file id; or why there is none (missing
 * parameters are the request validator's: Zoho documents only INVALID_DATA for these operations).
 */
function emailFor(ctx: SpecContext): { email: Item; fileId: string } | EmuResponse {
  const rec = recordOf(ctx);
  if (rec === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'record_id' });
  const email = emailsOf(ctx, rec.key, rec.store, rec.id).get(ctx.req.query['message_id'] ?? '');
  if (email === undefined) return error(400, 'INVALID_DATA', MSG.invalidData, { param_name: 'message_id' });
  return { email, fileId: ctx.req.query['id'] ?? '' };
}

const downloadAttachment: SpecHandler = (ctx) => {
  const found = emailFor(ctx);
  if ('status' in found) return found;
  const listed = (found.email['attachments'] as unknown[]).find((a) => isObj(a) && a['id'] === found.fileId);
  const file = ctx.state.files.get(found.fileId);
  if (listed === undefined || file === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'id' });
  return download(file.name, file.contentType, file.data);
};

const downloadInlineImage: SpecHandler = (ctx) => {
  const found = emailFor(ctx);
  if ('status' in found) return found;
  const ids = [...String(found.email['content'] ?? '').matchAll(IMG_ID)].map((m) => m[1]);
  const file = ctx.state.files.get(found.fileId);
  if (!ids.includes(found.fileId) || file === undefined || !file.inline) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'id' });
  return download(file.name, file.contentType, file.data);
};

/** One email to associate: its attachments must be files in Zoho's file system. */
function associateOne(ctx: SpecContext, emails: Map<string, Item>, input: unknown, path: string): ItemResult {
  if (!isObj(input)) return errorBody('INVALID_DATA', MSG.invalidData, { json_path: path });
  const refs = Array.isArray(input['attachments']) ? input['attachments'] : [];
  const files: ZfsFile[] = [];
  for (const [i, ref] of refs.entries()) {
    const file = isObj(ref) ? ctx.state.files.get(String(ref['id'])) : undefined;
    if (file === undefined) return errorBody('INVALID_DATA', MSG.invalidData, { expected_data_type: 'file id', json_path: `${path}.attachments[${i}].id` });
    files.push(file);
  }
  const messageId = newMessageId(ctx.state);
  const { original_message_id: original, date_time: time, attachments: _refs, bcc: _bcc, ...rest } = input;
  emails.set(
    messageId,
    emailItem({ ...rest, message_id: messageId, thread_id: original, owner: ctx.state.userRef(ctx.req.userId), time, sent_time: time, attachments: files.map(attachmentOf) }),
  );
  return success('Email associated successfully', { message_id: messageId });
}

const associate: SpecHandler = (ctx) => {
  const rec = recordOf(ctx);
  if (rec === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'recordId' });
  const list = isObj(ctx.req.json) && Array.isArray(ctx.req.json[KEY]) ? (ctx.req.json[KEY] as unknown[]) : [];
  if (list.length === 0) return error(400, 'REQUIRED_PARAM_MISSING', MSG.mandatory, { param: KEY });
  const emails = emailsOf(ctx, rec.key, rec.store, rec.id);
  const results = list.map((input, i) => associateOne(ctx, emails, input, `$.${KEY}[${i}]`));
  const failed = results.filter((r) => r.status === 'error').length;
  return { status: failed === 0 ? 201 : failed === results.length ? 400 : 207, json: { [KEY]: results } };
};

export const EMAIL_BEHAVIOURS: [string, SpecHandler][] = [
  ['email_related_records/Get Emails Related Records', readEmails],
  ['email_related_records/Get Emails Related Record', readEmails],
  ['download_attachments/Get Download Attachments Details', downloadAttachment],
  ['download_inline_images/Get Download Inline Images', downloadInlineImage],
  ['associate_email/associate', associate],
];
