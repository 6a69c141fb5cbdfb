/** Bulk write jobs by job id. */
import { KeyedTable } from './keyed-table.js';

export interface BulkWriteJob {
  id: string;
  operation: 'insert' | 'update' | 'upsert';
  character_encoding: string;
  callback: unknown;
  status: 'ADDED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILED';
  resource: Record<string, unknown>[];
  created_by: { name: string; id: string };
  created_time: string;
  /** Result CSV per resource index. */
  results: string[];
}

export class BulkWriteJobs extends KeyedTable<BulkWriteJob> {
  constructor() {
    super('bulkWriteJobs');
  }

  add(job: BulkWriteJob): BulkWriteJob {
    return this.put(job.id, job);
  }

  /** Ends a job with one result CSV and one `file` summary per resource; a FAILED file fails its resource and the job. */
  complete(id: string, results: string[], files: Record<string, unknown>[]): void {
    const job = this.get(id);
    if (job === undefined) return;
    job.results = results;
    job.resource.forEach((r, i) => {
      r['status'] = files[i]?.['status'] === 'FAILED' ? 'FAILED' : 'COMPLETED';
      r['file'] = files[i];
    });
    job.status = job.resource.some((r) => r['status'] === 'FAILED') ? 'FAILED' : 'COMPLETED';
  }
}
