// Shrinks the widget's WASM and its wasm-bindgen glue after wasm-bindgen has run:
//
// 1. Prunes what no page can call: the Streams API adapters of the wasm-streams crate, which Leptos links
//    through server_fn's "browser" feature even in client-only apps (binaryen's wasm-metadce drops the
//    exports and everything only they reach; their wrapper classes leave the glue).
// 2. Optimizes for size (wasm-opt -Oz, repeated while it still shrinks).
// 3. Renames every import and export to one or two letters. wasm-bindgen names them after Rust paths plus
//    a hash (`__wbg_call_a410eb4b59ed5965`, 200-character closure shims), which brotli cannot compress;
//    the glue is rewritten with binaryen's mapping, and so is wasm-split's loader (`__wasm_split.js`):
//    the main WASM's chunk loaders become members of the one import object, and the loader reads the
//    memory, table and global it shares with the chunks under their new names.
//
// Usage: node scripts/shrink-wasm.mjs GLUE_DIR OUT.wasm
// GLUE_DIR holds wasm-bindgen's latchkey_element_bg.wasm and latchkey_element.js, and wasm-split's
// __wasm_split.js; the glue and the loader are rewritten in place. The build fails, rather than ship a
// page that cannot link, if either names anything the rewrite does not account for.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, output] = process.argv.slice(2);
const GLUE = join(dir, 'latchkey_element.js');
const LOADER = join(dir, '__wasm_split.js');
const LOADER_MODULE = './__wasm_split.js';
const DEAD = /intounderlying/i;
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

const wasmModule = (file) => new WebAssembly.Module(readFileSync(file));
const fail = (message) => { throw new Error(`shrink-wasm: ${message}`); };

function prune(input, pruned) {
  const module = wasmModule(input);
  const graph = [
    ...WebAssembly.Module.exports(module).map(({ name }) =>
      ({ name: `export:${name}`, export: name, ...(DEAD.test(name) ? {} : { root: true }) })),
    ...WebAssembly.Module.imports(module).map(({ module: from, name }) =>
      ({ name: `import:${from}:${name}`, import: [from, name] })),
  ];
  const graphFile = join(dir, 'metadce-graph.json');
  writeFileSync(graphFile, JSON.stringify(graph));
  execFileSync('wasm-metadce', [...FEATURES, '-f', graphFile, input, '-o', pruned], { stdio: ['ignore', 'ignore', 'inherit'] });
  let glue = readFileSync(GLUE, 'utf8')
    // `export class IntoUnderlyingSink { … }`: wasm-bindgen closes each class with `}` in column 0.
    .replace(/^export class IntoUnderlying\w+ \{\n[\s\S]*?^\}\n/gm, '')
    .replace(/^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype.*\n/gm, '')
    .replace(/^const IntoUnderlying\w+Finalization = [\s\S]*?;\n/gm, '');
  if (DEAD.test(glue)) fail('the glue still names the pruned exports; check its format');
  writeFileSync(GLUE, glue);
}

/** Optimizes and minifies names in one wasm-opt run; returns binaryen's `old => new` mapping. */
function optimizeAndMinify(input) {
  const printed = execFileSync('wasm-opt',
    ['-Oz', '--converge', '--minify-imports-and-exports-and-modules', ...FEATURES, '-o', output, input],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return new Map(printed.split('\n').filter((line) => line.includes(' => ')).map((line) => line.split(' => ')));
}

function rewriteGlue(before, renamed) {
  const importsBefore = WebAssembly.Module.imports(wasmModule(before));
  const moduleNames = new Set(importsBefore.map((i) => i.module).filter((m) => m !== LOADER_MODULE));
  const minifiedModules = new Set(WebAssembly.Module.imports(wasmModule(output)).map((i) => i.module));
  if (moduleNames.size !== 1 || minifiedModules.size !== 1) fail(`expected one import module, got ${[...moduleNames]}`);
  const [moduleName] = moduleNames;
  const [minifiedModule] = minifiedModules;
  const imports = new Set(importsBefore.map((i) => i.name));
  const rename = (name) => renamed.get(name) ?? fail(`no minified name for ${name}`);
  let glue = readFileSync(GLUE, 'utf8');
  const moduleKey = `${JSON.stringify(moduleName)}: import0`;
  if (!glue.includes(moduleKey)) fail(`the glue does not name its import module as ${moduleKey}`);
  glue = glue.replace(moduleKey, `${JSON.stringify(minifiedModule)}: import0`);
  // Import functions are the import object's keys: `        __wbg_call_…: function(…`. An import that
  // optimization made unused has no new name and stays as it was: the WASM no longer asks for it.
  glue = glue.replace(/^(\s+)(\w+)(?=: function)/gm,
    (all, indent, name) => (imports.has(name) && renamed.has(name) ? indent + rename(name) : all));
  // The chunk loaders join the one import module: `import0.a = import1.__wasm_split_load_later`.
  const loaders = importsBefore.filter((i) => i.module === LOADER_MODULE).map((i) => i.name);
  const loaderKey = `        ${JSON.stringify(LOADER_MODULE)}: import1,\n`;
  if (loaders.length > 0) {
    if (!glue.includes(loaderKey)) fail(`the glue does not import the chunk loaders as ${loaderKey.trim()}`);
    const joined = loaders.map((name) => `import0.${rename(name)} = import1.${name};`).join(' ');
    glue = glue.replace(loaderKey, '').replace(/^(\s+)return \{\n(\s+)__proto__: null,\n(?=\s+"[^"]+": import0)/m,
      (all) => `    ${joined}\n${all}`);
    if (!glue.includes(joined)) fail('the glue does not return its import object as expected');
  }
  // Exports are read off the instance as `wasm.name`.
  glue = glue.replace(/\bwasm\.(\w+)/g, (all, name) => `wasm.${rename(name)}`);
  for (const name of imports) {
    if (renamed.has(name) && !loaders.includes(name) && new RegExp(`\\b${name}\\b`).test(glue)) {
      fail(`the glue still names import ${name}`);
    }
  }
  writeFileSync(GLUE, glue);
  if (loaders.length > 0) rewriteLoader(renamed);
}

/** The loader takes what it shares with the chunks off the main instance's exports, by name. */
function rewriteLoader(renamed) {
  let loader = readFileSync(LOADER, 'utf8');
  const shared = /const \{ ([\w, ]+?),? *\} = initSync\(undefined, undefined\);/;
  const match = loader.match(shared) ?? fail('the chunk loader does not read its shared exports as expected');
  const names = match[1].split(',').map((n) => n.trim()).filter(Boolean);
  const aliases = names.map((name) => `${renamed.get(name) ?? fail(`no minified name for ${name}`)}: ${name}`);
  loader = loader.replace(shared, `const { ${aliases.join(', ')} } = initSync(undefined, undefined);`);
  writeFileSync(LOADER, loader);
}

const pruned = join(dir, 'pruned.wasm');
prune(join(dir, 'latchkey_element_bg.wasm'), pruned);
const renamed = optimizeAndMinify(pruned);
rewriteGlue(pruned, renamed);
console.log(`shrink-wasm: pruned the stream adapters, optimized, and renamed ${renamed.size} imports and exports`);
