// End to end under `mfa = "passkey"`: a password is not enough; the account's own passkey completes the
// sign-in, an account without one enrolls one first, and another person's valid passkey assertion does
// not complete it (the scenario of CVE-2026-46419).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite({ LATCHKEY_MFA: 'passkey' });
const STRONG = 'velvet-anchor-tulip-92';

function screen(page, heading) {
  return new Screen(page, suite.server.origin, heading);
}

async function session(page) {
  return page.evaluate(async () => (await fetch('/api/session')).status);
}

test('a password sign-up enrolls a passkey before any session, and later sign-ins ask for it', async (t) => {
  const device = await openDevice(suite.browser);
  const { page, authenticator, waitForEvent } = device;

  await t.test('"Continue without a passkey" still ends with one: the policy asks before signing in', async () => {
    const signIn = new SignInScreen(page, suite.server.origin);
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, suite.server.origin).submitEmail('pat@example.com');
    await screen(page, 'Create a passkey for Latchkey demo on this device?').click('Continue without a passkey');
    const password = screen(page, 'Create a password');
    await password.field('Password').fill(STRONG);
    await password.click('Create account');
    const enroll = screen(page, 'Create a passkey to finish signing in');
    await enroll.expectShown();
    assert.equal(await session(page), 204, 'no session before the passkey');
    await enroll.click('Create a passkey');
    await screen(page, 'Name your passkey').click('Submit');
    assert.deepEqual((await waitForEvent('latchkey:signed-in')).methods, ['pwd', 'hwk', 'user']);
    assert.equal((await authenticator.credentials()).length, 1);
  });

  await t.test('a password sign-in then asks for that passkey', async () => {
    await authenticator.setPresence(false);
    const armed = await device.autofillRequests();
    await screen(page, "You're signed in").click('Sign out');
    await device.waitForAutofillAfter(armed);
    await authenticator.setPresence(true);
    const since = device.events.length;
    // Identifier-first offers the passkey; this person dismisses it (a failed verification ends the
    // prompt as a cancel would) and chooses the password.
    await authenticator.setUserVerified(false);
    await continueWithEmail(page, suite.server.origin, 'pat@example.com');
    const step = screen(page, 'Use your passkey');
    await step.expectAlert('The passkey request was cancelled or timed out.');
    await authenticator.setUserVerified(true);
    await step.click('Use your password instead');
    await enterPassword(page, suite.server.origin, STRONG);
    await screen(page, "You're signed in").expectShown();
    const detail = await waitForEvent('latchkey:signed-in', since);
    assert.deepEqual(detail.methods, ['pwd', 'hwk', 'user'], 'password and passkey');
    const asked = (await device.gets()).filter((g) => g.mediation === 'optional');
    assert.equal(asked.at(-1).allowCredentials, 1, "limited to Pat's passkey");
  });
});

test("another person's valid passkey assertion does not complete Pat's second factor", async () => {
  const mallory = await openDevice(suite.browser);
  const signIn = new SignInScreen(mallory.page, suite.server.origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(mallory.page, suite.server.origin).submitEmail('mallory@example.com');
  await screen(mallory.page, 'Create a passkey for Latchkey demo on this device?').click('Create a new passkey');
  await mallory.waitForEvent('latchkey:signed-in');
  await mallory.authenticator.setPresence(false);
  await screen(mallory.page, "You're signed in").click('Sign out');
  await screen(mallory.page, 'Welcome').expectShown();
  // Mallory knows Pat's password, and answers Pat's passkey challenge with her own discoverable passkey:
  // the same challenge, signed validly by a credential that is not Pat's. (A page without the widget,
  // so autofill does not sign her back in.)
  await mallory.page.goto(`${suite.server.origin}/latchkey.css`);
  await mallory.authenticator.setPresence(true);
  const outcome = await mallory.page.evaluate(async (password) => {
    const post = (path, body) =>
      fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const step = await (await post('/api/password/signin', { email: 'pat@example.com', password })).json();
    const options = { ...step.ceremony.publicKey, allowCredentials: [] };
    const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
    const verify = await post('/api/signin/verify', { ceremony: step.ceremony.ceremony, credential: credential.toJSON() });
    return { next: step.next, status: verify.status, body: await verify.json(), session: (await fetch('/api/session')).status };
  }, STRONG);
  assert.equal(outcome.next, 'second_factor');
  assert.deepEqual([outcome.status, outcome.body.code], [403, 'credential_rejected']);
  assert.equal(outcome.session, 204, 'no session for anyone');
});
