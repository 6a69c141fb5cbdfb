import { assertModuleName } from '../internal/path.js';
import { APIResource, type RequestSender } from './resource.js';

/** A resource scoped to one module (`crm.records('Leads')`): the module's API name is validated once, here. */
export abstract class ModuleResource extends APIResource {
  readonly module: string;

  constructor(client: RequestSender, module: string) {
    super(client);
    this.module = assertModuleName(module);
  }
}
