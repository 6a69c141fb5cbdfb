/**
 * OAuth scope checks for CRM routes (wire spec §2.6): a route names what it needs and `covers` decides
 * whether the token's scopes grant it. Lenient where Zoho's own docs disagree: `ZohoCRM.modules.ALL`
 * also covers search, COQL, bulk and functions.
 */

/** What a route needs. */
export type ScopeNeed =
  | { kind: 'module'; module: string; op: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE' }
  | { kind: 'settings'; area: string; write: boolean }
  | { kind: 'users'; write: boolean }
  | { kind: 'org'; write: boolean }
  | { kind: 'coql' }
  | { kind: 'bulk'; write: boolean }
  | { kind: 'functions' };

function has(scopes: ReadonlySet<string>, ...wanted: string[]): boolean {
  return wanted.some((w) => scopes.has(w.toLowerCase()));
}

/** Operation scopes that cover `op` (WRITE covers create, update and delete; ALL covers everything). */
function opScopes(op: string): string[] {
  return op === 'READ' ? ['ALL', 'READ'] : ['ALL', 'WRITE', op];
}

export function covers(granted: readonly string[], need: ScopeNeed): boolean {
  const scopes = new Set(granted.flatMap((s) => s.split(/[,\s]+/)).map((s) => s.trim().toLowerCase()));
  const modulesAll = has(scopes, 'ZohoCRM.modules.ALL');
  switch (need.kind) {
    case 'module': {
      if (modulesAll) return true;
      const ops = opScopes(need.op);
      const m = need.module.toLowerCase();
      return ops.some((o) => has(scopes, `ZohoCRM.modules.${m}.${o}`, `ZohoCRM.modules.${o}`));
    }
    case 'settings': {
      if (has(scopes, 'ZohoCRM.settings.ALL')) return true;
      const ops = need.write ? ['ALL', 'WRITE', 'CREATE', 'UPDATE', 'DELETE'] : ['ALL', 'READ'];
      return ops.some((o) => has(scopes, `ZohoCRM.settings.${need.area}.${o}`, ...(need.write ? [] : ['ZohoCRM.settings.READ'])));
    }
    case 'users':
      return has(scopes, 'ZohoCRM.users.ALL', ...(need.write ? ['ZohoCRM.users.WRITE', 'ZohoCRM.users.CREATE', 'ZohoCRM.users.UPDATE', 'ZohoCRM.users.DELETE'] : ['ZohoCRM.users.READ']));
    case 'org':
      return has(scopes, 'ZohoCRM.org.ALL', ...(need.write ? ['ZohoCRM.org.WRITE', 'ZohoCRM.org.UPDATE'] : ['ZohoCRM.org.READ']));
    case 'coql':
      return modulesAll || has(scopes, 'ZohoCRM.coql.READ', 'ZohoCRM.coql.ALL');
    case 'bulk':
      return modulesAll || has(scopes, 'ZohoCRM.bulk.ALL', ...(need.write ? ['ZohoCRM.bulk.CREATE', 'ZohoCRM.bulk.WRITE'] : ['ZohoCRM.bulk.READ']));
    case 'functions':
      return (
        modulesAll ||
        has(scopes, 'ZohoCRM.functions.execute.READ', 'ZohoCRM.functions.execute.CREATE', 'ZohoCRM.functions.execute.ALL', 'ZohoCRM.functions.ALL')
      );
  }
}
