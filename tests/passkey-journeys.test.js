// End to end: the real server on loopback with a fresh database, Debian's Chromium, and a virtual
// authenticator; every step goes through the widget as a person would.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import {
  continueWithEmail, CreatePasskeyScreen, Screen, SignedInScreen, SignInScreen, SignUpScreen,
} from './support/pages.js';
import { useSuite } from './support/suite.js';

const APP = 'Latchkey demo';
const ADMIN_TOKEN = 'e2e-admin-token-7d2a';
const suite = useSuite({ LATCHKEY_ADMIN_TOKEN: ADMIN_TOKEN });

/** Calls the administration API, as the console would. */
async function admin(method, path, body) {
  const response = await fetch(`${suite.server.origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: body && JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

/** Asks for a reset link for `email` and waits for it to arrive, unlike `previous`. */
async function freshResetLink(email, previous) {
  const asked = await fetch(`${suite.server.origin}/api/password/forgot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  assert.equal(asked.status, 204);
  for (let waited = 0; waited < 10_000; waited += 100) {
    const link = await suite.server.resetLinkFor(email);
    if (link !== previous) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new reset link for ${email}`);
}

test('sign up with a passkey, sign out, sign in with the button and with autofill', async (t) => {
  const { page, authenticator, events, waitForEvent, autofillRequests, waitForAutofillAfter } = await openDevice(suite.browser);
  const signIn = new SignInScreen(page, suite.server.origin);
  const signUp = new SignUpScreen(page, suite.server.origin);
  const createPasskey = new CreatePasskeyScreen(page, suite.server.origin);
  const signedIn = new SignedInScreen(page, suite.server.origin);

  await t.test('the sign-in screen arms passkey autofill on the email field', async () => {
    await signIn.open();
    await signIn.expectShown();
    assert.equal(await signIn.email.getAttribute('autocomplete'), 'username webauthn');
    assert.match(await page.textContent('latchkey-login'), new RegExp(`Log in to ${APP} to continue`));
  });

  await t.test('sign up with a passkey through the UI', async () => {
    await signIn.goToSignUp();
    await signUp.expectShown();
    assert.ok(await signUp.headingHasFocus(), 'focus moves to the new screen heading');
    await signUp.submitEmail('ada@example.com');
    await createPasskey.expectShown(APP);
    await createPasskey.create();
    await signedIn.expectSignedInAs('ada@example.com');
    const credentials = await authenticator.credentials();
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true, 'the passkey is discoverable');
    assert.deepEqual(await waitForEvent('latchkey:signed-in'), {
      user: { email: 'ada@example.com', displayName: 'ada@example.com' },
      methods: ['hwk', 'user'],
    });
  });

  await t.test('the session survives a reload', async () => {
    await page.reload();
    await signedIn.expectSignedInAs('ada@example.com');
  });

  await t.test('sign out', async () => {
    // Presence off: the autofill request the sign-in screen arms stays pending, as when a person
    // ignores the autofill suggestion.
    await authenticator.setPresence(false);
    const since = events.length;
    const armed = await autofillRequests();
    await signedIn.signOut();
    await signIn.expectShown();
    assert.equal(await waitForEvent('latchkey:signed-out', since), null);
    // The sign-in screen arms autofill again; it must be waiting before presence comes back, or it
    // would sign in by itself before the button is pressed.
    await waitForAutofillAfter(armed);
  });

  await t.test('sign in with "Continue with a passkey", whose prompt opens with autofill\'s options, no request first', async () => {
    await authenticator.setPresence(true);
    const since = events.length;
    const starts = [];
    const countStarts = (request) => request.url().endsWith('/api/signin/start') && starts.push(request.url());
    page.on('request', countStarts);
    await signIn.continueWithPasskey();
    await signedIn.expectSignedInAs('ada@example.com');
    await waitForEvent('latchkey:signed-in', since);
    assert.equal((await authenticator.credentials())[0].signCount > 0, true, 'the assertion was counted');
    page.off('request', countStarts);
    assert.deepEqual(starts, [], 'the click asked the server for nothing before the prompt');
  });

  await t.test('after a reload, autofill signs in without pressing a button', async () => {
    await authenticator.setPresence(false);
    const armed = await autofillRequests();
    await signedIn.signOut();
    await signIn.expectShown();
    await waitForAutofillAfter(armed);
    await authenticator.setPresence(true);
    const before = events.length;
    await page.reload();
    await signedIn.expectSignedInAs('ada@example.com');
    await waitForEvent('latchkey:signed-in', before);
    assert.deepEqual(events.slice(before).map((e) => e.name), ['latchkey:signed-in']);
  });
});

test("a passkey-only account whose passkey is gone from this device makes a new one from \"Can't sign in?\"", async (t) => {
  const device = await openDevice(suite.browser);
  const { page, authenticator } = device;
  const origin = suite.server.origin;
  const screen = (heading) => new Screen(page, origin, heading);
  const signIn = new SignInScreen(page, origin);
  const signedIn = new SignedInScreen(page, origin);
  const email = 'iris@example.com';
  let replacement;

  await t.test('the account has a passkey, and the device loses it', async () => {
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, origin).submitEmail(email);
    await new CreatePasskeyScreen(page, origin).create();
    await signedIn.expectSignedInAs(email);
    // Gone before the sign-out, or the sign-in screen's autofill would sign straight back in with it.
    await authenticator.remove();
    replacement = await device.addAuthenticator();
    await signedIn.signOut();
    await signIn.expectShown();
  });

  await t.test('the passkey step offers "Can\'t sign in?", which mails a link', async () => {
    await continueWithEmail(page, origin, email);
    const step = screen('Use your passkey');
    await step.expectAlert('The passkey request was cancelled or timed out.');
    await step.click("Can't sign in?");
    const forgot = screen('Reset your password');
    await forgot.expectShown();
    assert.equal(await forgot.field('Email address').inputValue(), email);
    await forgot.click('Send reset link');
    await screen('Check your email').expectShown();
  });

  await t.test('the link makes a passkey on this device, which signs in, and says what the account keeps', async () => {
    const link = await suite.server.resetLinkFor(email);
    await page.goto('about:blank');
    await page.goto(link);
    const back = screen('Get back into your account');
    await back.expectShown();
    // The sign-up's address was never proved, so the link claims the account: the old passkey goes.
    assert.match(await page.textContent('latchkey-login'), /what you make now is its only way in/);
    await back.click('Create a passkey on this device');
    await screen('Name your passkey').click('Skip');
    await signedIn.expectSignedInAs(email);
    assert.equal((await replacement.credentials()).length, 1, 'the new passkey is on this device');
  });

  await t.test('the new passkey signs in next time, from the sign-in screen\'s autofill', async () => {
    const signedInAgain = page.waitForResponse((r) => r.url().endsWith('/api/signin/finish') && r.status() === 200);
    await signedIn.signOut();
    await signedInAgain;
    await signedIn.expectSignedInAs(email);
  });
});

test('a reset link whose next part fails still leads somewhere, and a full account is offered a new password', async (t) => {
  const device = await openDevice(suite.browser);
  const { page, authenticator, waitForAutofillAfter } = device;
  const origin = suite.server.origin;
  const screen = (heading) => new Screen(page, origin, heading);
  const signIn = new SignInScreen(page, origin);
  const signedIn = new SignedInScreen(page, origin);
  const back = screen('Get back into your account');
  const email = 'june@example.com';
  let link;
  let replacement;

  await t.test('a proved account loses its device', async () => {
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, origin).submitEmail(email);
    await new CreatePasskeyScreen(page, origin).create();
    await signedIn.expectSignedInAs(email);
    suite.server.sql(`UPDATE users SET email_verified_at = 1 WHERE email = '${email}'`);
    await authenticator.remove();
    replacement = await device.addAuthenticator();
    await signedIn.signOut();
    await signIn.expectShown();
    link = await freshResetLink(email);
  });

  await t.test('without the rest of the widget, the link shows the sign-in screen with autofill, and says why', async () => {
    await page.route('**/split_later.wasm', (route) => route.abort('internetdisconnected'));
    await page.goto('about:blank');
    await page.goto(link);
    await signIn.expectShown();
    await signIn.expectAlert("We couldn't reach the server. Check your connection and try again.");
    await waitForAutofillAfter(0);
    await page.unroute('**/split_later.wasm');
  });

  await t.test('a start that fails shows the choice with the reason, and the passkey button asks again', async () => {
    await page.route('**/api/recovery/start', (route) => route.abort('internetdisconnected'), { times: 1 });
    await page.goto('about:blank');
    await page.goto(link);
    await back.expectShown();
    await back.expectAlert("We couldn't reach the server.");
    await back.click('Create a passkey on this device');
    await back.widget.getByText('Your other passkey keeps working either way.').waitFor();
    await back.click('Create a passkey on this device');
    await screen('Name your passkey').click('Skip');
    await signedIn.expectSignedInAs(email);
  });

  await t.test('an account with as many passkeys as the policy allows is offered a new password only', async () => {
    const policy = await admin('GET', '/api/admin/policy');
    await admin('PUT', '/api/admin/policy', { ...policy, passkeys_per_user: 2 });
    try {
      const full = await freshResetLink(email, link);
      await page.goto('about:blank');
      await page.goto(full);
      await back.expectShown();
      await back.widget.getByText('Your account has as many passkeys as it can, so this link sets a new password.').waitFor();
      assert.equal(await back.button('Create a passkey on this device').count(), 0);
      await back.click('Choose a new password');
      const choose = screen('Choose a new password');
      await choose.field('Password').fill('harbour-lantern-violet-31');
      // Gone first, or the sign-in screen's autofill would sign straight in with the new passkey.
      await replacement.remove();
      await choose.click('Save password');
      await signIn.expectShown();
      await signIn.widget.getByText('Your password is changed. Log in with it.').waitFor();
    } finally {
      await admin('PUT', '/api/admin/policy', policy);
    }
  });
});
