// End to end: every page the server serves carries the full set of security headers, and runs under its
// Content-Security-Policy without a single violation: the demo, the account page, the console, and the
// OpenID provider's login page with the widget working on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { SignInScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const TOKEN = 'e2e-headers-token-5d21';
const suite = useSuite({ LATCHKEY_ADMIN_TOKEN: TOKEN });

/** Opens `path` and returns the page's CSP violations once `ready` has resolved. */
async function violationsOn(browser, path, ready) {
  const device = await openDevice(browser);
  await device.page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await device.page.goto(`${suite.server.origin}${path}`);
  await ready(device.page);
  const violations = await device.page.evaluate(() => window.__violations);
  await device.context.close();
  return { violations, headers: response.headers() };
}

test('the pages carry the security headers and break none of their rules', async (t) => {
  const client = JSON.parse(suite.server.command(['clients', 'add', '--name', 'Notes', '--redirect-uri', 'https://notes.example.com/cb']));
  const authorize = `/oauth2/authorize?response_type=code&client_id=${client.client_id}`
    + '&redirect_uri=https%3A%2F%2Fnotes.example.com%2Fcb&scope=openid'
    + '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
  const pages = [
    ['/', (page) => new SignInScreen(page, suite.server.origin).expectShown()],
    ['/account.html', (page) => page.locator('latchkey-account').getByText('Log in to manage your passkeys.').waitFor()],
    ['/console.html', (page) => page.locator('latchkey-console').getByLabel('Admin token').waitFor()],
    [authorize, (page) => new SignInScreen(page, suite.server.origin).expectShown()],
  ];
  for (const [path, ready] of pages) {
    await t.test(path.split('?')[0], async () => {
      const { violations, headers } = await violationsOn(suite.browser, path, ready);
      assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
      const csp = headers['content-security-policy'];
      for (const directive of ["default-src 'self'", "connect-src 'self'", "img-src 'self' data:", "form-action 'self'", "frame-ancestors 'none'"]) {
        assert.ok(csp.includes(directive), `${directive} in ${csp}`);
      }
      assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
      assert.match(headers['permissions-policy'], /publickey-credentials-get=\(self\)/);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['strict-transport-security'], undefined, 'no HSTS over plain http');
    });
  }
});
