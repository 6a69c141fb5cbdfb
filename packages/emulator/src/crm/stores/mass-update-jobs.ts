/** Mass-update jobs by job id (they run at once; the job keeps the counts `GET …?job_id=` reports). */
import { KeyedTable } from './keyed-table.js';

export interface MassUpdateJob {
  Status: 'COMPLETED';
  Failed_Count: number;
  Updated_Count: number;
  Not_Updated_Count: number;
  Total_Count: number;
}

export class MassUpdateJobs extends KeyedTable<MassUpdateJob> {
  constructor() {
    super('massUpdateJobs');
  }

  add(id: string, job: MassUpdateJob): MassUpdateJob {
    return this.put(id, job);
  }
}
