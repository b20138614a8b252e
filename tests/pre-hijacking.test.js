// End to end: the pre-hijack attack. Someone signs up first with the victim's address and a passkey of
// their own; the victim, finding the address taken, resets the password with the mailed link, which
// claims the account: the attacker's session is gone and their passkey is refused, and their browser is
// told the passkey is unknown. The verification link a sign-up mails does the same when its owner says
// "It wasn't me".
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
const VICTIM = 'victim@example.com';
const NEW_PASSWORD = 'marble-otter-sunrise-58';

/** The attacker's browser signs up as `victim` with a passkey of its own. */
async function signUpAs(attacker, victim) {
  const origin = suite.server.origin;
  const signIn = new SignInScreen(attacker.page, origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(attacker.page, origin).submitEmail(victim);
  const create = new Screen(attacker.page, origin, 'Create a passkey for Latchkey demo on this device?');
  await create.click('Create a new passkey');
  await attacker.waitForEvent('latchkey:signed-in');
}

/** After the claim: the attacker's session is gone, and their passkey is refused and reported. */
async function expectShutOut(attacker) {
  const origin = suite.server.origin;
  const session = await attacker.page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(session, 204, 'signed out by the claim');
  // Autofill would answer at once; hold the authenticator until the button asks.
  await attacker.authenticator.setPresence(false);
  await attacker.page.goto(origin);
  const welcome = new Screen(attacker.page, origin, 'Welcome');
  await welcome.expectShown();
  await attacker.waitForAutofillAfter(0);
  await attacker.authenticator.setPresence(true);
  await welcome.click('Continue with a passkey');
  await welcome.expectAlert("This passkey isn't registered here any more.");
  const after = await attacker.page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(after, 204, 'still signed out');
}

test("the owner's reset link takes the account back from whoever signed up with the address first", async (t) => {
  const origin = suite.server.origin;
  const attacker = await openDevice(suite.browser);
  const owner = await openDevice(suite.browser);
  const screen = (page, heading) => new Screen(page, origin, heading);
  let link;

  await t.test('the attacker signs up as the victim with a passkey of their own', () => signUpAs(attacker, VICTIM));

  await t.test('the owner finds the address taken and asks for a reset link', async () => {
    const signIn = new SignInScreen(owner.page, origin);
    await signIn.open();
    await signIn.goToSignUp();
    const signUp = new SignUpScreen(owner.page, origin);
    await signUp.submitEmail(VICTIM);
    await signUp.expectAlert("There's already an account with this email address.");
    await owner.page.goto(origin);
    await continueWithEmail(owner.page, origin, VICTIM);
    // The account's only passkey is the attacker's, which this device does not hold.
    const step = screen(owner.page, 'Use your passkey');
    await step.expectAlert('The passkey request was cancelled or timed out.');
    await step.click('Use your password instead');
    await screen(owner.page, 'Enter your password').click('Forgot password?');
    await screen(owner.page, 'Reset your password').click('Send reset link');
    await screen(owner.page, 'Check your email').expectShown();
    link = await suite.server.resetLinkFor(VICTIM);
  });

  await t.test('the link sets the owner a password, and the owner signs in with it', async () => {
    await owner.page.goto('about:blank');
    await owner.page.goto(link);
    await screen(owner.page, 'Get back into your account').click('Choose a new password instead');
    const choose = screen(owner.page, 'Choose a new password');
    await choose.field('Password').fill(NEW_PASSWORD);
    await choose.click('Save password');
    await screen(owner.page, 'Welcome').expectShown();
    await continueWithEmail(owner.page, origin, VICTIM);
    // No passkey is left, so the password field comes at once, then the offer of a passkey of their own.
    await enterPassword(owner.page, origin, NEW_PASSWORD);
    await screen(owner.page, 'Sign in faster with a passkey').expectShown();
  });

  await t.test("the attacker's session is gone and their passkey is refused", () => expectShutOut(attacker));
});

test('the owner takes the account back from the verification link the sign-up mailed', async (t) => {
  const origin = suite.server.origin;
  const victim = 'second-victim@example.com';
  const attacker = await openDevice(suite.browser);
  const owner = await openDevice(suite.browser);
  const screen = (page, heading) => new Screen(page, origin, heading);
  await owner.page.addInitScript(() => {
    window.__accepted = [];
    PublicKeyCredential.signalAllAcceptedCredentials = async (options) => void window.__accepted.push(options);
  });

  await t.test('the attacker signs up as the victim with a passkey of their own', () => signUpAs(attacker, victim));

  await t.test('the mailbox owner opens the link and says it was not them', async () => {
    await owner.page.goto(await suite.server.emailLinkFor(victim));
    await owner.page.getByRole('heading', { name: 'Verify your email' }).waitFor();
    await owner.page.getByText(`A Latchkey demo account was made with ${victim}`).waitFor();
    await owner.page.getByRole('button', { name: "It wasn't me: take the account back" }).click();
    await owner.page.getByRole('heading', { name: 'The account is yours' }).waitFor();
    // The page's module script runs once the document is parsed: wait for its signal.
    await owner.page.waitForFunction(() => window.__accepted.length > 0);
    const accepted = await owner.page.evaluate(() => window.__accepted);
    assert.equal(accepted.length, 1, 'the browser hears that no passkey of the account is valid');
    assert.deepEqual(accepted[0].allAcceptedCredentialIds, []);
    assert.equal(accepted[0].rpId, 'localhost');
  });

  await t.test('"Choose a password" sets the owner one, and the owner signs in with it', async () => {
    await owner.page.getByRole('link', { name: 'Choose a password' }).click();
    await screen(owner.page, 'Get back into your account').click('Choose a new password instead');
    const choose = screen(owner.page, 'Choose a new password');
    await choose.field('Password').fill(NEW_PASSWORD);
    await choose.click('Save password');
    await screen(owner.page, 'Welcome').expectShown();
    await continueWithEmail(owner.page, origin, victim);
    await enterPassword(owner.page, origin, NEW_PASSWORD);
    await screen(owner.page, 'Sign in faster with a passkey').expectShown();
  });

  await t.test("the attacker's session is gone and their passkey is refused", () => expectShutOut(attacker));
});
