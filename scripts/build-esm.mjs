// Writes ESM wrappers (dist/**/index.mjs + index.d.mts) over the CommonJS build, so `import` gets named
// exports and the default export without a second copy of the code (no dual-package state hazard).
import { createRequire } from 'node:module';
import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const SKIP = new Set(['default', 'length', 'name', 'prototype', 'caller', 'arguments', '__esModule']);
for (const entry of ['packages/zcrmsdk/dist/index.js', 'packages/emulator/dist/index.js']) {
  const file = resolve(entry);
  if (!existsSync(file)) continue;
  const mod = require(file);
  const names = Object.getOwnPropertyNames(mod).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !SKIP.has(n));
  const lines = [
    `import cjs from './index.js';`,
    typeof mod === 'function' ? 'export default cjs;' : 'export default cjs.default ?? cjs;',
    ...names.map((n) => `export const ${n} = cjs.${n};`),
    '',
  ];
  writeFileSync(file.replace(/\.js$/, '.mjs'), lines.join('\n'));
  const dts = file.replace(/\.js$/, '.d.ts');
  if (existsSync(dts)) copyFileSync(dts, file.replace(/\.js$/, '.d.mts'));
}

// The CLI's bin must be executable when run from the work tree (npm sets the bit on install).
chmodSync(resolve('packages/cli/dist/index.js'), 0o755);
