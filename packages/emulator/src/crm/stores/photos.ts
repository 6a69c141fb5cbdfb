/** Record photos by record id. */
import type { PhotoEntry } from '../store-types.js';
import { bufferField, KeyedTable } from './keyed-table.js';

export class Photos extends KeyedTable<PhotoEntry> {
  constructor() {
    super('photos', bufferField<PhotoEntry, 'data'>('data'));
  }

  set(recordId: string, photo: PhotoEntry): void {
    this.put(recordId, photo);
  }

  delete(recordId: string): boolean {
    return this.remove(recordId);
  }
}
