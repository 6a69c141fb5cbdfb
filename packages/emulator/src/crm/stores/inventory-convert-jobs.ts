/**
 * Inventory mass-convert jobs by job id (quotes or sales orders; they run at once, and the job keeps the
 * counts `GET /{module}/actions/mass_convert?job_id=` reports, under the module it was scheduled on).
 */
import { KeyedTable } from './keyed-table.js';

/** The counts of a job, with Zoho's keys. */
export interface InventoryConvertStatus {
  total_count: number;
  converted_count: number;
  not_converted_count: number;
  failed_count: number;
  status: 'COMPLETED';
}

export interface InventoryConvertJob {
  /** The parent module the job converted records of (`Quotes`, `Sales_Orders`). */
  module: string;
  counts: InventoryConvertStatus;
}

export class InventoryConvertJobs extends KeyedTable<InventoryConvertJob> {
  constructor() {
    super('inventoryConvertJobs');
  }

  add(id: string, job: InventoryConvertJob): InventoryConvertJob {
    return this.put(id, job);
  }
}
