/** Mass-convert jobs of leads by job id (they run at once; the job keeps the counts `GET …?job_id=` reports). */
import { KeyedTable } from './keyed-table.js';

export interface MassConvertJob {
  Status: 'COMPLETED';
  Failed_Count: number;
  Not_Converted_Count: number;
  Total_Count: number;
  Converted_Count: number;
}

export class MassConvertJobs extends KeyedTable<MassConvertJob> {
  constructor() {
    super('massConvertJobs');
  }

  add(id: string, job: MassConvertJob): MassConvertJob {
    return this.put(id, job);
  }
}
