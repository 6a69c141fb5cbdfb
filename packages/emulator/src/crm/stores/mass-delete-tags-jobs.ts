/** Mass-delete-tags jobs by job id (they run at once; the job keeps the counts `GET …?job_id=` reports). */
import { KeyedTable } from './keyed-table.js';

export interface MassDeleteTagsJob {
  job_id: string;
  total_count: number;
  failed_count: number;
  deleted_count: number;
  status: 'COMPLETED';
}

export class MassDeleteTagsJobs extends KeyedTable<MassDeleteTagsJob> {
  constructor() {
    super('massDeleteTagsJobs');
  }

  add(job: MassDeleteTagsJob): MassDeleteTagsJob {
    return this.put(job.job_id, job);
  }
}
