import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, ZohoError } from '../../src/errors.js';
import { parseProperties, readPropertiesFile } from '../../src/legacy/properties.js';

const FIXTURES = join(__dirname, '../fixtures/properties/resources');

test('section headers prefix the keys that follow them', () => {
  const props = parseProperties('[zoho]\ncrm.clientid=cid\n[crm]\napi.url=www.zohoapis.eu\n[mysql]\nusername=u\n');
  assert.deepEqual([...props], [
    ['zoho.crm.clientid', 'cid'],
    ['crm.api.url', 'www.zohoapis.eu'],
    ['mysql.username', 'u'],
  ]);
});

test('flat keys before any section are read as written', () => {
  const props = parseProperties('zoho.crm.clientid=cid\nzoho.crm.clientsecret=sec\n');
  assert.equal(props.get('zoho.crm.clientid'), 'cid');
  assert.equal(props.get('zoho.crm.clientsecret'), 'sec');
});

test('# and ! comments and blank lines are skipped', () => {
  const props = parseProperties('# a comment\n! another\n\n   \n  # indented=comment\nkey=value\n');
  assert.deepEqual([...props], [['key', 'value']]);
});

test('the value keeps every = after the first', () => {
  const props = parseProperties('crm.redirecturl=https://example.com/cb?a=1&b=2\nsecret=ab==\n');
  assert.equal(props.get('crm.redirecturl'), 'https://example.com/cb?a=1&b=2');
  assert.equal(props.get('secret'), 'ab==');
});

test('whitespace around lines, keys and values is trimmed; CRLF and a BOM are tolerated', () => {
  const props = parseProperties('\uFEFF  [ zoho ]  \r\n   crm.clientid   =   cid with space   \r\nlast = x');
  assert.deepEqual([...props], [
    ['zoho.crm.clientid', 'cid with space'],
    ['zoho.last', 'x'],
  ]);
});

test('all-digit values stay strings with their leading zeros; booleans stay strings', () => {
  const props = parseProperties('[zoho]\ncrm.clientsecret=0123456789\n[mysql]\npassword=12345\nflag=true\nhex=0x1A\n');
  assert.equal(props.get('zoho.crm.clientsecret'), '0123456789');
  assert.equal(props.get('mysql.password'), '12345');
  assert.equal(props.get('mysql.flag'), 'true');
  assert.equal(props.get('mysql.hex'), '0x1A');
});

test('empty values are kept as empty strings and a key without = has an empty value', () => {
  const props = parseProperties('[crm]\napi.url=\napi.tokenmanagement\n');
  assert.equal(props.get('crm.api.url'), '');
  assert.equal(props.get('crm.api.tokenmanagement'), '');
});

test('\\n \\r \\t escapes are expanded, other backslashes are kept', () => {
  const props = parseProperties('msg=a\\nb\\tc\\rd\npath=C:\\\\dir\\x\n');
  assert.equal(props.get('msg'), 'a\nb\tc\rd');
  assert.equal(props.get('path'), 'C:\\\\dir\\x');
});

test('a repeated key keeps its last value', () => {
  assert.equal(parseProperties('k=1\nk=2\n').get('k'), '2');
});

test('readPropertiesFile reads the README templates (LF and CRLF files)', async () => {
  const oauth = await readPropertiesFile(join(FIXTURES, 'oauth_configuration.properties'));
  assert.equal(oauth.get('zoho.crm.clientid'), '1000.ABCDEF');
  assert.equal(oauth.get('zoho.crm.clientsecret'), '0123456789');
  assert.equal(oauth.get('zoho.crm.iamurl'), 'accounts.zoho.eu');
  assert.equal(oauth.get('zoho.crm.redirecturl'), 'https://example.com/cb?a=1&b=2');
  const config = await readPropertiesFile(join(FIXTURES, 'configuration.properties'));
  assert.equal(config.get('crm.api.user_identifier'), 'props@x.com');
  assert.equal(config.get('crm.api.url'), '');
  assert.equal(config.get('mysql.password'), '0012345');
});

test('a missing file is a ConfigError naming the file, the working directory and what to put in it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zcrm-props-'));
  try {
    const path = join(dir, 'resources', 'oauth_configuration.properties');
    await assert.rejects(readPropertiesFile(path, 'resources/oauth_configuration.properties'), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(error instanceof ZohoError);
      assert.equal(error.code, 'CONFIG_FILE_MISSING');
      assert.equal(error.option, path);
      assert.match(error.message, /^Cannot read resources\/oauth_configuration\.properties \(from .+\): no such file\./);
      assert.ok(error.message.includes(`(from ${process.cwd()})`));
      assert.match(error.message, /\[zoho\] crm\.clientid, crm\.clientsecret, crm\.redirecturl/);
      assert.match(error.message, /initialize\(\{client_id, client_secret, redirect_url\}\)/);
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
      return true;
    });
    await assert.rejects(readPropertiesFile(join(dir, 'configuration.properties')), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'CONFIG_FILE_MISSING');
      assert.ok(error.message.includes(join(dir, 'configuration.properties')));
      assert.match(error.message, /it may be empty/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a directory in place of the file is a ConfigError that is not CONFIG_FILE_MISSING', async () => {
  await assert.rejects(readPropertiesFile(FIXTURES), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_FILE_UNREADABLE');
    assert.match(error.message, /EISDIR/);
    return true;
  });
});
