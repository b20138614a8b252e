// The account page's script-tag entry point: loads its stylesheets and WASM, which registers
// <latchkey-account>. scripts/build-widget bundles it with the wasm-bindgen glue into
// dist/latchkey-account.js; the login page and the console never load it.
import init from '../target/web/account-glue/latchkey_account.js';
import { addStyles } from './account-styles.js';

addStyles(import.meta.url);
await init({ module_or_path: new URL('latchkey-account.wasm', import.meta.url) });
