/** The extension <-> media type table lives in src/internal/mime.ts, shared with the client's uploads. */
export { extensionForType, typeForName } from '../internal/mime.js';
