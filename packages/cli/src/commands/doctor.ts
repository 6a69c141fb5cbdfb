/**
 * `zcrm doctor`: checks the configuration, data-centre mismatches, the token store, the stored tokens and
 * whether Zoho accepts them, the clock against Zoho's, and the refresh budget; prints a fix for each problem.
 */
import type { Command } from 'commander';
import { DATA_CENTRES, ZohoError, type StoredToken } from 'zcrmsdk';
import { ENV, requireClient } from '../config.js';
import type { CommandContext } from '../context.js';
import type { Runner } from '../program.js';
import { describeStore, storeSpec } from '../store.js';

/** A clock further than this from Zoho's makes expiry checks wrong. */
export const MAX_CLOCK_SKEW_MS = 60_000;
/** Zoho's refresh throttle: access tokens per refresh token per 10 minutes. */
export const ZOHO_REFRESHES_PER_10_MIN = 10;

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

export function registerDoctor(program: Command, run: Runner): void {
  program
    .command('doctor')
    .description('check configuration, data centre, token store, tokens, clock skew and refresh budget; prints a fix for each problem')
    .action((_flags: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const checks = await diagnose(ctx);
        if (checks.some((c) => c.status === 'fail')) ctx.exitCode = 1;
        if (ctx.out.json) return ctx.out.result(checks);
        for (const c of checks) {
          const mark = c.status === 'ok' ? ctx.out.style('green', 'ok  ') : c.status === 'warn' ? ctx.out.style('yellow', 'warn') : ctx.out.style('red', 'FAIL');
          ctx.out.line(`${mark}  ${c.check.padEnd(16)} ${c.detail}`);
          if (c.fix) ctx.out.line(`      ${''.padEnd(16)} fix: ${c.fix}`);
        }
      }),
    );
}

async function diagnose(ctx: CommandContext): Promise<Check[]> {
  const checks: Check[] = [];
  const config = await ctx.config();
  try {
    requireClient(config);
    checks.push({ check: 'configuration', status: 'ok', detail: `client ${config.clientId} (from ${config.sources.clientId}); accounts ${config.accountsUrl}, API ${config.apiUrl}${config.apiVersion ? ` ${config.apiVersion}` : ''}; user ${config.userId}` });
  } catch (error) {
    checks.push({ check: 'configuration', status: 'fail', detail: (error as Error).message, fix: `zcrm --help lists the flags; or export ${ENV.clientId} and ${ENV.clientSecret}` });
    return checks;
  }
  const dcOf = (url: string) => Object.entries(DATA_CENTRES).find(([, hosts]) => url === hosts.accounts || url === hosts.api)?.[0];
  const accountsDc = dcOf(config.accountsUrl);
  const apiDc = dcOf(config.apiUrl);
  if (accountsDc !== undefined && apiDc !== undefined && accountsDc !== apiDc) {
    checks.push({
      check: 'data centre',
      status: 'fail',
      detail: `accounts is the ${accountsDc} data centre but the API is ${apiDc}: tokens of one are refused by the other`,
      fix: `use one data centre: --dc ${accountsDc} (or ${ENV.dc}=${accountsDc}), and drop the other host setting`,
    });
  } else checks.push({ check: 'data centre', status: 'ok', detail: accountsDc ? `${accountsDc} for both hosts` : 'custom hosts (e.g. the emulator)' });

  let token: StoredToken | null = null;
  const spec = describeStore(storeSpec(config));
  try {
    token = await (await ctx.store()).get(config.userId);
    checks.push({ check: 'token store', status: 'ok', detail: `${spec} is reachable` });
  } catch (error) {
    checks.push({ check: 'token store', status: 'fail', detail: `${spec}: ${(error as Error).message}`, fix: `check the store is up and writable, or pick another with --store / ${ENV.store}` });
    return checks;
  }
  if (!token) {
    checks.push({ check: 'tokens', status: 'fail', detail: `no tokens for '${config.userId}' in ${spec}`, fix: 'run `zcrm auth grant <grant-code>` (a self-client code from the API console, or `zcrm emulator grant`)' });
    return checks;
  }
  const expiresIn = token.expiresAt - Date.now();
  if (!token.refreshToken) {
    checks.push({ check: 'tokens', status: 'warn', detail: 'no refresh token stored: calls stop when the access token expires', fix: 'grant again with access_type=offline (self-client codes are offline)' });
  } else {
    checks.push({ check: 'tokens', status: 'ok', detail: `refresh token stored; access token ${expiresIn > 0 ? `valid ${Math.floor(expiresIn / 60_000)} more min` : 'expired (refreshed on the next call)'}` });
  }
  if (token.apiDomain && apiDc !== undefined) {
    const tokenDc = dcOf(token.apiDomain.replace(/\/+$/, ''));
    if (tokenDc !== undefined && tokenDc !== apiDc) {
      checks.push({ check: 'data centre', status: 'fail', detail: `the tokens were issued for ${token.apiDomain} (${tokenDc}) but the API is ${config.apiUrl}`, fix: `--dc ${tokenDc} (or ${ENV.dc}=${tokenDc})` });
    }
  }

  const crm = await ctx.rawClient();
  try {
    const res = await crm.request({ method: 'GET', path: ['org'], throwOnError: false, maxRetries: 0 });
    if (res.status < 400) checks.push({ check: 'API access', status: 'ok', detail: `Zoho accepted the token (GET org: HTTP ${res.status})` });
    else {
      const code = /"code"\s*:\s*"([A-Z_]+)"/.exec(res.body.toString('utf8'))?.[1] ?? `HTTP_${res.status}`;
      checks.push({
        check: 'API access',
        status: 'fail',
        detail: `GET org answered HTTP ${res.status} ${code}`,
        fix: code === 'OAUTH_SCOPE_MISMATCH' ? 'grant again with the scopes you need (e.g. ZohoCRM.org.ALL)' : 'run `zcrm auth refresh`, or grant again',
      });
    }
    const date = res.headers['date'];
    if (date) {
      const skew = Date.now() - Date.parse(date);
      checks.push(
        Math.abs(skew) > MAX_CLOCK_SKEW_MS
          ? { check: 'clock', status: 'warn', detail: `this machine is ${Math.round(skew / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} Zoho: token expiry is misjudged`, fix: 'sync the clock (e.g. `timedatectl set-ntp true`)' }
          : { check: 'clock', status: 'ok', detail: `within ${Math.ceil(Math.abs(skew) / 1000)} s of Zoho` },
      );
    }
    const remaining = res.headers['x-ratelimit-remaining'];
    if (remaining !== undefined) checks.push({ check: 'API credits', status: Number(remaining) > 0 ? 'ok' : 'fail', detail: `${remaining} calls left in this window`, ...(Number(remaining) > 0 ? {} : { fix: 'wait for the window to reset, or lower the call rate' }) });
  } catch (error) {
    const e = error as ZohoError;
    checks.push({ check: 'API access', status: 'fail', detail: `${e.message}`, fix: e.code === 'invalid_code' || e.name === 'OAuthError' ? 'the refresh token was refused: grant again with `zcrm auth grant <code>`' : `check ${config.apiUrl} is reachable` });
  }
  checks.push({
    check: 'refresh budget',
    status: 'ok',
    detail: `Zoho mints at most ${ZOHO_REFRESHES_PER_10_MIN} access tokens per refresh token per 10 minutes; the SDK refreshes only near expiry (one refresh shared by concurrent calls), so one CLI user uses about 1 an hour`,
  });
  return checks;
}
