/** Shapes the CRM stores keep (stores/): per module, and for attachments, photos, tags, links and bulk jobs. */
import type { CrmRecord, FieldMeta, ModuleDefinition, ModuleMeta } from '../seed/types.js';

export interface UserRef {
  name: string;
  id: string;
  email?: string;
}

export interface DeletedEntry {
  deleted_by: UserRef | null;
  id: string;
  display_name: string | null;
  type: 'recycle' | 'permanent';
  created_by: UserRef | null;
  deleted_time: string;
}

/** One API module with its records and indexes, as routes read it (only the record store writes them). */
export interface ModuleStore {
  name: string;
  def: ModuleDefinition;
  fields: Map<string, FieldMeta>;
  /** Records by id, in insertion (= id) order. */
  records: ReadonlyMap<string, CrmRecord>;
  /** Modified time (epoch ms) by id, for If-Modified-Since without parsing strings. */
  modifiedMs: ReadonlyMap<string, number>;
  deleted: readonly DeletedEntry[];
  /** Unique fields: api_name → normalised value → record id. */
  unique: ReadonlyMap<string, ReadonlyMap<string, string>>;
  uniqueFields: FieldMeta[];
  /** Fields whose value is a `{name,id}` object pointing at another record. */
  lookupFields: FieldMeta[];
}

export interface AttachmentEntry {
  meta: CrmRecord;
  parentId: string;
  parentModule: string;
  data: Buffer | null;
  contentType: string;
}

export interface PhotoEntry {
  data: Buffer;
  contentType: string;
  fileName: string;
}

export interface TagEntry {
  id: string;
  name: string;
  created_by: UserRef;
  modified_by: UserRef;
  created_time: string;
  modified_time: string;
}

/** A many-to-many relation between two records (Leads ↔ Products, Contacts ↔ Campaigns ...). */
export interface LinkEntry {
  aModule: string;
  aId: string;
  bModule: string;
  bId: string;
  fields: Record<string, unknown>;
}

export interface BulkReadJob {
  id: string;
  operation: 'read';
  state: 'ADDED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILURE';
  query: Record<string, unknown>;
  callback: unknown;
  file_type: string;
  created_by: UserRef;
  created_time: string;
  result?: { count: number; csv: string };
}

/** Everything the seed supplies. */
export interface SeedData {
  modules: ModuleDefinition[];
  nonApiModules: ModuleMeta[];
  users: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  profiles: Record<string, unknown>[];
  org: Record<string, unknown>;
  /** Initial records per module, possibly holding `{ $ref: { module, index } }` lookup placeholders. */
  dataset: Record<string, Record<string, unknown>[]>;
}
