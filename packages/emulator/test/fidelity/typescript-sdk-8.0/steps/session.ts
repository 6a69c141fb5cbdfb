/**
 * Steps every driver child has: initialise the SDK against the emulator (OAuth grant, FileStore, HTTPS
 * environment), and read or age the token it stored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Z, type Sdk, type Steps } from '../sdk.js';

let token: Sdk;

export const steps: Steps = {
  async init(a) {
    token = new Z.OAuthBuilder()
      .clientId(a['clientId'])
      .clientSecret(a['clientSecret'])
      .grantToken(a['grant'])
      .redirectURL(a['redirectUri'])
      .build();
    const url = String(a['url']);
    await (await new Z.InitializeBuilder())
      .environment(new Z.Environment(url, `${url}/oauth/v2/token`, url))
      .token(token)
      .store(new Z.FileStore(String(a['tokenFile'])))
      .SDKConfig(new Z.SDKConfigBuilder().pickListValidation(false).autoRefreshFields(false).build())
      .resourcePath(`${String(a['dir'])}/`)
      .logger(new Z.LogBuilder().level(Z.Levels.ERROR).filePath(`${String(a['dir'])}/sdk.log`).build())
      .initialize();
    return { initialized: (await Z.Initializer.getInitializer()) !== null };
  },

  /**
   * Makes the stored token look about to expire, so the SDK's next call refreshes first. The SDK reads the
   * token from its store before every call, so the FileStore row (`expiry_time`, 8th column) is what counts.
   */
  async expireSoon(a) {
    const file = String(a['tokenFile']);
    const [header = '', ...rows] = (await readFile(file, 'utf8')).split('\n');
    const column = header.split(',').indexOf('expiry_time');
    const aged = rows.map((row) => {
      const cells = row.split(',');
      if (column >= 0 && cells.length > column) cells[column] = String(Date.now());
      return cells.join(',');
    });
    await writeFile(file, [header, ...aged].join('\n'));
    token.setExpiresIn(String(Date.now()));
    return { accessToken: token.getAccessToken() };
  },

  async token() {
    return { accessToken: token.getAccessToken(), refreshToken: token.getRefreshToken(), userSignature: token.getUserSignature()?.getName() ?? null };
  },

  async tokenFile(a) {
    return { text: await readFile(String(a['tokenFile']), 'utf8') };
  },
};
