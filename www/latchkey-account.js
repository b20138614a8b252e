// The account page's and console's script-tag entry point: loads their stylesheets and WASM, which
// registers <latchkey-account> and <latchkey-console>. scripts/build-widget bundles it with the
// wasm-bindgen glue into dist/latchkey-account.js; the login page never loads it.
import init from '../target/web/account-glue/latchkey_account.js';

for (const sheet of ['latchkey.css', 'latchkey-account.css']) {
  const href = new URL(sheet, import.meta.url).href;
  if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href)) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.append(link);
  }
}

await init({ module_or_path: new URL('latchkey-account.wasm', import.meta.url) });
