/**
 * A SQLite commit that fails at the end of `withLock` loses what was written under the lock: the grant's or the
 * refresh's tokens must then come back as a TokensNotSavedError, never vanish. The commit fails for real: the
 * database audits every token write (a trigger) into a table whose deferred foreign key names the approved users,
 * so SQLite accepts the write under BEGIN IMMEDIATE and refuses it at COMMIT (SQLITE_CONSTRAINT_FOREIGNKEY).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { TokenManager, TokensNotSavedError } from '../../src/auth/token-manager.js';
import { OAuthClient } from '../../src/auth/oauth-client.js';
import { HttpTransport } from '../../src/http/transport.js';
import { SQLiteTokenStore } from '../../src/stores/sqlite-store.js';

const refreshes = (emu: Emulator) => emu.tokenRequests.filter((r) => `${r.rawQuery}&${String(r.body)}`.includes('grant_type=refresh_token'));

/** A token file whose writes commit only for approved users, an emulator, and a TokenManager on both. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-sqlite-commit-'));
  const path = join(dir, 'tokens.sqlite');
  const admin = new Database(path);
  admin.exec(`
    CREATE TABLE oauthtokens (useridentifier TEXT PRIMARY KEY, accesstoken TEXT, refreshtoken TEXT, expirytime INTEGER, apidomain TEXT);
    CREATE TABLE approved_users (name TEXT PRIMARY KEY);
    CREATE TABLE token_audit (useridentifier TEXT REFERENCES approved_users(name) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER audit_insert AFTER INSERT ON oauthtokens BEGIN INSERT INTO token_audit VALUES (NEW.useridentifier); END;
    CREATE TRIGGER audit_update AFTER UPDATE OF accesstoken ON oauthtokens BEGIN INSERT INTO token_audit VALUES (NEW.useridentifier); END;
  `);
  const emu = await startEmulator({ port: 0 });
  const store = new SQLiteTokenStore({ path });
  const transport = new HttpTransport({});
  const oauth = new OAuthClient({ accountsUrl: emu.url, clientId: emu.client.clientId, clientSecret: emu.client.clientSecret, transport });
  let now = Date.now();
  const tokens = new TokenManager({ store, oauth, now: () => now });
  return {
    emu,
    store,
    tokens,
    approve: (user: string) => admin.prepare('INSERT INTO approved_users (name) VALUES (?)').run(user),
    disapprove: (user: string) => {
      admin.prepare('DELETE FROM token_audit WHERE useridentifier = ?').run(user);
      admin.prepare('DELETE FROM approved_users WHERE name = ?').run(user);
    },
    row: (user: string) => admin.prepare('SELECT accesstoken, refreshtoken FROM oauthtokens WHERE useridentifier = ?').get(user) as { accesstoken: string; refreshtoken: string } | undefined,
    advance: (ms: number) => {
      now += ms;
    },
    close: async () => {
      await store.close();
      admin.close();
      await transport.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('SQLiteTokenStore: a commit that fails at unlock', () => {
  it('a grant saved under the lock and refused at COMMIT is a TokensNotSavedError carrying the tokens; nothing is stored and the lock is free', async () => {
    const h = await setup();
    try {
      const error = await h.tokens.generateFromGrant('gina@x', await h.emu.grantToken()).then(
        () => assert.fail('must reject'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TokensNotSavedError, String(error));
      assert.match(error.message, /Zoho issued tokens for user 'gina@x' from the grant code \(which is now spent\), but the token store could not save them; they are on error\.tokens/);
      assert.match(error.message, /Could not commit the tokens written under its write lock \(they were rolled back\) in the SQLite file .*tokens\.sqlite \(SQLITE_CONSTRAINT_FOREIGNKEY\)/);
      assert.equal(h.row('gina@x'), undefined);
      assert.equal(await h.store.get('gina@x'), null);
      // The lock was released with the rollback: once the user is approved, the tokens on the error save and work.
      h.approve('gina@x');
      await h.store.save(error.tokens);
      assert.equal(h.row('gina@x')?.accesstoken, error.tokens.accessToken);
      assert.equal(await h.tokens.getAccessToken('gina@x'), error.tokens.accessToken);
    } finally {
      await h.close();
    }
  });

  it('a refresh saved under the lock and refused at COMMIT is a TokensNotSavedError; the stored tokens stay the old ones', async () => {
    const h = await setup();
    try {
      h.approve('hugo@x');
      const issued = await h.tokens.generateFromGrant('hugo@x', await h.emu.grantToken());
      assert.equal(h.row('hugo@x')?.accesstoken, issued.accessToken);
      h.disapprove('hugo@x');
      h.advance(2 * 60 * 60 * 1000);
      const error = await h.tokens.getAccessToken('hugo@x').then(
        () => assert.fail('must reject'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TokensNotSavedError, String(error));
      assert.match(error.message, /Zoho issued tokens for user 'hugo@x' by a refresh, but the token store could not save them/);
      assert.equal(refreshes(h.emu).length, 1);
      assert.notEqual(error.tokens.accessToken, issued.accessToken);
      assert.equal(error.tokens.refreshToken, issued.refreshToken);
      assert.deepEqual(h.row('hugo@x'), { accesstoken: issued.accessToken, refreshtoken: issued.refreshToken });
      // Nothing half-kept in the cache either: the next call refreshes again, and with the user approved it is saved.
      h.approve('hugo@x');
      const next = await h.tokens.getAccessToken('hugo@x');
      assert.equal(refreshes(h.emu).length, 2);
      assert.equal(h.row('hugo@x')?.accesstoken, next);
    } finally {
      await h.close();
    }
  });
});
