// End to end: the real server on loopback with a fresh database, Debian's Chromium, and a virtual
// authenticator; every step goes through the widget as a person would.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { CreatePasskeyScreen, SignedInScreen, SignInScreen, SignUpScreen } from './support/pages.js';
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
