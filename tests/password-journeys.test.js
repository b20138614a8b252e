// End to end, for people without a passkey yet: sign-up with a password, identifier-first sign-in,
// progressive enrollment (the automatic upgrade, then the consent screen, naming, "Not now", "Don't ask
// again"), the reset link from the outbox, and unknown emails looking like accounts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
const STRONG = 'velvet-anchor-tulip-92';

function screen(page, heading) {
  return new Screen(page, suite.server.origin, heading);
}

/** Makes an account with a password through the API, from a context of its own. */
async function passwordAccount(email) {
  const response = await fetch(`${suite.server.origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: suite.server.origin },
    body: JSON.stringify({ email, password: STRONG }),
  });
  assert.equal(response.status, 200, await response.text());
}

/** Signs in with a password up to the passkey offer, which comes after the automatic-upgrade attempt. */
async function signInUpToTheOffer(device, email) {
  const { page } = device;
  await page.goto(suite.server.origin);
  await continueWithEmail(page, suite.server.origin, email);
  await enterPassword(page, suite.server.origin, STRONG);
  const offer = screen(page, 'Sign in faster with a passkey');
  await offer.expectShown();
  return offer;
}

test('sign up with a password instead of a passkey', async (t) => {
  const { page, waitForEvent } = await openDevice(suite.browser);
  const origin = suite.server.origin;
  const newPassword = screen(page, 'Create a password');

  await t.test('"Continue without a passkey" leads to a password', async () => {
    const signIn = new SignInScreen(page, origin);
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, origin).submitEmail('pat@example.com');
    await screen(page, 'Create a passkey for Latchkey demo on this device?').click('Continue without a passkey');
    await newPassword.expectShown();
    assert.ok(await newPassword.headingHasFocus());
    // Password managers save the pair: the email rides along in a hidden username field.
    const username = page.locator('latchkey-login input[name=username]');
    assert.equal(await username.inputValue(), 'pat@example.com');
    assert.equal(await username.getAttribute('autocomplete'), 'username');
    assert.equal(await newPassword.field('Password').getAttribute('autocomplete'), 'new-password');
  });

  await t.test('a common password is refused with a reason, and nothing typed is lost', async () => {
    await newPassword.field('Password').fill('password1');
    await newPassword.click('Create account');
    await newPassword.expectAlert('This password is too common or easy to guess.');
    await newPassword.expectShown();
    assert.match(await page.textContent('latchkey-login'), /pat@example\.com/);
  });

  await t.test('a strong one creates the account and signs in with "pwd"', async () => {
    await newPassword.field('Password').fill(STRONG);
    await newPassword.click('Create account');
    assert.deepEqual(await waitForEvent('latchkey:signed-in'), {
      user: { email: 'pat@example.com', displayName: 'pat@example.com' },
      methods: ['pwd'],
    });
    await screen(page, "You're signed in").expectShown();
  });
});

test('progressive enrollment: the automatic upgrade falls back to the consent screen, then naming', async (t) => {
  await passwordAccount('nia@example.com');
  const device = await openDevice(suite.browser);
  const { page, authenticator, waitForEvent, creates, gets } = device;
  const origin = suite.server.origin;

  await t.test('identifier-first: an account without a passkey gets the password field', async () => {
    await page.goto(origin);
    await continueWithEmail(page, origin, 'nia@example.com');
    const password = screen(page, 'Enter your password');
    await password.expectShown();
    assert.equal(await password.field('Password').getAttribute('autocomplete'), 'current-password');
    await password.field('Password').fill('not-the-password-1');
    await password.click('Continue');
    await password.expectAlert("That email address and password don't match.");
  });

  await t.test('the right password tries an automatic upgrade first, then asks', async () => {
    await enterPassword(page, origin, STRONG);
    const offer = screen(page, 'Sign in faster with a passkey');
    await offer.expectShown();
    // The browser reports `conditionalCreate`; the widget asked for a conditional create, which the
    // virtual authenticator does not grant, and gave up after its time limit.
    assert.deepEqual((await creates()).map((c) => c.mediation), ['conditional']);
    assert.equal((await authenticator.credentials()).length, 0);
  });

  await t.test('"Create a passkey", then "Name your passkey" prefilled with the browser and system', async () => {
    const since = device.events.length;
    await screen(page, 'Sign in faster with a passkey').click('Create a passkey');
    const name = screen(page, 'Name your passkey');
    await name.expectShown();
    assert.equal(await name.field('Passkey name').inputValue(), 'Chrome on Linux');
    await name.field('Passkey name').fill('Work laptop');
    const renamed = page.waitForResponse((r) => r.url().endsWith('/api/passkeys/rename'));
    await name.click('Submit');
    const response = await renamed;
    assert.equal(response.status(), 204);
    assert.deepEqual(JSON.parse(response.request().postData()).name, 'Work laptop');
    assert.deepEqual((await waitForEvent('latchkey:signed-in', since)).methods, ['pwd']);
    assert.equal((await authenticator.credentials()).length, 1);
  });

  await t.test('next time, identifier-first offers that passkey, and "Try again" recovers a failed prompt', async () => {
    // Presence off while the sign-in screen arms autofill, or autofill would sign in by itself.
    await authenticator.setPresence(false);
    const armed = await device.autofillRequests();
    await screen(page, "You're signed in").click('Sign out');
    await device.waitForAutofillAfter(armed);
    await authenticator.setPresence(true);
    // The person fails to verify: the prompt ends with NotAllowedError, as a cancel would.
    await authenticator.setUserVerified(false);
    const since = device.events.length;
    await continueWithEmail(page, origin, 'nia@example.com');
    const step = screen(page, 'Use your passkey');
    await step.expectShown();
    await step.expectAlert('The passkey request was cancelled or timed out.');
    const last = (await gets()).at(-1);
    assert.deepEqual([last.mediation, last.allowCredentials], ['optional', 1], 'limited to the account');
    await authenticator.setUserVerified(true);
    await step.click('Try again');
    assert.deepEqual((await waitForEvent('latchkey:signed-in', since)).methods, ['hwk', 'user']);
  });
});

test('"Not now" snoozes the offer and "Don\'t ask again" stops it', async (t) => {
  await passwordAccount('sam@example.com');
  await passwordAccount('dee@example.com');

  await t.test('"Not now" signs in, and the next sign-in does not ask', async () => {
    const device = await openDevice(suite.browser);
    const offer = await signInUpToTheOffer(device, 'sam@example.com');
    await offer.click('Not now');
    await screen(device.page, "You're signed in").expectShown();
    await screen(device.page, "You're signed in").click('Sign out');
    await continueWithEmail(device.page, suite.server.origin, 'sam@example.com');
    await enterPassword(device.page, suite.server.origin, STRONG);
    await screen(device.page, "You're signed in").expectShown();
    assert.equal((await device.creates()).length, 1, 'only the first sign-in tried to create a passkey');
  });

  await t.test('"Don\'t ask again" signs in, and no later sign-in asks', async () => {
    const device = await openDevice(suite.browser);
    const offer = await signInUpToTheOffer(device, 'dee@example.com');
    await offer.click("Don't ask again");
    await screen(device.page, "You're signed in").expectShown();
    const fresh = await openDevice(suite.browser);
    await fresh.page.goto(suite.server.origin);
    await continueWithEmail(fresh.page, suite.server.origin, 'dee@example.com');
    await enterPassword(fresh.page, suite.server.origin, STRONG);
    await screen(fresh.page, "You're signed in").expectShown();
    assert.equal((await fresh.creates()).length, 0);
  });
});

test('"Forgot password?": a reset link from the outbox sets a new password and signs every session out', async (t) => {
  await passwordAccount('rita@example.com');
  const other = await openDevice(suite.browser);
  const offer = await signInUpToTheOffer(other, 'rita@example.com');
  await offer.click("Don't ask again");
  await screen(other.page, "You're signed in").expectShown();
  const { page } = await openDevice(suite.browser);
  const origin = suite.server.origin;
  let link;

  await t.test('the reset screen keeps the email and says the same thing for any address', async () => {
    await page.goto(origin);
    await continueWithEmail(page, origin, 'rita@example.com');
    await screen(page, 'Enter your password').click('Forgot password?');
    const forgot = screen(page, 'Reset your password');
    await forgot.expectShown();
    assert.equal(await forgot.field('Email address').inputValue(), 'rita@example.com');
    await forgot.click('Send reset link');
    await screen(page, 'Check your email').expectShown();
    assert.match(await page.textContent('latchkey-login'), /If an account uses rita@example\.com, we've sent it a link/);
    link = await suite.server.resetLinkFor('rita@example.com');
  });

  await t.test('the link offers a passkey or a password, leaves the address bar clean, and sets the password', async () => {
    // As from a mail program: a new page load, not a same-page hash change.
    await page.goto('about:blank');
    await page.goto(link);
    const back = screen(page, 'Get back into your account');
    await back.expectShown();
    assert.match(await page.textContent('latchkey-login'), /Nothing made on your account before stays/,
      'the address was never proved, so the link claims the account');
    await back.click('Choose a new password instead');
    const choose = screen(page, 'Choose a new password');
    await choose.expectShown();
    assert.ok(!page.url().includes('latchkey-reset'), page.url());
    await choose.field('Password').fill('12345678');
    await choose.click('Save password');
    await choose.expectAlert('too common');
    await choose.field('Password').fill('marble-otter-sunrise-58');
    await choose.click('Save password');
    const welcome = screen(page, 'Welcome');
    await welcome.expectShown();
    await welcome.expectStatus('Your password is changed. Log in with it.');
  });

  await t.test('the new password works and every other session is gone', async () => {
    await continueWithEmail(page, origin, 'rita@example.com');
    await enterPassword(page, origin, 'marble-otter-sunrise-58');
    await screen(page, "You're signed in").expectShown();
    await other.page.reload();
    await screen(other.page, 'Welcome').expectShown();
  });

  await t.test('the link works once: opened again, it says so on the screen that asks for a new one', async () => {
    const { page: again } = await openDevice(suite.browser);
    await again.goto(link);
    const forgot = screen(again, 'Reset your password');
    await forgot.expectShown();
    await forgot.expectAlert('This reset link has expired or was used already.');
  });
});

test('an unknown email gets the screens an account would, and the same refusal', async () => {
  const { page } = await openDevice(suite.browser);
  const origin = suite.server.origin;
  await page.goto(origin);
  await continueWithEmail(page, origin, 'nobody-here@example.com');
  // Like an account, an unknown email gets either passkeys (stand-ins this device does not hold) or the
  // password field, decided by the server's secret.
  const heading = page.locator('latchkey-login h2');
  await heading.filter({ hasText: /Use your passkey|Enter your password/ }).waitFor();
  if ((await heading.textContent()) === 'Use your passkey') {
    const step = screen(page, 'Use your passkey');
    await step.expectAlert('The passkey request was cancelled or timed out.');
    await step.click('Use your password instead');
  }
  await enterPassword(page, origin, STRONG);
  await screen(page, 'Enter your password').expectAlert("That email address and password don't match.");
});

test('after ten wrong passwords the widget says how long to wait, and the account is not locked elsewhere', async () => {
  await passwordAccount('ray@example.com');
  // Ten wrong guesses from this machine's address, sent straight to the API as a guesser would.
  for (let i = 0; i < 10; i += 1) {
    const guess = await fetch(`${suite.server.origin}/api/password/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: suite.server.origin },
      body: JSON.stringify({ email: 'ray@example.com', password: `wrong-guess-${i}` }),
    });
    assert.equal(guess.status, 401);
  }
  const { page } = await openDevice(suite.browser);
  await page.goto(suite.server.origin);
  await continueWithEmail(page, suite.server.origin, 'ray@example.com');
  await enterPassword(page, suite.server.origin, STRONG);
  const password = screen(page, 'Enter your password');
  await password.expectAlert('Too many tries. Wait 15 minutes.');
  assert.equal(await password.field('Password').inputValue(), STRONG, 'what was typed stays');
});
