/** `zcrm auth grant <code> | refresh | revoke | status`: the configured user's tokens, never printed. */
import type { Command } from 'commander';
import { NoTokenError, type StoredToken } from 'zcrmsdk';
import type { CommandContext } from '../context.js';
import type { Runner } from '../program.js';
import { describeStore, storeSpec } from '../store.js';

export function registerAuth(program: Command, run: Runner): void {
  const auth = program.command('auth').description('tokens of the configured user: grant, refresh, revoke, status');
  auth
    .command('grant')
    .argument('<code>', 'a grant code: a self-client code from the Zoho API console, or `zcrm emulator grant`')
    .description('exchange a grant code for tokens and store them')
    .action((code: string, _opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.rawClient();
        const config = await ctx.config();
        const token = await crm.generateTokens(code, config.userId);
        report(ctx, 'Stored new tokens', token, storeSpec(config));
      }),
    );
  auth
    .command('refresh')
    .description('refresh the access token now (with the stored refresh token)')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.rawClient();
        const config = await ctx.config();
        const current = await stored(ctx);
        // Naming the current token as rejected makes the token manager refresh it, once.
        await crm.tokens.getAccessToken(config.userId, { rejected: current.accessToken });
        report(ctx, 'Refreshed the access token', (await crm.tokens.store.get(config.userId)) ?? current, storeSpec(config));
      }),
    );
  auth
    .command('revoke')
    .description('revoke the refresh token at Zoho and forget the stored tokens')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.rawClient();
        const config = await ctx.config();
        const current = await stored(ctx);
        if (current.refreshToken) await crm.revokeRefreshToken(current.refreshToken);
        await crm.tokens.store.delete(config.userId);
        crm.tokens.clearCache(config.userId);
        if (ctx.out.json) ctx.out.result({ userId: config.userId, revoked: current.refreshToken !== undefined, deleted: true });
        else ctx.out.line(`Revoked the refresh token of '${config.userId}' and deleted its tokens from ${describeStore(storeSpec(config))}.`);
      }),
    );
  auth
    .command('status')
    .description('show whether tokens are stored for the user and when the access token expires (no network)')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const config = await ctx.config();
        const token = await (await ctx.store()).get(config.userId);
        const spec = describeStore(storeSpec(config));
        if (!token) {
          if (ctx.out.json) ctx.out.result({ userId: config.userId, store: spec, stored: false });
          else ctx.out.line(`No tokens stored for '${config.userId}' in ${spec}. Run \`zcrm auth grant <code>\`.`);
          ctx.exitCode = 1;
          return;
        }
        report(ctx, 'Tokens stored', token, storeSpec(config));
      }),
    );
}

async function stored(ctx: CommandContext): Promise<StoredToken> {
  const config = await ctx.config();
  const token = await (await ctx.store()).get(config.userId);
  if (!token) throw new NoTokenError(`No tokens stored for user '${config.userId}'. Run \`zcrm auth grant <grant-code>\` first.`, config.userId);
  return token;
}

/** Prints what is known about a token without printing the token. */
function report(ctx: CommandContext, what: string, token: StoredToken, spec: string): void {
  const expiresInS = Math.round((token.expiresAt - Date.now()) / 1000);
  const summary = {
    userId: token.userId,
    store: describeStore(spec),
    stored: true,
    hasRefreshToken: token.refreshToken !== undefined && token.refreshToken !== '',
    expiresAt: new Date(token.expiresAt).toISOString(),
    expiresInSeconds: expiresInS,
    expired: expiresInS <= 0,
  };
  if (ctx.out.json) return ctx.out.result(summary);
  ctx.out.line(`${what} for '${token.userId}' in ${summary.store}.`);
  ctx.out.line(
    `  access token ${summary.expired ? ctx.out.style('yellow', 'expired') : `valid for ${Math.floor(expiresInS / 60)} min`} (until ${summary.expiresAt}); ` +
      (summary.hasRefreshToken ? 'refresh token stored: it is refreshed automatically.' : ctx.out.style('yellow', 'no refresh token: grant again when it expires.')),
  );
}
