import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { redactAuthorization, startEmulator, type Emulator } from '@zcrmsdk/emulator';
import { ALL_SCOPES } from '../helpers/legacy.js';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

// The README's own code, verbatim, in a user project that has `resources/*.properties` and
// `require('zcrmsdk')` resolving to this package; tokens go to the default MySQL store (zohooauth.oauthtokens).
const README_APP = (user: string, grant: string) => `
var ZCRMRestClient = require('zcrmsdk');
var zcrmsdk = ZCRMRestClient;
var user_identifier = ${JSON.stringify(user)};
var grant_token = ${JSON.stringify(grant)};
ZCRMRestClient.initialize().then(function()
{
ZCRMRestClient.generateAuthTokens(user_identifier,grant_token).then(function(auth_response){
console.log("access token :"+auth_response.access_token);
console.log("refresh token :"+auth_response.refresh_token);
console.log("expires in :"+auth_response.expires_in);

var input ={};
input.module = "Leads";
var params = {};
params.page = 0;
params.per_page = 5;
input.params = params;
zcrmsdk.API.MODULES.get(input).then(function(response){
    var result = "<html><body><b>Leads</b>";
    var data = response.body;
    data = JSON.parse(data);
    data = data.data;
    for (i in data){
        var record = data[i];
        var name = record.Full_Name;
        result+="<span>"+name+"</span>";
    }
    result+="</body></html>";
    console.log(result);
   })
});
})
`;

describe('the old README, verbatim, against the emulator and the default MySQL store', () => {
  let emu: Emulator;
  let dir: string;
  const user = `readme-${process.pid}-${Date.now()}@example.com`;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'zcrm-readme-'));
    await mkdir(join(dir, 'resources'));
    await mkdir(join(dir, 'node_modules'));
    await symlink(ROOT, join(dir, 'node_modules', 'zcrmsdk'), 'dir');
    await writeFile(
      join(dir, 'resources/oauth_configuration.properties'),
      `[zoho]\ncrm.iamurl=${emu.url}\ncrm.clientid=${emu.client.clientId}\ncrm.clientsecret=${emu.client.clientSecret}\ncrm.redirecturl=${emu.client.redirectUri}\n`,
    );
    await writeFile(join(dir, 'resources/configuration.properties'), `[crm]\napi.url=${emu.url}\napi.user_identifier=\napi.tokenmanagement=\n[mysql]\nusername=root\npassword=\n`);
  });
  after(async () => {
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'zohooauth' });
    await db.execute('DELETE FROM oauthtokens WHERE useridentifier = ?', [user]);
    await db.end();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the tokens and the leads, stores the row in zohooauth.oauthtokens, and exits by itself', async () => {
    const grant = await emu.grantToken({ scope: ALL_SCOPES });
    await writeFile(join(dir, 'app.js'), README_APP(user, grant));
    const { stdout } = await run(process.execPath, ['app.js'], { cwd: dir, timeout: 20_000 });
    assert.match(stdout, /access token :1000\.[0-9a-f]+\.[0-9a-f]+/);
    assert.match(stdout, /expires in :\d{13}/);
    const spans = stdout.match(/<span>[^<]+<\/span>/g) ?? [];
    assert.equal(spans.length, 5);
    assert.ok(!stdout.includes('<span>undefined</span>'));
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'zohooauth' });
    const [rows] = await db.execute('SELECT accesstoken, refreshtoken, expirytime FROM oauthtokens WHERE useridentifier = ?', [user]);
    await db.end();
    const list = rows as { accesstoken: string; refreshtoken: string; expirytime: number | string }[];
    assert.equal(list.length, 1);
    assert.match(list[0]?.accesstoken ?? '', /^1000\./);
    assert.ok(Number(list[0]?.expirytime) > Date.now());
    const crm = emu.requests.find((r) => r.path === '/crm/v2/Leads');
    assert.equal(crm?.rawQuery, 'page=0&per_page=5&');
    assert.equal(crm?.headers.authorization, redactAuthorization(`Zoho-oauthtoken ${list[0]?.accesstoken}`));
  });
  it('deep imports of 0.0.x files still work: lib/js/ZCRMRestClient and the MySQL module as a custom store', async () => {
    const user2 = `deep-${user}`;
    await writeFile(join(dir, 'mystore.js'), "module.exports = require('zcrmsdk/lib/js/mysql/mysql_util');\n");
    await writeFile(join(dir, 'resources/configuration.properties'), `[crm]\napi.url=${emu.url}\napi.tokenmanagement=${join(dir, 'mystore.js')}\n`);
    const grant = await emu.grantToken({ scope: ALL_SCOPES });
    await writeFile(
      join(dir, 'deep.js'),
      `var ZCRMRestClient = require('zcrmsdk/lib/js/ZCRMRestClient');
       ZCRMRestClient.initialize().then(function () {
         return ZCRMRestClient.generateAuthTokens(${JSON.stringify(user2)}, ${JSON.stringify(grant)});
       }).then(function () {
         return require(ZCRMRestClient.getPersistenceModule()).getOAuthTokens(${JSON.stringify(user2)});
       }).then(function (tokens) {
         console.log(JSON.stringify(Object.keys(tokens)));
         return ZCRMRestClient.API.ORG.get();
       }).then(function (res) { console.log(res.statusCode); });`,
    );
    const { stdout } = await run(process.execPath, ['deep.js'], { cwd: dir, timeout: 20_000 });
    assert.deepEqual(stdout.trim().split('\n'), ['["access_token","refresh_token","expires_in","user_identifier"]', '200']);
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'zohooauth' });
    const [rows] = await db.execute('SELECT COUNT(*) AS n FROM oauthtokens WHERE useridentifier = ?', [user2]);
    await db.execute('DELETE FROM oauthtokens WHERE useridentifier = ?', [user2]);
    await db.end();
    assert.equal(Number((rows as { n: number }[])[0]?.n), 1);
  });
});
