/**
 * The one pagination module. A `Page` holds one reply's rows and knows how to ask for the next one; a
 * `PagePromise` is awaitable (the first page) and `for await`-iterable (every row of every page, one page in
 * memory at a time). Which cursor Zoho needs is decided here, never by the caller:
 * - list-style calls (records, search, deleted, related, notes, users): `page` up to 2,000 records, then the
 *   reply's `next_page_token` on v3+ (Zoho refuses `page` past 2,000 there: DISCRETE_PAGINATION_LIMIT_EXCEEDED);
 *   v2 keeps `page`.
 * - COQL: LIMIT/OFFSET windows (see `offsetPages`).
 */
import type { ApiRequest } from '../client.js';
import { ApiError } from '../errors.js';
import { isObject } from '../internal/is-object.js';
import type { QueryValue } from '../internal/path.js';
import { sendJson, type ResponseMeta, type WithResponse } from './api-promise.js';
import type { RequestSender } from './resource.js';
import { DISCRETE_PAGINATION_LIMIT, MAX_PER_PAGE, versionRules } from './versions.js';

/** Zoho's `info` object of a list reply (v3+ adds the token keys). Unknown keys are kept. */
export interface PageInfo {
  per_page?: number;
  /** Rows in this page. */
  count?: number;
  page?: number;
  more_records?: boolean;
  next_page_token?: string | null;
  previous_page_token?: string | null;
  page_token_expiry?: string | null;
  sort_by?: string;
  sort_order?: string;
  [key: string]: unknown;
}

/** The metadata of a page built without a reply (by hand, in tests). */
const NO_REPLY: ResponseMeta = { status: 200, headers: {}, requestId: undefined };

/** Loads the page after the current one. */
type NextLoader<T> = () => Promise<Page<T>>;

/**
 * One page of results. `nextPage()` resolves `null` when there is none (`hasNextPage()` tells beforehand);
 * `for await (const row of page)` walks this page and every later one.
 */
export class Page<T> implements AsyncIterable<T> {
  /** The rows of this page (empty when Zoho answered 204 No Content). */
  readonly data: T[];
  /** Zoho's `info` object (`{}` when the reply had none). */
  readonly info: PageInfo;
  /** The reply's status, headers and request id. */
  readonly response: ResponseMeta;
  readonly #next: NextLoader<T> | undefined;

  constructor(data: T[], info: PageInfo, next: NextLoader<T> | undefined, response: ResponseMeta = NO_REPLY) {
    this.data = data;
    this.info = info;
    this.#next = next;
    this.response = response;
  }

  /** Whether Zoho said there are more rows after this page. */
  hasNextPage(): boolean {
    return this.#next !== undefined;
  }

  /** The next page, or `null` when this is the last one. */
  nextPage(): Promise<Page<T> | null> {
    return this.#next === undefined ? Promise.resolve(null) : this.#next();
  }

  /** Every page from this one on; only the current page is held. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> | null = this;
    while (page !== null) {
      yield page;
      page = await page.nextPage();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}

/**
 * `await` it for the first page, or `for await` it for every row of every page. The first request is sent
 * when it is first awaited or iterated (so an unused one costs nothing and cannot reject unobserved).
 */
export class PagePromise<T> extends Promise<Page<T>> implements AsyncIterable<T> {
  // `then` must build plain promises, not PagePromises (which need a loader).
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #load: (() => Promise<Page<T>>) | undefined;
  readonly #resolve: (page: Page<T>) => void;
  readonly #reject: (error: unknown) => void;

