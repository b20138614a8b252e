// End to end under `mfa = "passkey"`: an application signs a person in through Latchkey with a password
// and the passkey second factor, and openid-client validates an ID token whose `amr` says both.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { landOnTheApp, registeredRelyingParty } from './support/relying-party.js';
import { useSuite } from './support/suite.js';

const suite = useSuite({ LATCHKEY_MFA: 'passkey' });
const STRONG = 'velvet-anchor-tulip-92';
let app;
after(() => app?.close());

function screen(page, heading) {
  return new Screen(page, suite.server.origin, heading);
}

test('a password sign-in with the passkey second factor reaches the application with amr pwd and a key', async (t) => {
  app = await registeredRelyingParty(suite.server);
  const device = await openDevice(suite.browser);
  const { page, authenticator } = device;

  await t.test('sign-up with a password enrolls the passkey, then continues to the application', async () => {
    await page.goto(`${app.origin}/login`);
    await new SignInScreen(page, suite.server.origin).goToSignUp();
    await new SignUpScreen(page, suite.server.origin).submitEmail('pat@example.com');
    await screen(page, 'Create a passkey for Latchkey demo on this device?').click('Continue without a passkey');
    const password = screen(page, 'Create a password');
    await password.field('Password').fill(STRONG);
    await password.click('Create account');
    await screen(page, 'Create a passkey to finish signing in').click('Create a passkey');
    await screen(page, 'Name your passkey').click('Submit');
    await landOnTheApp(page, app);
  });

  await t.test('prompt=login asks again; the password and the passkey both count', async () => {
    // The passkey answers autofill only when this person chooses it: first the password.
    await authenticator.setPresence(false);
    const armed = await device.autofillRequests();
    await page.goto(`${app.origin}/login?prompt=login`);
    await page.getByRole('heading', { name: 'Sign in again to continue to Notes' }).waitFor();
    await page.getByText("You're signed in as pat@example.com.", { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await device.waitForAutofillAfter(armed);
    await authenticator.setPresence(true);
    await authenticator.setUserVerified(false);
    await continueWithEmail(page, suite.server.origin, 'pat@example.com');
    const step = screen(page, 'Use your passkey');
    await step.expectAlert('The passkey request was cancelled or timed out.');
    await authenticator.setUserVerified(true);
    await step.click('Use your password instead');
    await enterPassword(page, suite.server.origin, STRONG);
    await landOnTheApp(page, app);
    const { claims } = app.signIns.at(-1);
    assert.ok(claims.amr.includes('pwd'), claims.amr);
    assert.ok(claims.amr.includes('hwk') || claims.amr.includes('swk'), claims.amr);
    assert.ok(claims.amr.includes('mfa'), claims.amr);
  });

  await device.context.close();
});
