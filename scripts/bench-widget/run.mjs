// Measures Latchkey's login page against hanko-elements 2.7.0's <hanko-auth>, side by side in one run
// (issue 12's benchmark; not a test): for each, the bytes of every script, WASM module and stylesheet
// the page fetched before it was ready (raw, gzip -9, brotli -q 11), the time from navigation to ready,
// and the JS heap then. Ready means, for Latchkey, that the email field shows and passkey autofill is
// armed (the widget's first `navigator.credentials.get` with `mediation: "conditional"`), whichever
// comes last; for Hanko, that `<hanko-auth>` is defined. Runs alternate, each in a fresh browser context, so both see the same
// machine; the report gives medians and Latchkey's ratio to Hanko.
//
// Usage: node scripts/bench-widget/run.mjs [RUNS]   (after scripts/build-widget and a release server)
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = Number(process.argv[2] ?? 15);
const HANKO_DIST = join(ROOT, 'node_modules/@teamhanko/hanko-elements/dist');
const HANKO_VERSION = JSON.parse(readFileSync(join(HANKO_DIST, '../package.json'), 'utf8')).version;
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

// The smallest page each product documents: its script and its element (and, for Latchkey, the WASM
// preload its README adds), nothing else.
const LATCHKEY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title>
<link rel="preload" href="/latchkey.wasm" as="fetch" type="application/wasm" crossorigin>
<link rel="stylesheet" href="/latchkey.css"><script type="module" src="/latchkey.js"></script></head>
<body><latchkey-login app-name="Bench"></latchkey-login></body></html>`;
const HANKO_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title>
<script type="module" src="/register.js"></script></head>
<body><hanko-auth></hanko-auth></body></html>`;
// Hanko's documented start; its API is not needed until the element has been defined.
const HANKO_REGISTER = `import { register } from '/elements.js';
register('http://127.0.0.1:9/hanko-api');`;

/** Marks the moment each page is ready, as `window.__ready` (ms since navigation start), and the steps
 * before it that no request shows, as `window.__marks`. */
