// Latchkey's script-tag entry point: loads the widget's stylesheet and WASM, which registers the
// <latchkey-login> element. scripts/build-widget bundles this file with the wasm-bindgen glue into one
// minified dist/latchkey.js, so a page makes one script request, then one for the WASM.
import init from '../target/web/glue/latchkey_element.js';

const styles = new URL('latchkey.css', import.meta.url).href;
if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === styles)) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = styles;
  document.head.append(link);
}

await init({ module_or_path: new URL('latchkey.wasm', import.meta.url) });
