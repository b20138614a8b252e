// End to end: <latchkey-login> dispatches the event log's codes as DOM events as they happen
// (`latchkey:sign_up`, `latchkey:sign_in`, `latchkey:sign_out`, `latchkey:enrollment_complete`,
// `latchkey:passkey_renamed`, …), bubbling and composed, with the detail docs/EVENTS.md gives, and each
// matching a row the server wrote to its event log.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
const STRONG = 'velvet-anchor-tulip-92';

/** Waits for the element's `latchkey:<code>` after the first `since` such events; returns its detail. */
async function waitForLogged(device, code, since) {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const found = device.logged.slice(since).find((e) => e.name === `latchkey:${code}`);
    if (found) return found.detail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no latchkey:${code}; saw ${JSON.stringify(device.logged.slice(since))}`);
}

/** The codes the server's event log holds for `email`, oldest first. */
function serverCodes(email) {
  const rows = suite.server.sql(
    `SELECT code FROM events WHERE user_id = (SELECT id FROM users WHERE email = '${email}') ORDER BY id;`,
  );
  return rows.trim().split('\n');
}

test('a passkey sign-up, sign-out and autofill sign-in are dispatched as sign_up, sign_out and sign_in', async (t) => {
  const origin = suite.server.origin;
  const device = await openDevice(suite.browser);
  const email = 'ines@example.com';

  await t.test('the sign-up', async () => {
    const signIn = new SignInScreen(device.page, origin);
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(device.page, origin).submitEmail(email);
    await new Screen(device.page, origin, 'Create a passkey for Latchkey demo on this device?').click('Create a new passkey');
    const detail = await waitForLogged(device, 'sign_up', 0);
    assert.deepEqual(detail, { methods: ['hwk', 'user'] });
    await device.waitForEvent('latchkey:signed-in');
  });

  await t.test('the sign-out', async () => {
    await new Screen(device.page, origin, "You're signed in").click('Sign out');
    assert.equal(await waitForLogged(device, 'sign_out', 1), null);
  });

  await t.test('the sign-in through autofill, which the server logged as the same codes', async () => {
    // The sign-in screen the sign-out leads to arms autofill, and this authenticator consents at once.
    const detail = await waitForLogged(device, 'sign_in', 2);
    assert.deepEqual(detail, { methods: ['hwk', 'user'] });
    const names = device.logged.map((e) => e.name.replace('latchkey:', ''));
    assert.deepEqual(names, ['sign_up', 'sign_out', 'sign_in']);
    for (const code of names) assert.ok(serverCodes(email).includes(code), `${code} is in the server's log`);
  });
});

test('a passkey offered after a password sign-in is dispatched as enrollment_complete, and its naming as passkey_renamed', async (t) => {
  const origin = suite.server.origin;
  const device = await openDevice(suite.browser);
  const email = 'jonas@example.com';
  await device.page.goto(origin);
  await device.page.evaluate(async ([email, password]) => {
    const body = JSON.stringify({ email, password });
    await fetch('/api/password/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await fetch('/api/signout', { method: 'POST' });
  }, [email, STRONG]);

  await t.test('the password sign-in', async () => {
    await device.page.goto(origin);
    await continueWithEmail(device.page, origin, email);
    await enterPassword(device.page, origin, STRONG);
    assert.deepEqual(await waitForLogged(device, 'sign_in', 0), { methods: ['pwd'] });
  });

  await t.test('the passkey the offer makes, then its name', async () => {
    const since = device.logged.length;
    await new Screen(device.page, origin, 'Sign in faster with a passkey').click('Create a passkey');
    const added = await waitForLogged(device, 'enrollment_complete', since);
    assert.equal(typeof added.passkey, 'number');
    assert.equal(added.name, 'Chrome on Linux');
    const name = new Screen(device.page, origin, 'Name your passkey');
    await name.field('Passkey name').fill('Work laptop');
    await name.click('Submit');
    assert.deepEqual(await waitForLogged(device, 'passkey_renamed', since), { passkey: added.passkey, name: 'Work laptop' });
    assert.deepEqual(serverCodes(email).slice(-2), ['enrollment_complete', 'passkey_renamed']);
  });
});
