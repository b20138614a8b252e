// The stylesheets the account page and the console share, added beside the script that loads them
// (each bundle's own address: esbuild inlines this module into latchkey-account.js and latchkey-console.js)
// unless the page links them already.
export function addStyles(scriptUrl) {
  for (const sheet of ['latchkey.css', 'latchkey-account.css']) {
    const href = new URL(sheet, scriptUrl).href;
    if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      document.head.append(link);
    }
  }
}
