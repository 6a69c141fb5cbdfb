import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ConfigError, TokenStoreError } from '../../src/errors.js';
import {
  LegacyModuleTokenStore,
  loadLegacyTokenModule,
  type LegacyTokenModule,
} from '../../src/stores/legacy-module-store.js';

const FIXTURES = join(__dirname, '../fixtures/legacy-module');

/** A module whose getOAuthTokens resolves `result`, recording what it was asked. */
function moduleResolving(result: unknown): LegacyTokenModule & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    saveOAuthTokens: async (obj) => void calls.push(['save', obj]),
    updateOAuthTokens: async (obj) => void calls.push(['update', obj]),
    getOAuthTokens: async (user) => {
      calls.push(['get', user]);
      return result;
    },
  };
}

test('get maps the README array of {accesstoken, refreshtoken, expirytime} (first element)', async () => {
  const mod = moduleResolving([
    { accesstoken: 'AT-1', refreshtoken: 'RT-1', expirytime: 1700000000000 },
    { accesstoken: 'AT-2', refreshtoken: 'RT-2', expirytime: 1800000000000 },
  ]);
  const store = new LegacyModuleTokenStore(mod);
  assert.deepEqual(await store.get('a@x.com'), {
    userId: 'a@x.com',
    accessToken: 'AT-1',
    refreshToken: 'RT-1',
    expiresAt: 1700000000000,
  });
  assert.deepEqual(mod.calls, [['get', 'a@x.com']]);
});

test('get maps the 0.0.20 object {access_token, refresh_token, expires_in} and an array of it; numbers as strings', async () => {
  const object = { access_token: 'AT', refresh_token: 'RT', expires_in: '1700000000123', user_identifier: 'other' };
  const expected = { userId: 'u', accessToken: 'AT', refreshToken: 'RT', expiresAt: 1700000000123 };
  assert.deepEqual(await new LegacyModuleTokenStore(moduleResolving(object)).get('u'), expected);
  assert.deepEqual(await new LegacyModuleTokenStore(moduleResolving([object])).get('u'), expected);
  const readmeStrings = [{ accesstoken: 'AT', refreshtoken: 'RT', expirytime: '1700000000123' }];
  assert.deepEqual(await new LegacyModuleTokenStore(moduleResolving(readmeStrings)).get('u'), expected);
});

test("get drops a refresh token stored as the text 'undefined' or null, and keeps expired tokens", async () => {
  const store = new LegacyModuleTokenStore(moduleResolving({ access_token: 'AT', refresh_token: 'undefined', expires_in: 5 }));
  assert.deepEqual(await store.get('u'), { userId: 'u', accessToken: 'AT', expiresAt: 5 });
  const nullRefresh = new LegacyModuleTokenStore(moduleResolving([{ accesstoken: 'AT', refreshtoken: null, expirytime: 'x' }]));
  assert.deepEqual(await nullRefresh.get('u'), { userId: 'u', accessToken: 'AT', expiresAt: 0 });
});

test('get with only a refresh token returns an already-expired token so that it is refreshed', async () => {
  const store = new LegacyModuleTokenStore(moduleResolving({ refresh_token: 'RT', expires_in: 9e12 }));
  assert.deepEqual(await store.get('u'), { userId: 'u', accessToken: '', refreshToken: 'RT', expiresAt: 0 });
});

test('get returns null for [], null, undefined, {} and the {} written after a failed 0.0.x refresh', async () => {
  for (const empty of [[], null, undefined, {}, [{}], [null], { access_token: undefined, expires_in: undefined }]) {
    assert.equal(await new LegacyModuleTokenStore(moduleResolving(empty)).get('u'), null, JSON.stringify(empty));
  }
});

test('get of a non-object result is a TokenStoreError that says what was expected', async () => {
  const store = new LegacyModuleTokenStore(moduleResolving('AT-plain'), { name: '/app/store.js' });
  await assert.rejects(store.get('u'), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.match(error.message, /getOAuthTokens\(\) of the token module '\/app\/store\.js' resolved a string/);
    assert.ok(!error.message.includes('AT-plain'));
    return true;
  });
});

