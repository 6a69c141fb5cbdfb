/**
 * File-name extension <-> media type: the client's multipart uploads and the emulator's attachment downloads
 * share it. A short table of what CRM
 * users attach keeps the emulator free of a mime database dependency (mime-db is 240 KB the SDK's users
 * would install for the emulator alone); anything else is application/octet-stream, as Zoho answers for
 * types it does not know.
 */
const TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain', csv: 'text/csv', html: 'text/html', htm: 'text/html', css: 'text/css', md: 'text/markdown',
  xml: 'application/xml', json: 'application/json', js: 'text/javascript', ics: 'text/calendar', vcf: 'text/vcard',
  pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar', '7z': 'application/x-7z-compressed',
  pem: 'application/x-x509-ca-cert', crt: 'application/x-x509-ca-cert', der: 'application/x-x509-ca-cert',
  rtf: 'application/rtf', eml: 'message/rfc822', msg: 'application/vnd.ms-outlook',
  doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp',
  svg: 'image/svg+xml', tif: 'image/tiff', tiff: 'image/tiff', ico: 'image/vnd.microsoft.icon', heic: 'image/heic',
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', m4a: 'audio/mp4',
  mp4: 'video/mp4', mov: 'video/quicktime', avi: 'video/x-msvideo', webm: 'video/webm',
};

const EXTENSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TYPES).reverse().map(([ext, type]) => [type, ext]),
);

/** The media type of a file name by its extension, or `undefined` when the table does not know it. */
export function typeForName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : TYPES[name.slice(dot + 1).toLowerCase()];
}

/** The usual extension of a media type (`image/png` -> `png`), or `undefined`. */
export function extensionForType(contentType: string): string | undefined {
  return EXTENSIONS[contentType.split(';')[0]?.trim().toLowerCase() ?? ''];
}
