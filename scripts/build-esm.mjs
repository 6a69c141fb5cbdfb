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
  // Local names that cannot collide with the CommonJS code's own (`const _0 = cjs.X; export { _0 as X }`): a
  // bundler that inlines both renames a colliding class (ConfigError -> ConfigError2), and `err.name` with it.
  const lines = [
    `import cjs from './index.js';`,
    typeof mod === 'function' ? 'export default cjs;' : 'export default cjs.default ?? cjs;',
    ...names.map((n, i) => `const _${i} = cjs.${n};`),
    `export { ${names.map((n, i) => `_${i} as ${n}`).join(', ')} };`,
    '',
  ];
  writeFileSync(file.replace(/\.js$/, '.mjs'), lines.join('\n'));
  const dts = file.replace(/\.js$/, '.d.ts');
  if (existsSync(dts)) copyFileSync(dts, file.replace(/\.js$/, '.d.mts'));
}

// The CLI's bin must be executable when run from the work tree (npm sets the bit on install).
chmodSync(resolve('packages/cli/dist/index.js'), 0o755);
