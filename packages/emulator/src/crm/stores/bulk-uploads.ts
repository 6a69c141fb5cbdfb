/** Zipped CSV files uploaded for bulk write, by file id. */
import { bufferField, KeyedTable } from './keyed-table.js';

export interface BulkUpload {
  name: string;
  data: Buffer;
  created_time: string;
}

export class BulkUploads extends KeyedTable<BulkUpload> {
  constructor() {
    super('bulkUploads', bufferField<BulkUpload, 'data'>('data'));
  }

  add(fileId: string, upload: BulkUpload): BulkUpload {
    return this.put(fileId, upload);
  }
}
