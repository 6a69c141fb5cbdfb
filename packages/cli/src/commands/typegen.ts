/** `zcrm typegen [--modules A,B] --out types.ts [--check]`: TypeScript types from the org's field metadata. */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, type ZohoCRM, type ZohoField } from 'zcrmsdk';
import { fieldList } from '../api.js';
import type { Runner } from '../program.js';
import { generateTypes, metadataHash, recordedHash, subformModule, type ModuleFields } from '../typegen.js';

export function registerTypegen(program: Command, run: Runner): void {
  program
    .command('typegen')
    .description('write TypeScript types for the org\'s modules (for crm.records<T>()); --check exits 1 when the fields changed')
    .option('--modules <a,b>', 'modules to type (default: every module the API serves)')
    .option('--out <file>', 'the .ts file to write (default: stdout)')
    .option('--check', 'compare with --out instead of writing: exit 1 when the org\'s fields changed since it was generated')
    .action((flags: { modules?: string; out?: string; check?: boolean }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const crm = await ctx.client();
        const names = fieldList(flags.modules) ?? (await apiModules(crm));
        const modules = await Promise.all(names.map((m) => moduleFields(crm, m)));
        const source = generateTypes(modules);
        if (flags.check) {
          if (flags.out === undefined) throw new ConfigError('--check needs --out <file>: the file to compare with.', { option: '--out' });
          let existing: string;
          try {
            existing = await readFile(flags.out, 'utf8');
          } catch (cause) {
            throw new ConfigError(`Cannot read ${flags.out}: ${(cause as Error).message}. Run \`zcrm typegen --out ${flags.out}\` first.`, { option: '--out', cause });
          }
          const same = recordedHash(existing) === metadataHash(modules);
          if (!same) ctx.exitCode = 1;
          if (ctx.out.json) ctx.out.result({ out: flags.out, upToDate: same, modules: names });
          else ctx.out.line(same ? `${flags.out} is up to date with the org's fields.` : `The org's fields changed since ${flags.out} was generated: run \`zcrm typegen --out ${flags.out}${flags.modules ? ` --modules ${flags.modules}` : ''}\`.`);
          return;
        }
        if (flags.out === undefined) {
          ctx.io.stdout.write(source);
          return;
        }
        await writeFile(flags.out, source);
        if (ctx.out.json) ctx.out.result({ out: flags.out, modules: names });
        else ctx.out.line(`Wrote types for ${names.length} module${names.length === 1 ? '' : 's'} (${names.join(', ')}) to ${flags.out}.`);
      }),
    );
}

async function apiModules(crm: ZohoCRM): Promise<string[]> {
  return (await crm.settings.modules()).filter((m) => m.api_supported !== false).map((m) => m.api_name);
}

async function moduleFields(crm: ZohoCRM, module: string): Promise<ModuleFields> {
  const fields = await crm.settings.fields(module);
  const subforms = new Map<string, ZohoField[]>();
  for (const f of fields) {
    const sub = f.data_type === 'subform' ? subformModule(f) : undefined;
    if (sub === undefined || subforms.has(sub)) continue;
    try {
      subforms.set(sub, await crm.settings.fields(sub));
    } catch {
      // A subform module the API does not describe is typed as plain rows.
    }
  }
  return { module, fields, subforms };
}
