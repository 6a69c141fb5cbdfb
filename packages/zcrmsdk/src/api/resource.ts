import type { Readable } from 'node:stream';
import type { ApiRequest, ApiResponse, ResolvedConfig } from '../client.js';

/** A CRM API reply whose body is a stream (downloads, bulk results): never buffered whole. */
export interface ApiStreamResponse {
  status: number;
  statusText: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body; consume or destroy it, or the connection stays busy. */
  body: Readable;
  /** The URL requested (no credentials in it). */
  url: string;
  method: string;
}

/**
 * What a resource may use of the client: the request pipeline and the resolved configuration. `ZohoCRM`
 * and the per-user views of `crm.withUser()` both provide it, so a resource never knows which it has.
 */
export interface RequestSender {
  readonly config: ResolvedConfig;
  request(req: ApiRequest): Promise<ApiResponse>;
  requestJson<T = unknown>(req: ApiRequest): Promise<T | undefined>;
  requestStream(req: ApiRequest): Promise<ApiStreamResponse>;
}

/**
 * Base of every resource: it holds the client and turns typed calls into pipeline requests. It never touches
 * the transport, tokens or retries; those are the pipeline's.
 */
export abstract class APIResource {
  protected readonly client: RequestSender;

  constructor(client: RequestSender) {
    this.client = client;
  }
}