  constructor(load: () => Promise<Page<T>>) {
    let resolve: ((page: Page<T>) => void) | undefined;
    let reject: ((error: unknown) => void) | undefined;
    super((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#resolve = resolve as (page: Page<T>) => void;
    this.#reject = reject as (error: unknown) => void;
    this.#load = load;
  }

  override then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#start();
    return super.then(onfulfilled, onrejected);
  }

  /**
   * A PagePromise whose pages come from `build()`, called when first awaited: a bad argument found by `build`
   * rejects the promise (as every other failure does) instead of throwing where the call was written.
   */
  static defer<T>(build: () => PromiseLike<Page<T>>): PagePromise<T> {
    return new PagePromise(async () => build());
  }

  /** Every page, the first included; only the current page is held. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    yield* (await this).pages();
  }

  /** The first page with its reply's `{ status, headers, requestId }` (every page also has `.response`). */
  withResponse(): Promise<WithResponse<Page<T>>> {
    return this.then((page) => ({ data: page, response: page.response }));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this;
  }

  #start(): void {
    const load = this.#load;
    if (load === undefined) return;
    this.#load = undefined;
    load().then(this.#resolve, this.#reject);
  }
}

/** A request for a list-style endpoint: its first page's query, and where the rows sit in the reply. */
export interface ListPageRequest extends Omit<ApiRequest, 'query' | 'method'> {
  method?: 'GET' | 'POST';
  query: Record<string, QueryValue>;
  /** Key of the rows in the reply: `data` (default), `users`, ... */
  dataKey?: string;
}

/** A list-style endpoint as a PagePromise: `page`, then `page_token` past 2,000 records on v3+. */
export function listPages<T>(client: RequestSender, req: ListPageRequest): PagePromise<T> {
  return new PagePromise(() => fetchListPage<T>(client, req, req.query));
}

async function fetchListPage<T>(client: RequestSender, req: ListPageRequest, query: Record<string, QueryValue>): Promise<Page<T>> {
  const { dataKey = 'data', ...rest } = req;
  const { body, response } = await sendJson<Record<string, unknown>>(client, { ...rest, method: req.method ?? 'GET', query });
  const rows = body?.[dataKey];
  const data = Array.isArray(rows) ? (rows as T[]) : [];
  const info = isObject(body?.['info']) ? (body['info'] as PageInfo) : {};
  const nextQuery = data.length === 0 ? undefined : nextListQuery(client.config.apiVersion, query, info);
  return new Page(data, info, nextQuery === undefined ? undefined : () => fetchListPage<T>(client, req, nextQuery), response);
}

/** The query of the page after `info`'s, or undefined at the end. Exported for its table-driven test. */
export function nextListQuery(apiVersion: string, query: Record<string, QueryValue>, info: PageInfo): Record<string, QueryValue> | undefined {
  if (info.more_records !== true) return undefined;
  const token = typeof info.next_page_token === 'string' && info.next_page_token !== '' ? info.next_page_token : undefined;
  const { page: _page, page_token: onToken, ...rest } = query;
  if (onToken !== undefined && onToken !== null) {
    if (token === undefined) throw missingToken();
    return { ...rest, page_token: token };
  }
  const perPage = numberOr(info.per_page, numberOr(query['per_page'], MAX_PER_PAGE));
  const nextPage = numberOr(info.page, numberOr(query['page'], 1)) + 1;
  if (versionRules(apiVersion).pageToken && nextPage * perPage > DISCRETE_PAGINATION_LIMIT) {
    if (token === undefined) throw missingToken();
    return { ...rest, page_token: token };
  }
  return { ...rest, page: nextPage };
}

function missingToken(): ApiError {
  return new ApiError({
    status: 200,
    code: 'INVALID_RESPONSE',
    message:
      'Zoho said more records follow but sent no next_page_token, which is needed past the first 2,000 records. Narrow the query (criteria, cvid) or use crm.bulk.read for large exports.',
  });
}

/** One COQL-style window: rows from `offset`, at most `limit` of them. */
export interface OffsetWindow {
  offset: number;
  limit: number;
}

export interface OffsetPagesOptions {
  /** First row. */
  offset: number;
  /** Rows per call. */
  pageSize: number;
  /** Stop after this many rows in all (the caller's own LIMIT); undefined = until Zoho has no more. */
  total?: number | undefined;
  /** Rows reachable by OFFSET at all (Zoho's cap); past it iteration throws instead of silently stopping. */
  maxRows: number;
}

/** An offset-paged endpoint (COQL) as a PagePromise: windows of `pageSize` rows until `total` or the end. */
export function offsetPages<T>(
  load: (window: OffsetWindow) => Promise<{ data: T[]; info: PageInfo; response: ResponseMeta }>,
  options: OffsetPagesOptions,
): PagePromise<T> {
  const fetchWindow = async (offset: number, remaining: number | undefined): Promise<Page<T>> => {
    const limit = remaining === undefined ? options.pageSize : Math.min(options.pageSize, remaining);
    const { data, info, response } = await load({ offset, limit });
    const left = remaining === undefined ? undefined : remaining - data.length;
    const more = info.more_records === true && data.length > 0 && (left === undefined || left > 0);
    if (!more) return new Page(data, info, undefined, response);
    const nextOffset = offset + data.length;
    return new Page(
      data,
      info,
      () => {
        if (nextOffset >= options.maxRows) {
          return Promise.reject(
            new ApiError({
              status: 200,
              code: 'LIMIT_EXCEEDED',
              message: `Zoho serves at most ${options.maxRows} COQL rows through LIMIT/OFFSET on this API version. Page on a key instead (add "where id > '<last id>'" with "order by id") or use crm.bulk.read.`,
              details: { limit: options.maxRows },
            }),
          );
        }
        return fetchWindow(nextOffset, left);
      },
      response,
    );
  };
  return new PagePromise(() => fetchWindow(options.offset, options.total));
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
