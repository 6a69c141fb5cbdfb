/**
 * Install footprint of the SDK as users get it: `npm pack` of packages/zcrmsdk, then a fresh
 * `npm install <tarball>` in an empty project; counts the package folders under node_modules and their bytes.
 * Targets (issue 14): `zcrmsdk` alone ≤ 16 packages and ≤ 10 MB installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The lean bar of the SDK's install. */
export const MAX_INSTALL_PACKAGES = 16;
export const MAX_INSTALL_BYTES = 10e6;

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
  const sdk = resolve(__dirname, '..', 'packages', 'zcrmsdk');
  const work = mkdtempSync(join(tmpdir(), 'zcrm-install-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: sdk, encoding: 'utf8' }).trim().split('\n').at(-1) as string;
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
  const ok = r.packages <= MAX_INSTALL_PACKAGES && r.bytes <= MAX_INSTALL_BYTES;
  console.log(`fresh install of zcrmsdk: ${r.packages} packages, ${(r.bytes / 1e6).toFixed(1)} MB (${(r.diskBytes / 1e6).toFixed(1)} MB on disk): ${r.names.join(', ')}`);
  console.log(`${ok ? 'within' : 'OVER'} the bar: ≤ ${MAX_INSTALL_PACKAGES} packages, ≤ ${MAX_INSTALL_BYTES / 1e6} MB`);
  if (!ok) process.exitCode = 1;
}
