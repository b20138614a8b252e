// End to end: what the widget does around the main journeys: refusals with a way forward, retries,
// the page's security headers, and the element on a third-party-style page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { CreatePasskeyScreen, SignedInScreen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();

async function signUp(page, email) {
  const signIn = new SignInScreen(page, suite.server.origin);
  await signIn.open();
  await signIn.expectShown();
  await signIn.goToSignUp();
  await new SignUpScreen(page, suite.server.origin).submitEmail(email);
}

test('the pages are served with their security headers and the WASM as application/wasm', async () => {
  const page = await fetch(suite.server.origin);
  assert.equal(
    page.headers.get('content-security-policy'),
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  );
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const wasm = await fetch(`${suite.server.origin}/latchkey.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

test('a cancelled passkey prompt explains itself, and trying again works', async (t) => {
  const { page, authenticator, waitForEvent } = await openDevice(suite.browser);
  const createPasskey = new CreatePasskeyScreen(page, suite.server.origin);

  await t.test('the prompt fails when the person does not verify', async () => {
    await authenticator.setUserVerified(false);
    await signUp(page, 'grace@example.com');
    await createPasskey.expectShown('Latchkey demo');
    await createPasskey.create();
    await createPasskey.expectAlert('The passkey request was cancelled or timed out.');
    assert.equal((await waitForEvent('latchkey:error')).code, 'not_allowed');
    assert.equal(await page.getByRole('button', { name: 'Create a new passkey' }).isEnabled(), true);
  });

  await t.test('the same screen creates the passkey on the next try', async () => {
    await authenticator.setUserVerified(true);
    await createPasskey.create();
    await new SignedInScreen(page, suite.server.origin).expectSignedInAs('grace@example.com');
  });
});

test('an email that has an account gets a clear message and a way to log in', async () => {
  const { page } = await openDevice(suite.browser);
  const signUpScreen = new SignUpScreen(page, suite.server.origin);
  await signUp(page, 'grace@example.com');
  await signUpScreen.expectAlert("There's already an account with this email address.");
  await page.getByRole('alert').getByRole('button', { name: 'Log in' }).click();
  const signIn = new SignInScreen(page, suite.server.origin);
  await signIn.expectShown();
  assert.equal(await signIn.email.inputValue(), 'grace@example.com', 'the typed email is kept');
});

test('an address that is not an email is refused before any request', async () => {
  const { page } = await openDevice(suite.browser);
  const requests = [];
  page.on('request', (r) => r.url().includes('/api/signup') && requests.push(r.url()));
  await signUp(page, 'not-an-email');
  await new SignUpScreen(page, suite.server.origin).expectAlert('Enter an email address like name@example.com.');
  assert.deepEqual(requests, []);
});

test('"Go back" keeps the email and the element registers once when loaded twice', async () => {
  const { page } = await openDevice(suite.browser);
  await signUp(page, 'lin@example.com');
  const createPasskey = new CreatePasskeyScreen(page, suite.server.origin);
  await createPasskey.expectShown('Latchkey demo');
  await createPasskey.goBack();
  const signUpScreen = new SignUpScreen(page, suite.server.origin);
  await signUpScreen.expectShown();
  assert.equal(await page.getByLabel('Email address').inputValue(), 'lin@example.com');

  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.evaluate(async () => {
    await import(`/latchkey.js?again=${Date.now()}`);
    document.body.append(Object.assign(document.createElement('latchkey-login'), { id: 'second' }));
  });
  await page.locator('#second h2', { hasText: 'Welcome' }).waitFor();
  assert.deepEqual(errors, []);
  const ids = await page.$$eval('latchkey-login h2', (hs) => hs.map((h) => h.id));
  assert.equal(new Set(ids).size, 2, 'each widget has its own heading ID');
});

test('a person can sign up and sign out with the keyboard alone', async (t) => {
  const { page } = await openDevice(suite.browser);
  const signIn = new SignInScreen(page, suite.server.origin);
  const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.getAttribute('name'));
  // The widget moves focus to a new screen's heading in the animation frame after the screen renders.
  const headingFocused = (text) => page.waitForFunction(
    (expected) => document.activeElement?.tagName === 'H2' && document.activeElement.textContent === expected, text);

  await t.test('Tab reaches the email field, its buttons and the sign-up link, in that order', async () => {
    await signIn.open();
    await signIn.expectShown();
    const order = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await focusedText());
    }
    assert.deepEqual(order, ['email', 'Continue', 'Continue with a passkey', 'Sign up']);
  });

  await t.test('Enter follows the link; focus lands on the new heading, and Tab on its email field', async () => {
    await page.keyboard.press('Enter');
    await new SignUpScreen(page, suite.server.origin).expectShown();
    await headingFocused('Create your account');
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(), 'email');
    await page.keyboard.type('kay@example.com');
    await page.keyboard.press('Enter');
  });

  await t.test('the passkey is created and the person signed out from the keyboard', async () => {
    await new CreatePasskeyScreen(page, suite.server.origin).expectShown('Latchkey demo');
    await headingFocused('Create a passkey for Latchkey demo on this device?');
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(), 'Create a new passkey');
    await page.keyboard.press('Enter');
    const signedIn = new SignedInScreen(page, suite.server.origin);
    await signedIn.expectSignedInAs('kay@example.com');
    await headingFocused("You're signed in");
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(), 'Sign out');
    await page.keyboard.press('Enter');
    await signIn.expectShown();
  });
});

test('the sign-in page fetches its first chunk only, until the person turns to the widget', async (t) => {
  const { page } = await openDevice(suite.browser);
  const signIn = new SignInScreen(page, suite.server.origin);
  const fetched = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && fetched.push(new URL(r.url()).pathname));
  // Autofill is armed once the widget has asked for a conditional `navigator.credentials.get`.
  await page.addInitScript(() => {
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      if (options?.mediation === 'conditional') window.latchkeyAutofillArmed = true;
      return get(options);
    };
  });

  await t.test('the sign-in screen shows, with autofill armed, on latchkey.wasm alone', async () => {
    await signIn.open();
    await signIn.expectShown();
    await page.waitForFunction(() => window.latchkeyAutofillArmed === true);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(fetched, ['/latchkey.wasm']);
  });

  await t.test('focus on the email field fetches the rest once, and the journeys go on', async () => {
    const later = page.waitForRequest((r) => r.url().endsWith('/split_later.wasm'));
    await signIn.email.focus();
    await later;
    await signIn.goToSignUp();
    await new SignUpScreen(page, suite.server.origin).expectShown();
    assert.deepEqual(fetched, ['/latchkey.wasm', '/split_later.wasm']);
  });
});

test('a chunk that cannot be fetched is told as a network problem, and the next try fetches it', async () => {
  const { page, autofillRequests, waitForAutofillAfter } = await openDevice(suite.browser);
  const signIn = new SignInScreen(page, suite.server.origin);
  await page.route('**/split_later.wasm', (route) => route.abort('internetdisconnected'));
  await signIn.open();
  await signIn.expectShown();
  await waitForAutofillAfter(0);
  const armed = await autofillRequests();
  await signIn.goToSignUp();
  await signIn.expectAlert("We couldn't reach the server. Check your connection and try again.");
  await signIn.expectShown();
  // "Sign up" stopped autofill on its way out; staying here, the screen arms it again.
  await waitForAutofillAfter(armed);
  await page.unroute('**/split_later.wasm');
  await signIn.goToSignUp();
  await new SignUpScreen(page, suite.server.origin).expectShown();
});
