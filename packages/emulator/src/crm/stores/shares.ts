/** Records shared with users (`/{module}/{id}/actions/share`), by record id. */
import type { UserRef } from '../store-types.js';
import { KeyedTable } from './keyed-table.js';

/** Zoho's share permissions. */
export const SHARE_PERMISSIONS = ['read_only', 'read_write', 'full_access'] as const;
export type SharePermission = (typeof SHARE_PERMISSIONS)[number];

/** One user a record is shared with. */
export interface Share {
  /** The user's id. */
  user: string;
  permission: SharePermission;
  share_related_records: boolean;
  shared_time: string;
  shared_by: UserRef;
}

export class Shares extends KeyedTable<Share[]> {
  constructor() {
    super('shares');
  }

  /** The users a record is shared with, in the order they were given access. */
  of(recordId: string): readonly Share[] {
    return this.get(recordId) ?? [];
  }

  /** Replaces a record's shares (an empty list revokes them all). */
  set(recordId: string, shares: Share[]): void {
    if (shares.length === 0) this.remove(recordId);
    else this.put(recordId, shares);
  }
}
