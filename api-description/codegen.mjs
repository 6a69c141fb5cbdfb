// Runs every generators/*.mjs (each exports `owns`, its output folders, and `generate()`, a map of repository path ->
// text): writes their files and removes stale ones, or with --check names the files that differ and exits 1.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
const root = join(import.meta.dirname, '..'), check = process.argv.includes('--check'), differ = [];
for (const name of readdirSync(join(root, 'api-description', 'generators')).filter((f) => f.endsWith('.mjs')).sort()) {
  const gen = await import(`./generators/${name}`), files = await gen.generate();
  const stale = (gen.owns ?? []).flatMap((dir) => ownedFiles(dir)).filter((p) => !(p in files));
  const changed = Object.entries(files).filter(([p, text]) => !existsSync(join(root, p)) || readFileSync(join(root, p), 'utf8') !== text);
  differ.push(...stale, ...changed.map(([p]) => p));
  if (!check) for (const p of stale) rmSync(join(root, p), { recursive: true });
  if (!check) for (const [p, text] of changed) mkdirSync(dirname(join(root, p)), { recursive: true }), writeFileSync(join(root, p), text);
}
/** The files below an output folder (sub-folders included), as repository paths with `/`. */
function ownedFiles(dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true }).map((f) => `${dir}/${f.split(sep).join('/')}`).filter((p) => statSync(join(root, p)).isFile()).sort();
}
if (check && differ.length > 0) console.error(`Generated files differ from their generators (run npm run codegen):\n  ${differ.join('\n  ')}`), process.exit(1);
console.log(check ? 'Generated files are up to date.' : `codegen: ${differ.length} file(s) written or removed.`);
