/** The facts the emulator keeps about each Zoho CRM v8 operation (written by api-description/generators/emulator.mjs). */

/** The JSON-Schema subset of the compact description (see api-description/README.md, "Schema normal form"). */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'string' | 'array' | 'integer' | 'boolean' | 'number' | 'null';
  format?: string;
  nullable?: boolean;
  enum?: (string | number | boolean | null)[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface SpecParam {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface SpecBody {
  required: boolean;
  contentType: string | null;
  schema: Schema | null;
  fromOverlay?: true;
}

export interface SpecResponse {
  contentType?: string;
  schema?: Schema | null;
}

/** One operation: `key` is `<area>/<operationId>`, unique across the description. */
export interface SpecOperation {
  key: string;
  area: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  params: SpecParam[];
  body?: SpecBody;
  responses: Record<string, SpecResponse>;
  errorCodes: string[];
  scopes: string[];
}
