/** Record attachments (files and links) by attachment id, with their bytes. */
import type { CrmRecord } from '../../seed/types.js';
import type { AttachmentEntry } from '../store-types.js';
import { bufferField, KeyedTable } from './keyed-table.js';

export class Attachments extends KeyedTable<AttachmentEntry> {
  constructor() {
    super('attachments', bufferField<AttachmentEntry, 'data'>('data'));
  }

  /** Attachments of one record, in upload order. */
  ofRecord(recordId: string): AttachmentEntry[] {
    return [...this.values()].filter((a) => a.parentId === recordId);
  }

  add(entry: AttachmentEntry): AttachmentEntry {
    return this.put(String(entry.meta.id), entry);
  }

  delete(id: string): boolean {
    return this.remove(id);
  }

  /** Moves a record's attachments to another record (a converted lead's go to its contact). */
  reparent(fromId: string, toModule: string, toRef: { name: string | null; id: string }): void {
    for (const a of this.values()) {
      if (a.parentId !== fromId) continue;
      a.parentId = toRef.id;
      a.parentModule = toModule;
      a.meta['Parent_Id'] = toRef;
      a.meta['$se_module'] = toModule;
    }
  }
}

export type { AttachmentEntry, CrmRecord };
