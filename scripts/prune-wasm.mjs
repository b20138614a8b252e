// Removes what no page can call from the widget: the Streams API adapters of the wasm-streams crate,
// which Leptos links through server_fn's "browser" feature even in client-only apps. Latchkey has no
// server functions, so they are dead weight in both the WASM and its wasm-bindgen glue.
//
// Usage: node scripts/prune-wasm.mjs DIR   (DIR holds wasm-bindgen's latchkey_element{_bg.wasm,.js})
// Writes DIR/pruned.wasm and rewrites DIR/latchkey_element.js. binaryen's wasm-metadce drops the exports
// and everything only they reach; the glue loses the classes that wrapped them. The build fails, rather
// than ship broken glue, if anything naming them is left.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const [dir] = process.argv.slice(2);
const DEAD = /intounderlying/i;
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

function pruneWasm() {
  const input = join(dir, 'latchkey_element_bg.wasm');
  const module = new WebAssembly.Module(readFileSync(input));
  const exports = WebAssembly.Module.exports(module).map(({ name }) => name);
  const graph = [
    ...exports.map((name) => ({ name: `export:${name}`, export: name, ...(DEAD.test(name) ? {} : { root: true }) })),
    ...WebAssembly.Module.imports(module).map(({ module: from, name }) => ({ name: `import:${from}:${name}`, import: [from, name] })),
  ];
  const graphFile = join(dir, 'metadce-graph.json');
  writeFileSync(graphFile, JSON.stringify(graph));
  execFileSync('wasm-metadce', [...FEATURES, '-f', graphFile, input, '-o', join(dir, 'pruned.wasm')],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  return exports.filter((name) => DEAD.test(name)).length;
}

function pruneGlue() {
  const file = join(dir, 'latchkey_element.js');
  const pruned = readFileSync(file, 'utf8')
    // `export class IntoUnderlyingSink { … }`: wasm-bindgen closes each class with `}` in column 0.
    .replace(/^export class IntoUnderlying\w+ \{\n[\s\S]*?^\}\n/gm, '')
    .replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype.*\n/gm, '')
    .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, '');
  if (DEAD.test(pruned)) throw new Error('prune-wasm: the glue still names the pruned exports; check its format');
  writeFileSync(file, pruned);
}

const removed = pruneWasm();
pruneGlue();
console.log(`prune-wasm: removed ${removed} unused exports and their glue`);
