/**
 * What changes between Zoho CRM API versions, as the resources need it (wire spec §11), in one table so no
 * resource compares version strings itself.
 */

/** `v2` → 2, `v2.1` → 2.1, `v8` → 8. */
export function apiVersionNumber(version: string): number {
  const n = Number.parseFloat(version.replace(/^v/i, ''));
  return Number.isFinite(n) ? n : 2;
}

/** Records reachable with `page`/`per_page` before v3+ insists on `page_token` (DISCRETE_PAGINATION_LIMIT_EXCEEDED). */
export const DISCRETE_PAGINATION_LIMIT = 2000;
/** Largest `per_page` Zoho accepts on list calls; also its default. */
export const MAX_PER_PAGE = 200;
/** Records per write call (insert, update, upsert, delete). */
export const MAX_RECORDS_PER_WRITE = 100;
/** Most `fields` a v3+ list call may name. */
export const MAX_LIST_FIELDS = 50;

export interface VersionRules {
  /** v3+ caps `page` paging at 2,000 records and continues with `page_token`. */
  pageToken: boolean;
  /** v3+ list calls (records, notes) need `fields`. */
  listNeedsFields: boolean;
  /** v5+ related-record lists need `fields`. */
  relatedNeedsFields: boolean;
  /** v4+ take a multi-record tag call's `ids` and `over_write` and its tags in the JSON body, v2/v3 in the query. */
  tagsInBody: boolean;
  /** Rows per COQL call (LIMIT): 200 on v2/v3, 2,000 on v4+. */
  coqlMaxLimit: number;
  /** Rows reachable with COQL LIMIT/OFFSET: 10,000 up to v6, 100,000 on v7+. */
  coqlMaxRows: number;
}

/** The rules of one API version. */
export function versionRules(version: string): VersionRules {
  const n = apiVersionNumber(version);
  return {
    pageToken: n >= 3,
    listNeedsFields: n >= 3,
    relatedNeedsFields: n >= 5,
    tagsInBody: n >= 4,
    coqlMaxLimit: n >= 4 ? 2000 : 200,
    coqlMaxRows: n >= 7 ? 100_000 : 10_000,
  };
}
