// The console's script-tag entry point: loads its stylesheets (the account page's, which it shares) and
// WASM, which registers <latchkey-console>. scripts/build-widget bundles it with the wasm-bindgen glue
// into dist/latchkey-console.js; only the console's page loads it.
import init from '../target/web/console-glue/latchkey_console.js';
import { addStyles } from './account-styles.js';

addStyles(import.meta.url);
await init({ module_or_path: new URL('latchkey-console.wasm', import.meta.url) });
