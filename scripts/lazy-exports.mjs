// Makes the package's named exports load their modules on first use. tsc compiles each
// `export { X } from './m.js'` of packages/zcrmsdk/src/public-api.ts to an eager `var m_1 = require("./m.js")`
// plus a getter `get: function () { return m_1.X; }`; this rewrites the require into a memoised loader the
// getters call, so `require('zcrmsdk')` loads only what the legacy client needs at start-up (the stores,
// notifications, bulk and composite layers load when a program first names them). The requires stay literal,
// so bundlers still see every module. Runs after `tsc -b`; a second run leaves the file as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MARKER = '// Named exports load their modules on first use (scripts/lazy-exports.mjs).';
const file = resolve('packages/zcrmsdk/dist/public-api.js');
const source = readFileSync(file, 'utf8');

if (!source.includes(MARKER)) {
  const requires = [...source.matchAll(/^var (\w+) = require\(("[^"]+")\);$/gm)];
  if (requires.length === 0) throw new Error(`${file}: no re-export requires found; has tsc's output changed?`);
  let lazy = source.replace('"use strict";\n', `"use strict";\n${MARKER}\n`);
  for (const [line, name, path] of requires) {
    lazy = lazy.replace(line, `let ${name}_m;\nconst ${name} = () => (${name}_m ??= require(${path}));`);
    const getters = new RegExp(`return ${name}\\.`, 'g');
    if (!getters.test(lazy)) throw new Error(`${file}: ${name} is required but read by no getter`);
    lazy = lazy.replace(getters, `return ${name}().`);
  }
  // Anything else reading a module binding would now read a function: refuse rather than ship that.
  const names = requires.map(([, name]) => name);
  const stray = names.find((name) => new RegExp(`\\b${name}\\.`).test(lazy));
  if (stray !== undefined) throw new Error(`${file}: ${stray} is used outside an export getter; lazy exports cannot rewrite it`);
  writeFileSync(file, lazy);
}
