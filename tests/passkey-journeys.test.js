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
const suite = useSuite();

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

  await t.test('sign in with "Continue with a passkey"', async () => {
    await authenticator.setPresence(true);
    const since = events.length;
    await signIn.continueWithPasskey();
    await signedIn.expectSignedInAs('ada@example.com');
    await waitForEvent('latchkey:signed-in', since);
    assert.equal((await authenticator.credentials())[0].signCount > 0, true, 'the assertion was counted');
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
