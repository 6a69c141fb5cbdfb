/**
 * Install footprint of the packed package: `npm pack`, then a fresh `npm install <tarball>` in an empty
 * project; counts the package folders under node_modules and their bytes on disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface InstallResult {
  packages: number;
  /** Sum of file sizes. */
  bytes: number;
  /** Disk usage (`du`): what the file system allocates. */
  diskBytes: number;
  names: string[];
}

function walk(dir: string, visit: (pkgDir: string) => void): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const full = join(dir, entry);
    if (entry.startsWith('@')) {
      walk(full, visit);
      continue;
    }
    if (existsSync(join(full, 'package.json'))) {
      visit(full);
      walk(join(full, 'node_modules'), visit);
    }
  }
}

function bytesOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += bytesOf(join(path, entry));
  return total;
}

export function benchInstall(): InstallResult {
  const root = resolve(__dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'zcrm-install-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1) as string;
    const project = join(work, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)], { cwd: project, stdio: 'ignore' });
    const names: string[] = [];
    walk(join(project, 'node_modules'), (dir) => names.push(dir.slice(join(project, 'node_modules').length + 1)));
    const modules = join(project, 'node_modules');
    const diskBytes = Number(execFileSync('du', ['-sk', modules], { encoding: 'utf8' }).split('\t')[0]) * 1024;
    return { packages: names.length, bytes: bytesOf(modules), diskBytes, names: names.sort() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const r = benchInstall();
  console.log(`fresh install: ${r.packages} packages, ${(r.bytes / 1e6).toFixed(1)} MB (${(r.diskBytes / 1e6).toFixed(1)} MB on disk): ${r.names.join(', ')}`);
}
