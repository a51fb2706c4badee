#!/usr/bin/env node
// Compiles apps/ and libs/ to dist/ with SWC (type checking is `npm run typecheck`).
// Incremental: a file is recompiled only when its source is newer than its output,
// so `npm start` and `npm test` can call this on every run for almost nothing.
'use strict';
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
const apps = ['gateway', 'campaigns', 'leads', 'analytics', 'executor'];
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = root;

function sources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

async function compile(file) {
  const rel = path.relative(root, file).replace(/\.ts$/, '.js');
  const target = path.join(outDir, rel);
  if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(file).mtimeMs) return false;
  const { code, map } = await swc.transformFile(file, { ...swcrc, filename: file, sourceFileName: path.relative(path.dirname(target), file), swcrc: false, configFile: false });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code + `\n//# sourceMappingURL=${path.basename(target)}.map`);
  if (map) fs.writeFileSync(target + '.map', map);
  return true;
}

async function main() {
  const started = Date.now();
  const files = [...sources(path.join(root, 'apps')), ...sources(path.join(root, 'libs'))];
  let built = 0;
  const queue = [...files];
  const workers = Array.from({ length: 8 }, async () => {
    while (queue.length) if (await compile(queue.shift())) built++;
  });
  await Promise.all(workers);
  // `node dist/apps/<name>/main.js` is the documented way to start an app.
  for (const app of apps) {
    const shim = path.join(outDir, 'apps', app, 'main.js');
    if (fs.existsSync(path.join(outDir, 'apps', app, 'src', 'main.js'))) {
      fs.writeFileSync(shim, "'use strict';\nrequire('./src/main.js');\n");
    }
  }
  if (built) console.error(`build: compiled ${built} of ${files.length} files in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
