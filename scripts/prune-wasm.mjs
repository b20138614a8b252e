// Removes from the widget's WASM the exports nothing on the page can call: the Streams API adapters of
// the wasm-streams crate, which Leptos links through server_fn's "browser" feature even in
// client-only apps. Latchkey has no server functions, so these exports are dead weight (about 5 KB
// brotli). binaryen's wasm-metadce drops them and everything only they reach.
//
// Usage: node scripts/prune-wasm.mjs IN.wasm OUT.wasm
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const [input, output] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(input));
const dead = (name) => /^(__wbg_)?intounderlying/.test(name);
const graph = [
  ...WebAssembly.Module.exports(module).map(({ name }) => ({ name: `export:${name}`, export: name, ...(dead(name) ? {} : { root: true }) })),
  ...WebAssembly.Module.imports(module).map(({ module: from, name }) => ({ name: `import:${from}:${name}`, import: [from, name] })),
];
const graphFile = join(mkdtempSync(join(tmpdir(), 'latchkey-')), 'graph.json');
writeFileSync(graphFile, JSON.stringify(graph));
execFileSync('wasm-metadce', [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-reference-types', '--enable-multivalue', '-f', graphFile, input, '-o', output,
], { stdio: ['ignore', 'ignore', 'inherit'] });
const removed = graph.filter((node) => node.export && !node.root).length;
console.log(`prune-wasm: removed ${removed} unused exports`);
