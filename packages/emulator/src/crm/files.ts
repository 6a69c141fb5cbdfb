/**
 * Attachments (wire spec §7.3) and record photos (§5.10): multipart `file` uploads, link attachments,
 * downloads with Zoho's exact `Content-Disposition` and an accurate Content-Type.
 */
import { createHash } from 'node:crypto';
import type { CrmRequest, EmuResponse, UploadedFile } from '../http-types.js';
import { extensionForType, typeForName } from '../mime.js';
import type { CrmRecord } from '../seed/types.js';
import { envelope, error, errorBody, invalidData, json, MSG, noContent, paramMissing, success } from './responses.js';
import { has, missingParam } from './versions.js';
import { paging, targetIds } from './query.js';
import { isResponse } from './records.js';
import type { CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';

/** Zoho's attachment size limit (v2: 20 MB). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Record photo size limit. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** `attachment;filename*=UTF-8''<name>`: raw when printable ASCII (clients take the text after the last `'`). */
export function contentDisposition(name: string): string {
  const safe = /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
  return `attachment;filename*=UTF-8''${safe}`;
}

/** The Content-Type of an upload: the part's own, else by its name, else sniffed from its bytes. */
export function typeOf(file: UploadedFile, name: string): string {
  const given = file.contentType.split(';')[0]?.trim() ?? '';
  if (given !== '' && given !== 'application/octet-stream') return given;
  const byName = typeForName(name);
  if (byName !== undefined) return byName;
  return sniffImage(file.data) ?? 'application/octet-stream';
}

function sniffImage(data: Buffer): string | undefined {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 6 && data.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  if (data.length >= 2 && data.subarray(0, 2).toString('latin1') === 'BM') return 'image/bmp';
  return undefined;
}

/** The name of an upload: the part's filename, else a name made from its bytes and type. */
export function fileName(file: UploadedFile, data: Buffer): string {
  if (file.filename !== undefined && file.filename !== '') return file.filename;
  const ext = extensionForType(file.contentType) ?? 'bin';
  return `${createHash('sha1').update(data).digest('hex').slice(0, 12)}.${ext}`;
}

/** FILE_SIZE_MORE_THAN_ALLOWED_SIZE: 413 for attachments and photos, 400 where the OAS documents it (`/files`). */
export function tooLarge(status = 413): EmuResponse {
  return error(status, 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 'file size is more than the allowed size');
}

function parentOr(state: CrmState, store: ModuleStore, id: string): CrmRecord | EmuResponse {
  const parent = store.records.get(id);
  return parent ?? invalidData({ id }, MSG.invalidId);
}

// ---------------------------------------------------------------- attachments

export function listAttachments(state: CrmState, store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  const missing = missingParam('attachments.list', req);
  if (missing !== undefined) return paramMissing(missing);
  if (!store.records.has(id)) return noContent();
  const p = paging(req);
  if (isResponse(p)) return p;
  const all = state.attachments.ofRecord(id);
  const items = all.slice(p.offset, p.offset + p.perPage);
  if (items.length === 0) return noContent();
  const fields = req.query['fields']?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const data = items.map((a) => {
    if (fields === undefined || fields.length === 0) return { ...a.meta };
    const out: Record<string, unknown> = {};
    for (const f of fields) if (f in a.meta) out[f] = a.meta[f];
    out['id'] = a.meta.id;
    return out;
  });
  return json(200, { data, info: { per_page: p.perPage, count: items.length, page: p.page, more_records: all.length > p.offset + p.perPage } });
}

export function uploadAttachment(state: CrmState, store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  const parent = parentOr(state, store, id);
  if (isResponse(parent)) return parent;
  const link = req.query['attachmentUrl'] ?? req.fields['attachmentUrl'];
  const file = req.files.find((f) => f.field === 'file') ?? req.files[0];
  let name: string;
  let data: Buffer | null = null;
  let contentType = 'application/octet-stream';
  let linkUrl: string | null = null;
  if (file !== undefined) {
    if (file.data.length > MAX_ATTACHMENT_BYTES) return tooLarge();
    data = file.data;
    name = fileName(file, data);
    contentType = typeOf(file, name);
  } else if (link !== undefined && link !== '') {
    const exists = state.attachments.ofRecord(id).some((a) => a.meta['$link_url'] === link);
    if (exists) return invalidData({}, 'Attachment link already exists');
    linkUrl = link;
    name = req.query['title'] ?? req.fields['title'] ?? link;
  } else {
    return paramMissing('file');
  }
  const now = state.nowString();
  const by = state.userRef(req.userId);
  const attId = state.nextId();
  const meta: CrmRecord = {
    id: attId,
    Owner: by,
    Modified_By: by,
    Created_By: by,
    Parent_Id: state.recordRef(id) ?? { name: null, id },
    File_Name: name,
    Size: String(data?.length ?? 0),
    Created_Time: now,
    Modified_Time: now,
    $file_id: data === null ? null : createHash('sha256').update(data).update(attId).digest('hex'),
    $type: data === null ? 'Link URL' : 'Attachment',
    $link_url: linkUrl,
    $se_module: store.name,
    $editable: true,
    $sharing_permission: 'FULL_ACCESS',
    $state: 'save',
  };
  state.attachments.add({ meta, parentId: id, parentModule: store.name, data, contentType });
  return json(200, { data: [success('attachment uploaded successfully', state.writeDetails(meta))] });
}

/** Clients parse text/plain and JSON replies as JSON and text/html as nothing, so those downloads go out as binary. */
function downloadType(contentType: string): string {
  const t = contentType.toLowerCase();
  const parsedAsDocument = (t.startsWith('text/') && t !== 'text/csv') || t === 'application/json' || t === 'application/ld+json';
  return parsedAsDocument ? 'application/octet-stream' : contentType;
}

export function downloadAttachment(state: CrmState, store: ModuleStore, id: string, attId: string): EmuResponse {
  const att = state.attachments.get(attId);
  if (att === undefined || att.parentId !== id) return invalidData({ id: attId }, MSG.invalidRelatedId);
  if (att.data === null) return error(400, 'NO_PERMISSION', 'As it is a linked attachment, you can not download it');
  return download(String(att.meta['File_Name']), att.contentType, att.data);
}

/** A file download: the bytes with Zoho's Content-Disposition and a Content-Type clients treat as a file. */
export function download(name: string, contentType: string, data: Buffer): EmuResponse {
  return { status: 200, headers: { 'Content-Type': downloadType(contentType), 'Content-Disposition': contentDisposition(name) }, body: data };
}

export function deleteAttachments(state: CrmState, store: ModuleStore, id: string, req: CrmRequest, attId?: string): EmuResponse {
  if (attId !== undefined) {
    const att = state.attachments.get(attId);
    if (att === undefined || att.parentId !== id) return invalidData({ id: attId }, MSG.invalidRelatedId);
  }
  const ids = targetIds(req, attId);
  if (isResponse(ids)) return ids;
  const items = ids.map((aid) => {
    const att = state.attachments.get(aid);
    if (att === undefined || att.parentId !== id) return errorBody('INVALID_DATA', MSG.invalidRelatedId, { id: aid });
    state.attachments.delete(aid);
    return success('record deleted', { id: aid });
  });
  return envelope(items, 200, req.version, state.options.mixedStatus);
}

// ---------------------------------------------------------------- photos

export function photoRoute(state: CrmState, store: ModuleStore, id: string, req: CrmRequest): EmuResponse {
  if (!store.def.photoSupported) return error(400, 'INVALID_MODULE', MSG.moduleNotSupported);
  const record = store.records.get(id);
  const later = has('newMessages', req.version);
  switch (req.method) {
    case 'GET': {
      const photo = record === undefined ? undefined : state.photos.get(id);
      if (photo === undefined) return noContent();
      return {
        status: 200,
        headers: { 'Content-Type': photo.contentType, 'Content-Disposition': contentDisposition(photo.fileName) },
        body: photo.data,
      };
    }
    case 'POST': {
      if (record === undefined) return invalidData({ id }, MSG.invalidId);
      const file = req.files.find((f) => f.field === 'file') ?? req.files[0];
      if (file === undefined) return paramMissing('file');
      if (file.data.length > MAX_PHOTO_BYTES) return tooLarge();
      const name = fileName(file, file.data);
      const type = typeOf(file, name);
      const sniffed = sniffImage(file.data);
      if (!type.startsWith('image/') && sniffed === undefined && file.contentType !== 'application/octet-stream') {
        return error(415, 'INVALID_FILE_TYPE', 'invalid file type');
      }
      state.photos.set(id, { data: file.data, contentType: type.startsWith('image/') ? type : sniffed ?? type, fileName: name });
      state.recordStore.setSystem(store, record, { Record_Image: createHash('sha256').update(file.data).update(id).digest('hex') }, { userId: req.userId });
      return json(200, success(later ? 'Photo uploaded successfully' : 'photo uploaded successfully'));
    }
    case 'DELETE': {
      if (record === undefined) return invalidData({ id }, MSG.invalidId);
      state.photos.delete(id);
      state.recordStore.setSystem(store, record, { Record_Image: null }, { userId: req.userId });
      return json(200, success(later ? 'Photo deleted successfully' : 'Photo deleted'));
    }
    default:
      return error(400, 'INVALID_REQUEST_METHOD', MSG.invalidMethod);
  }
}