test('save passes {access_token, refresh_token, expires_in, user_identifier} in that order; no refresh_token when absent', async () => {
  const mod = moduleResolving(null);
  const store = new LegacyModuleTokenStore(mod);
  await store.save({ userId: 'a@x.com', accessToken: 'AT', refreshToken: 'RT', expiresAt: 1700000000000 });
  await store.save({ userId: 'b@x.com', accessToken: 'AT2', expiresAt: 1700000000001 });
  const [first, second] = mod.calls;
  assert.deepEqual(first, ['save', { access_token: 'AT', refresh_token: 'RT', expires_in: 1700000000000, user_identifier: 'a@x.com' }]);
  assert.deepEqual(Object.keys(first?.[1] as object), ['access_token', 'refresh_token', 'expires_in', 'user_identifier']);
  assert.deepEqual(second, ['save', { access_token: 'AT2', expires_in: 1700000000001, user_identifier: 'b@x.com' }]);
  assert.ok(!('refresh_token' in (second?.[1] as object)));
});

test('update passes {access_token, expires_in, user_identifier, refresh_token?} to updateOAuthTokens', async () => {
  const mod = moduleResolving(null);
  const store = new LegacyModuleTokenStore(mod);
  await store.update({ userId: 'a@x.com', accessToken: 'AT3', expiresAt: 42 });
  await store.update({ userId: 'a@x.com', accessToken: 'AT4', refreshToken: 'RT4', expiresAt: 43 });
  assert.deepEqual(mod.calls, [
    ['update', { access_token: 'AT3', expires_in: 42, user_identifier: 'a@x.com' }],
    ['update', { access_token: 'AT4', expires_in: 43, user_identifier: 'a@x.com', refresh_token: 'RT4' }],
  ]);
  assert.deepEqual(Object.keys(mod.calls[1]?.[1] as object), ['access_token', 'expires_in', 'user_identifier', 'refresh_token']);
});

test('delete calls deleteOAuthTokens when the module has it and is a no-op otherwise', async () => {
  const mod = moduleResolving(null);
  await new LegacyModuleTokenStore(mod).delete('u');
  assert.deepEqual(mod.calls, []);
  const deleted: string[] = [];
  const withDelete: LegacyTokenModule = { ...mod, deleteOAuthTokens: async (user: string) => void deleted.push(user) };
  await new LegacyModuleTokenStore(withDelete).delete('u2');
  assert.deepEqual(deleted, ['u2']);
});

test('a rejecting or throwing module function is a TokenStoreError naming the function and module, with cause', async () => {
  const cause = new Error('redis down');
  const mod: LegacyTokenModule = {
    saveOAuthTokens: () => Promise.reject(cause),
    updateOAuthTokens: () => {
      throw new TypeError('boom');
    },
    getOAuthTokens: () => Promise.reject('plain string reason'),
  };
  const store = new LegacyModuleTokenStore(mod, { name: '/app/token-store.js' });
  await assert.rejects(store.save({ userId: 'u', accessToken: '1000.0123456789abcdef0123.0123456789abcdef0123', expiresAt: 1 }), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.equal(error.code, 'TOKEN_STORE');
    // The cause is kept (as a redacted copy since errors redact their whole cause chain).
    assert.equal((error.cause as Error).message, cause.message);
    assert.match(error.message, /^saveOAuthTokens\(\) of the token module '\/app\/token-store\.js' failed: Error: redis down/);
    return true;
  });
  await assert.rejects(store.update({ userId: 'u', accessToken: 'AT', expiresAt: 1 }), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.match(error.message, /updateOAuthTokens\(\) .* failed: TypeError: boom/);
    return true;
  });
  await assert.rejects(store.get('u'), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.match(error.message, /getOAuthTokens\(\) .* failed: plain string reason/);
    assert.equal(error.cause, 'plain string reason');
    return true;
  });
});

test('a module error message carrying a token is redacted', async () => {
  const token = '1000.0123456789abcdef0123.0123456789abcdef0123';
  const store = new LegacyModuleTokenStore({
    saveOAuthTokens: () => Promise.reject(new Error(`cannot store ${token}`)),
    updateOAuthTokens: async () => undefined,
    getOAuthTokens: async () => null,
  });
  await assert.rejects(store.save({ userId: 'u', accessToken: token, expiresAt: 1 }), (error: unknown) => {
    assert.ok(error instanceof TokenStoreError);
    assert.ok(!error.message.includes(token), error.message);
    return true;
  });
});

