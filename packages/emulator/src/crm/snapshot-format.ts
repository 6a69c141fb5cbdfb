/** Reads snapshots of format 1 (one key per side store, before the table list) as today's tables. */

type Row = Record<string, unknown>;

function rows(value: unknown): Row[] {
  return Array.isArray(value) ? (value as Row[]) : [];
}

/** Format 1's `{ counter, modules, attachments, photos, ... }` as `{ [table name]: data }`; mass-update jobs were not kept. */
export function legacySnapshotTables(snap: Record<string, unknown>): Record<string, unknown> {
  const byId = (list: Row[], id: (r: Row) => unknown, value: (r: Row) => unknown = (r) => r): [string, unknown][] =>
    list.map((r) => [String(id(r)), value(r)]);
  const withoutId = ({ id: _id, ...rest }: Row): Row => rest;
  return {
    ...(typeof snap['counter'] === 'number' ? { ids: snap['counter'] } : {}),
    ...(Array.isArray(snap['users']) ? { directory: { users: snap['users'] } } : {}),
    records: snap['modules'] ?? {},
    attachments: byId(rows(snap['attachments']), (a) => (a['meta'] as Row | undefined)?.['id']),
    photos: byId(rows(snap['photos']), (p) => p['id'], withoutId),
    tags: snap['tags'] ?? [],
    links: snap['links'] ?? [],
    bulkReadJobs: byId(rows(snap['bulkJobs']), (j) => j['id']),
    bulkUploads: byId(rows(snap['uploads']), (u) => u['id'], withoutId),
    bulkWriteJobs: byId(rows(snap['writeJobs']), (j) => j['id']),
  };
}