function markReady() {
  window.__ready = null;
  window.__marks = [];
  const mark = (name) => window.__marks.push([name, performance.now()]);
  // Latchkey is ready once both have happened, in either order.
  let armed = false;
  let shown = false;
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = (...args) => original(...args).then((result) => (mark('(WASM instantiated)'), result));
  }
  for (const [method, label] of [['getClientCapabilities', 'capabilities'], ['isConditionalMediationAvailable', 'autofill available']]) {
    if (!window.PublicKeyCredential?.[method]) continue;
    const original = PublicKeyCredential[method].bind(PublicKeyCredential);
    PublicKeyCredential[method] = () => {
      mark(`(${label} asked)`);
      return original().then((answer) => (mark(`(${label} answered)`), answer));
    };
  }
  // The moment Latchkey's email field first shows (Hanko's element is ready once defined).
  new MutationObserver((_, observer) => {
    if (document.querySelector('latchkey-login input')) {
      mark('(email field shown)');
      shown = true;
      if (armed) ready();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  const ready = () => { if (window.__ready === null) window.__ready = performance.now(); };
  customElements.whenDefined('hanko-auth').then(ready);
  const get = navigator.credentials.get.bind(navigator.credentials);
  navigator.credentials.get = (options) => {
    if (options?.mediation === 'conditional') {
      mark('(autofill armed)');
      armed = true;
      if (shown) ready();
    }
    return get(options);
  };
}

function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** A static server for Hanko's page: files from `dir`, no caching headers, on loopback. */
async function serveStatic(dir) {
  const port = await freePort();
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    try {
      const body = readFileSync(join(dir, path === '/' ? 'index.html' : path));
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** The release Latchkey server with a copy of `dist/` and the bench page as its static files. */
async function startLatchkey(work) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const files = join(work, 'latchkey');
  cpSync(join(ROOT, 'dist'), files, { recursive: true });
  writeFileSync(join(files, 'index.html'), LATCHKEY_PAGE);
  const child = spawn(join(ROOT, 'target/release/latchkey-server'), [], {
    env: {
      ...process.env,
      LATCHKEY_PORT: String(port),
      LATCHKEY_DATABASE_URL: `sqlite://${join(work, 'bench.sqlite3')}`,
      LATCHKEY_STATIC_DIR: files,
      LATCHKEY_OUTBOX_DIR: join(work, 'outbox'),
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; ; attempt += 1) {
    try {
      await fetch(`${origin}/api/session`);
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { origin, files, close: () => child.kill('SIGINT') };
}

/** Bytes of a file as served, and compressed as a server would send it. */
const sizes = new Map();
function sizesOf(path) {
  if (!sizes.has(path)) {
    const body = readFileSync(path);
    sizes.set(path, {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    });
  }
  return sizes.get(path);
}

/** One cold load of `origin` in a fresh context: ready time, heap and the files fetched before ready. */
async function load(browser, origin, dir) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(markReady);
  const cdp = await context.newCDPSession(page);
  await page.goto(origin);
  await page.waitForFunction(() => window.__ready !== null, null, { timeout: 30_000 });
  const { ready, fetched, waterfall } = await page.evaluate(() => {
    const before = performance.getEntriesByType('resource').filter((entry) => entry.responseEnd <= window.__ready);
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      ready: window.__ready,
      fetched: before.map((entry) => new URL(entry.name).pathname),
      // Each request before ready as [path, start, end] in ms since navigation start, the page first.
      waterfall: [['(page)', navigation.startTime, navigation.responseEnd]]
        .concat(before.map((entry) => [new URL(entry.name).pathname, entry.startTime, entry.responseEnd]))
        .concat(window.__marks.filter(([, at]) => at <= window.__ready + 0.01).map(([name, at]) => [name, at, at]))
        .sort((a, b) => a[1] - b[1]),
    };
  });
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await context.close();
  const files = fetched.filter((path) => ['.js', '.wasm', '.css'].includes(extname(path)));
  const bytes = { raw: 0, gzip: 0, brotli: 0 };
  for (const path of files) {
    const size = sizesOf(join(dir, path));
    for (const key of Object.keys(bytes)) bytes[key] += size[key];
  }
  return { ready, heap: usedSize, files, bytes, waterfall };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'latchkey-bench-widget-'));
const hankoFiles = join(work, 'hanko');
cpSync(HANKO_DIST, hankoFiles, { recursive: true });
writeFileSync(join(hankoFiles, 'index.html'), HANKO_PAGE);
writeFileSync(join(hankoFiles, 'register.js'), HANKO_REGISTER);
const latchkey = await startLatchkey(work);
const hanko = await serveStatic(hankoFiles);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_FLAGS,
});
const version = browser.version();
const results = { latchkey: [], hanko: [] };
try {
  // One load of each first, not counted: Chromium's own start-up costs land on neither.
  await load(browser, latchkey.origin, latchkey.files);
  await load(browser, hanko.origin, hankoFiles);
  for (let run = 0; run < RUNS; run += 1) {
    results.latchkey.push(await load(browser, latchkey.origin, latchkey.files));
    results.hanko.push(await load(browser, hanko.origin, hankoFiles));
  }
} finally {
  await browser.close();
  latchkey.close();
  hanko.close();
}

const row = (name, runs) => ({
  name,
  files: runs[0].files.join(' '),
  raw: runs[0].bytes.raw,
  gzip: runs[0].bytes.gzip,
  brotli: runs[0].bytes.brotli,
  ready: median(runs.map((r) => r.ready)),
  heap: median(runs.map((r) => r.heap)),
});
const ours = row('Latchkey login page', results.latchkey);
const theirs = row(`hanko-elements ${HANKO_VERSION} \`<hanko-auth>\``, results.hanko);
const number = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (a, b) => (a / b).toFixed(2);
console.log(`Widget benchmark: ${RUNS} alternating cold loads each, Chromium ${version}, medians\n`);
console.log('| | raw | gzip | brotli | navigation → ready (ms) | JS heap (bytes) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of [ours, theirs]) {
  console.log(`| ${r.name} | ${number(r.raw)} | ${number(r.gzip)} | ${number(r.brotli)} | ${r.ready.toFixed(1)} | ${number(r.heap)} |`);
}
console.log(
  `| Latchkey ÷ Hanko | ${ratio(ours.raw, theirs.raw)} | ${ratio(ours.gzip, theirs.gzip)} | ` +
    `${ratio(ours.brotli, theirs.brotli)} | ${ratio(ours.ready, theirs.ready)} | ${ratio(ours.heap, theirs.heap)} |`,
);
console.log(`\nFetched before ready: Latchkey ${ours.files}; Hanko ${theirs.files}`);
for (const [name, runs] of [['Latchkey', results.latchkey], [`hanko-elements ${HANKO_VERSION}`, results.hanko]]) {
  console.log(`\n${name}'s waterfall (medians, ms since navigation start):\n`);
  console.log('| request | start | end |');
  console.log('|---|---:|---:|');
  const paths = runs[0].waterfall.map(([path]) => path);
  for (const path of paths) {
    const spans = runs.map((r) => r.waterfall.find(([p]) => p === path)).filter(Boolean);
    const start = median(spans.map(([, from]) => from)).toFixed(1);
    console.log(`| ${path} | ${start} | ${median(spans.map(([, , to]) => to)).toFixed(1)} |`);
  }
  console.log(`| ready | ${median(runs.map((r) => r.ready)).toFixed(1)} | |`);
}
writeFileSync(join(ROOT, 'target/bench-widget.json'), JSON.stringify(results, null, 1));
rmSync(work, { recursive: true, force: true });