test('loads a module by absolute path and round-trips tokens through it', async () => {
  const path = join(FIXTURES, 'memory-store.js');
  const store = LegacyModuleTokenStore.load(path);
  await store.save({ userId: 'abs@x.com', accessToken: 'AT-abs', refreshToken: 'RT-abs', expiresAt: 1700000000000 });
  assert.deepEqual(await store.get('abs@x.com'), {
    userId: 'abs@x.com',
    accessToken: 'AT-abs',
    refreshToken: 'RT-abs',
    expiresAt: 1700000000000,
  });
  await store.update({ userId: 'abs@x.com', accessToken: 'AT-abs-2', expiresAt: 1700000000999 });
  assert.deepEqual(await store.get('abs@x.com'), {
    userId: 'abs@x.com',
    accessToken: 'AT-abs-2',
    refreshToken: 'RT-abs',
    expiresAt: 1700000000999,
  });
  await store.delete('abs@x.com');
  assert.equal(await store.get('abs@x.com'), null);
  // The loader used plain require, so the module object is the one any other require() of it returns.
  const direct = require(path) as { calls: unknown[][] };
  assert.deepEqual(direct.calls.map((call) => call[0]).slice(0, 2), ['saveOAuthTokens', 'getOAuthTokens']);
});

test('a relative path is resolved from options.cwd, and from process.cwd() by default', async () => {
  const fromOption = loadLegacyTokenModule('./readme-store.js', { cwd: FIXTURES });
  assert.deepEqual(await new LegacyModuleTokenStore(fromOption).get('u'), {
    userId: 'u',
    accessToken: '1000.xxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxx',
    refreshToken: '1000.yyyyyyyyyyyyyyyy.yyyyyyyyyyyyyyyy',
    expiresAt: 15278396227289,
  });
  const relativeToCwd = `./${relative(process.cwd(), join(FIXTURES, 'readme-store.js'))}`;
  assert.equal(loadLegacyTokenModule(relativeToCwd), fromOption);
});

test('a bare package name is found in the node_modules of cwd', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-legacy-module-'));
  try {
    const pkg = join(dir, 'node_modules', 'my-zcrm-tokens');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{"name":"my-zcrm-tokens","main":"main.js"}');
    await writeFile(
      join(pkg, 'main.js'),
      "exports.saveOAuthTokens = async () => {}; exports.updateOAuthTokens = async () => {};\n" +
        "exports.getOAuthTokens = async (u) => ({ access_token: 'AT-' + u, expires_in: 7 });\n",
    );
    const store = LegacyModuleTokenStore.load('my-zcrm-tokens', { cwd: dir });
    assert.deepEqual(await store.get('pkg'), { userId: 'pkg', accessToken: 'AT-pkg', expiresAt: 7 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a module exporting its functions on default (compiled ESM) is accepted', async () => {
  const store = LegacyModuleTokenStore.load(join(FIXTURES, 'esm-default.js'));
  assert.deepEqual(await store.get('u'), { userId: 'u', accessToken: 'AT-esm', refreshToken: 'RT-esm', expiresAt: 1700000000000 });
});

test('a module missing a function is a ConfigError naming api.tokenmanagement, the path and the function', () => {
  const path = join(FIXTURES, 'missing-update.js');
  assert.throws(() => loadLegacyTokenModule(path), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.option, 'api.tokenmanagement');
    assert.ok(error.message.includes(`'${path}'`));
    assert.match(error.message, /api\.tokenmanagement does not export updateOAuthTokens\./);
    return true;
  });
  assert.throws(() => loadLegacyTokenModule('node:path'), /does not export saveOAuthTokens, updateOAuthTokens, getOAuthTokens/);
});

test('a module that cannot be found or fails to load is a ConfigError with the resolved path and cause', () => {
  assert.throws(() => loadLegacyTokenModule('./no-such-store.js', { cwd: FIXTURES }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.option, 'api.tokenmanagement');
    assert.ok(error.message.includes(`'./no-such-store.js' set in api.tokenmanagement, resolved to ${join(FIXTURES, 'no-such-store.js')} from ${FIXTURES}: not found`));
    assert.match(error.message, /Use an absolute path/);
    assert.equal((error.cause as NodeJS.ErrnoException).code, 'MODULE_NOT_FOUND');
    return true;
  });
  assert.throws(() => loadLegacyTokenModule(join(FIXTURES, 'throws-on-load.js')), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /throws-on-load\.js' set in api\.tokenmanagement: Error while loading it/);
    assert.equal((error.cause as Error).message, 'token module misconfigured');
    return true;
  });
  assert.throws(() => loadLegacyTokenModule('  '), (error: unknown) => error instanceof ConfigError && /is empty/.test(error.message));
});
