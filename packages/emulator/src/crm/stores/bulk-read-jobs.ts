/** Bulk read jobs by job id. */
import type { BulkReadJob } from '../store-types.js';
import { KeyedTable } from './keyed-table.js';

export class BulkReadJobs extends KeyedTable<BulkReadJob> {
  constructor() {
    super('bulkReadJobs');
  }

  add(job: BulkReadJob): BulkReadJob {
    return this.put(job.id, job);
  }

  /** Marks a job finished with its result (or failed, without one). */
  complete(id: string, result: BulkReadJob['result'] | undefined): void {
    const job = this.get(id);
    if (job === undefined) return;
    if (result === undefined) job.state = 'FAILURE';
    else {
      job.result = result;
      job.state = 'COMPLETED';
    }
  }
}
