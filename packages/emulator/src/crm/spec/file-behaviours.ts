/**
 * Zoho's file system (`/crm/v8/files`): a multipart upload of one or more `file` parts answers each file's
 * encrypted id (`{data: [{code: SUCCESS, details: {name, id}}]}`); `GET ?id=` downloads the bytes (same
 * Content-Disposition and download type as attachments).
 */
import { createHash } from 'node:crypto';
import { download, fileName, MAX_ATTACHMENT_BYTES, tooLarge, typeOf } from '../files.js';
import { error, MSG, paramMissing, success } from '../responses.js';
import type { CrmState } from '../state.js';
import type { ZfsFile } from '../stores/zfs-files.js';
import type { SpecHandler } from './context.js';

/** The one value Zoho documents for `type`: an inline image for rich text. */
const INLINE = 'inline';

/** Keeps a file in Zoho's file system under a new encrypted id (deterministic for a seed, as opaque as Zoho's). */
export function keepFile(state: CrmState, file: Omit<ZfsFile, 'id'>): ZfsFile {
  const id = createHash('sha256').update(state.nextId()).update(file.data).digest('hex');
  return state.files.add({ ...file, id });
}

const upload: SpecHandler = ({ state, req }) => {
  const type = req.query['type'];
  if (type !== undefined && type !== INLINE) return error(400, 'INVALID_DATA', MSG.invalidData, { param_name: 'type' });
  const parts = req.files.filter((f) => f.field === 'file');
  if (parts.length === 0) return error(400, 'failure_in_attachment_handling', 'Problem in uploading attachment. Send the file as a multipart part named file.');
  if (parts.some((f) => f.data.length > MAX_ATTACHMENT_BYTES)) return tooLarge(400);
  const by = state.userRef(req.userId, false);
  const now = state.nowString();
  const results = parts.map((part) => {
    const name = fileName(part, part.data);
    const { id } = keepFile(state, { name, contentType: typeOf(part, name), data: part.data, inline: type === INLINE, created_time: now, created_by: by });
    // Zoho's message, spelling included.
    return success(`${name} uploaded Succeessfully`, { name, id });
  });
  return { status: 200, json: { data: results } };
};

const getFile: SpecHandler = ({ state, req }) => {
  const id = req.query['id'];
  if (id === undefined || id === '') return paramMissing('id');
  const file = state.files.get(id);
  if (file === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { param_name: 'id', id });
  return download(file.name, file.contentType, file.data);
};

export const FILE_BEHAVIOURS: [string, SpecHandler][] = [
  ['files/Upload Files', upload],
  ['files/Get File', getFile],
];
