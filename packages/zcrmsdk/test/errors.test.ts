import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ZohoCRM } from '../src/client.js';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  DuplicateDataError,
  InvalidDataError,
  InvalidModuleError,
  InvalidTokenError,
  LimitExceededError,
  MandatoryNotFoundError,
  NoPermissionError,
  NotFoundError,
  OAuthScopeMismatchError,
  PermissionError,
  RateLimitError,
  RequiredParamMissingError,
  ServerError,
  TokenStoreError,
  ZohoError,
  apiErrorFromResponse,
  parseZohoErrorBody,
} from '../src/errors.js';
import { MemoryTokenStore } from '../src/stores/memory-store.js';
import type { StoredToken, TokenStore } from '../src/stores/token-store.js';

const body = (code: string, details: Record<string, unknown> = {}, message = 'zoho says no') => JSON.stringify({ code, details, message, status: 'error' });

/** Everything a user could print of an error. */
const allText = (error: unknown) => `${(error as Error).message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;

describe('the error factory', () => {
  const table: [number, string, new (...args: never[]) => ApiError, new (...args: never[]) => ApiError][] = [
    [400, 'INVALID_DATA', InvalidDataError, BadRequestError],
    [400, 'DUPLICATE_DATA', DuplicateDataError, BadRequestError],
    [400, 'MANDATORY_NOT_FOUND', MandatoryNotFoundError, BadRequestError],
    [400, 'REQUIRED_PARAM_MISSING', RequiredParamMissingError, BadRequestError],
    [400, 'LIMIT_EXCEEDED', LimitExceededError, BadRequestError],
    [400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', LimitExceededError, BadRequestError],
    [400, 'INVALID_MODULE', InvalidModuleError, BadRequestError],
    [401, 'INVALID_TOKEN', InvalidTokenError, AuthenticationError],
    [401, 'OAUTH_SCOPE_MISMATCH', OAuthScopeMismatchError, AuthenticationError],
    [401, 'AUTHENTICATION_FAILURE', AuthenticationError, AuthenticationError],
    [403, 'NO_PERMISSION', NoPermissionError, PermissionError],
    [404, 'INVALID_URL_PATTERN', NotFoundError, NotFoundError],
    [429, 'TOO_MANY_REQUESTS', RateLimitError, RateLimitError],
    [500, 'INTERNAL_ERROR', ServerError, ServerError],
    // A code whose class belongs to another status falls back to the status's class.
    [500, 'INVALID_DATA', ServerError, ServerError],
    [404, 'INVALID_MODULE', NotFoundError, NotFoundError],
  ];
  for (const [status, code, cls, base] of table) {
    it(`${status} ${code} → ${cls.name}`, () => {
      const error = apiErrorFromResponse(status, body(code));
      assert.equal(error.constructor, cls);
      assert.ok(error instanceof base && error instanceof ApiError && error instanceof ZohoError);
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.match(error.message, new RegExp(`zoho says no \\(${code}, HTTP ${status}\\)`));
    });
  }

  it('reads the first item of an all-failed write envelope, and survives bodies that are not JSON', () => {
    const envelope = JSON.stringify({ data: [{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name' }, message: 'required field not found', status: 'error' }] });
    const error = apiErrorFromResponse(400, envelope);
    assert.ok(error instanceof MandatoryNotFoundError);
    assert.deepEqual(error.details, { api_name: 'Last_Name' });
    assert.deepEqual(parseZohoErrorBody(Buffer.from(envelope))?.code, 'MANDATORY_NOT_FOUND');
    const html = apiErrorFromResponse(502, '<html>bad gateway</html>');
    assert.ok(html instanceof ServerError);
    assert.equal(html.code, 'HTTP_502');
    assert.equal(parseZohoErrorBody('<html>'), undefined);
    assert.equal(parseZohoErrorBody('[1,2]'), undefined);
  });

  it("reads a wrapper's one error object (the base currency's ALREADY_ENABLED)", () => {
    const body = JSON.stringify({ base_currency: { code: 'ALREADY_ENABLED', details: {}, message: 'multi-currency is already enabled', status: 'error' } });
    const error = apiErrorFromResponse(400, body);
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.code, 'ALREADY_ENABLED');
    assert.match(error.message, /multi-currency is already enabled \(ALREADY_ENABLED, HTTP 400\)/);
  });

  it('names the request (without its query) when the caller says what it was', () => {
    const error = apiErrorFromResponse(400, body('INVALID_MODULE'), {}, { method: 'GET', url: 'https://www.zohoapis.com/crm/v8/Leadz?fields=a' });
    assert.match(error.message, /^GET \/crm\/v8\/Leadz: zoho says no \(INVALID_MODULE, HTTP 400\)\. Use the module API name/);
    assert.ok(!error.message.includes('fields=a'));
  });

  it('parses Retry-After on every ApiError with the one parser, and keeps headers and the request id', () => {
    const error = apiErrorFromResponse(503, body('INTERNAL_ERROR'), { 'Retry-After': '1.5', 'X-Request-Id': 'req-42', 'Set-Cookie': 'a=b' });
    assert.equal(error.retryAfterMs, 1500);
    assert.equal(error.requestId, 'req-42');
    assert.equal(error.headers['retry-after'], '1.5');
    assert.equal(error.headers['set-cookie'], '[REDACTED]');
    assert.match(error.message, /Request id: req-42/);
    assert.equal(apiErrorFromResponse(429, body('TOO_MANY_REQUESTS'), { 'retry-after': 'soon' }).retryAfterMs, undefined);
  });
});

describe('errors carry no secret (end to end against the emulator)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });

  async function client(store: TokenStore = new MemoryTokenStore()) {
    const crm = new ZohoCRM({ clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, accountsUrl: emu.url, apiUrl: emu.url, tokenStore: store, maxRetries: 0 });
    const token = await crm.generateTokens(await emu.grantToken());
    return { crm, token };
  }

  it('redacts details, headers and message when Zoho echoes the token, and keeps status, code, request id, Retry-After', async () => {
    const { crm, token } = await client();
    try {
      emu.failNext({
        status: 400,
        body: { code: 'DUPLICATE_DATA', details: { id: '42', api_name: 'Email', echoed: `Zoho-oauthtoken ${token.accessToken}`, access_token: 'opaque-value-123' }, message: `duplicate data for ${token.accessToken}`, status: 'error' },
        headers: { 'X-Request-Id': 'emu-req-1', 'Retry-After': '2' },
      });
      const error = await crm.request({ method: 'GET', path: 'Leads' }).then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DuplicateDataError && error instanceof BadRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'DUPLICATE_DATA');
      assert.equal(error.details.id, '42');
      assert.equal(error.details.api_name, 'Email');
      assert.equal(error.details.access_token, '[REDACTED]');
      assert.equal(error.requestId, 'emu-req-1');
      assert.equal(error.retryAfterMs, 2000);
      for (const secret of [token.accessToken, token.refreshToken ?? 'no-refresh', 'opaque-value-123', emu.client.clientSecret]) {
        assert.ok(!allText(error).includes(secret), `leaked ${secret.slice(0, 9)}…`);
      }
    } finally {
      await crm.close();
    }
  });

  it("redacts a custom store's error through the cause chain, keeping its class and code", async () => {
    class StoreFailure extends Error {
      code = 'E_STORE';
    }
    let leaked = '';
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      get: (user) => inner.get(user),
      save: async (token: StoredToken) => {
        await inner.save(token);
      },
      delete: (user) => inner.delete(user),
    };
    const { crm, token } = await client(store);
    try {
      leaked = token.accessToken;
      store.get = async () => {
        const root = new Error(`row has refresh_token ${token.refreshToken} and secret ${emu.client.clientSecret}`);
        throw new StoreFailure(`cannot read row {"access_token":"${token.accessToken}"} plain ${token.accessToken}`, { cause: root });
      };
      crm.tokens.clearCache();
      const error = await crm.request({ method: 'GET', path: 'Leads' }).then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TokenStoreError);
      assert.ok(error.cause instanceof StoreFailure, 'the cause keeps its class');
      assert.equal((error.cause as StoreFailure).code, 'E_STORE');
      assert.ok((error.cause as Error).cause instanceof Error);
      const text = allText(error);
      for (const secret of [leaked, token.refreshToken ?? 'x', emu.client.clientSecret]) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 9)}…`);
      assert.match(inspect(error, { depth: 10 }), /StoreFailure/);
      assert.match(JSON.stringify(error), /"code":"E_STORE"/);
    } finally {
      await crm.close();
    }
  });

  it('does not use registered secrets shorter than 8 characters for substring redaction', async () => {
    const crm = new ZohoCRM({ clientId: 'id', clientSecret: 'wrong', accountsUrl: emu.url, apiUrl: emu.url });
    const again = new ZohoCRM({ clientId: 'id', clientSecret: 'another-long-secret', accountsUrl: emu.url, apiUrl: emu.url });
    try {
      assert.equal(new ConfigError('something went wrong').message, 'something went wrong');
      assert.equal(new ConfigError('another-long-secret leaked').message, '[REDACTED] leaked');
    } finally {
      await crm.close();
      await again.close();
    }
  });
});
