// End to end: passkey autofill's options never go stale under a person who leaves the sign-in page open.
// The server's ceremonies last 122 seconds here, so the widget asks for new options every 2 seconds (two
// minutes before they would go stale), while the sign-in screen shows and only then; "Continue with a
// passkey" opens its prompt with the fresh ones, asking the server nothing first.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite({ LATCHKEY_CEREMONY_TIMEOUT_SECS: '122' });

test('autofill asks for fresh options before its own go stale, and stops once the screen changes', async () => {
  const { page, autofillRequests, waitForAutofillAfter } = await openDevice(suite.browser);
  const starts = [];
  page.on('request', (request) => request.url().endsWith('/api/signin/start') && starts.push(Date.now()));
  const signIn = new SignInScreen(page, suite.server.origin);
  await signIn.open();
  await signIn.expectShown();
  await waitForAutofillAfter(0);

  // Two refreshes, each arming autofill again with the new options.
  const armed = await autofillRequests();
  await waitForAutofillAfter(armed + 1);
  assert.ok(starts.length >= 3, `the first options and two fresh ones: ${starts.length}`);
  const gaps = starts.slice(1).map((at, i) => at - starts[i]);
  assert.ok(gaps.every((gap) => gap >= 1500), `no sooner than their freshness allows: ${gaps}`);

  // On another screen, nothing is refreshed.
  await signIn.goToSignUp();
  await new SignUpScreen(page, suite.server.origin).expectShown();
  const left = starts.length;
  await page.waitForTimeout(4500);
  assert.equal(starts.length, left, 'no options are asked for once autofill is gone');
});
