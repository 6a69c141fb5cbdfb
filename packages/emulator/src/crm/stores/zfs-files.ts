/** Files uploaded to Zoho's file system (`POST /crm/v8/files`) by their encrypted id, with their bytes. */
import type { UserRef } from '../store-types.js';
import { bufferField, KeyedTable } from './keyed-table.js';

export interface ZfsFile {
  /** The encrypted id the upload answered (hex, like Zoho's). */
  id: string;
  name: string;
  contentType: string;
  data: Buffer;
  /** Uploaded with `type=inline` (an image for rich text). */
  inline: boolean;
  created_time: string;
  created_by: UserRef;
}

export class ZfsFiles extends KeyedTable<ZfsFile> {
  constructor() {
    super('files', bufferField<ZfsFile, 'data'>('data'));
  }

  add(file: ZfsFile): ZfsFile {
    return this.put(file.id, file);
  }
}
