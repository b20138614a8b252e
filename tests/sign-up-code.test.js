// End to end: email verification before sign-up (LATCHKEY_EMAIL_VERIFICATION=before_sign_up). A sign-up
// enters the code mailed to its address before it makes a passkey or a password, so an attacker who
// signs up with someone else's address gets no further than the code; an address with an account sees
// the same screen, and its owner a mail saying so.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite({ LATCHKEY_EMAIL_VERIFICATION: 'before_sign_up' });
const PASSWORD = 'lantern-meadow-cobalt-71';

/** Opens the sign-up screen and submits `email`; the code screen follows, whoever has the address. */
async function askForCode(device, email) {
  const origin = suite.server.origin;
  const signIn = new SignInScreen(device.page, origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(device.page, origin).submitEmail(email);
  const code = new Screen(device.page, origin, 'Check your email');
  await code.expectShown();
  await device.page.locator('latchkey-login').getByText(`Enter the code we sent to ${email}`).waitFor();
  return code;
}

/** A six-digit code that is not `code`. */
const another = (code) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** What the page's own fetch of `path` answers, from the browser's session. */
async function fetchJson(page, path, body) {
  return page.evaluate(async ([path, body]) => {
    const init = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {};
    const response = await fetch(path, init);
    return { status: response.status, body: await response.json().catch(() => null) };
  }, [path, body]);
}

test('a sign-up enters the code mailed to its address, then makes its passkey, and the email is verified', async (t) => {
  const origin = suite.server.origin;
  const person = await openDevice(suite.browser);
  const email = 'ada@example.com';
  let screen;
  let code;

  await t.test('the email step leads to the code screen, and the code is mailed', async () => {
    screen = await askForCode(person, email);
    code = await suite.server.signUpCodeFor(email);
    assert.match(code, /^\d{6}$/);
    assert.equal(await screen.field('Code').getAttribute('autocomplete'), 'one-time-code');
  });

  await t.test('a wrong code is told, and the right one goes on to the passkey', async () => {
    await screen.field('Code').fill(another(code));
    await screen.click('Continue');
    await screen.expectAlert('That code is wrong or has expired.');
    await screen.field('Code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await screen.click('Continue');
    const create = new Screen(person.page, origin, 'Create a passkey for Latchkey demo on this device?');
    await create.click('Create a new passkey');
    const signedIn = await person.waitForEvent('latchkey:signed-in');
    assert.equal(signedIn.user.email, email);
  });

  await t.test('the account starts with its email verified', async () => {
    const account = await fetchJson(person.page, '/api/account');
    assert.equal(account.status, 200);
    assert.equal(account.body.emailVerified, true);
  });
});

test('a password sign-up goes through the code too, and "Send a new code" mails another that works', async (t) => {
  const origin = suite.server.origin;
  const person = await openDevice(suite.browser);
  const email = 'grace@example.com';
  const screen = await askForCode(person, email);
  const first = await suite.server.signUpCodeFor(email);

  await t.test('"Send a new code" says so, and a second code arrives', async () => {
    await screen.click('Send a new code');
    await screen.expectStatus("We've sent a new code.");
    for (let waited = 0; (await suite.server.signUpCodeFor(email)) === first; waited += 100) {
      assert.ok(waited < 10_000, 'a second code');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  await t.test('a proof that expires before "Create account" leads to a new code, not a dead end', async () => {
    const second = await suite.server.signUpCodeFor(email);
    await screen.field('Code').fill(second);
    await screen.click('Continue');
    await new Screen(person.page, origin, 'Create a passkey for Latchkey demo on this device?').click('Continue without a passkey');
    suite.server.sql('UPDATE sign_up_codes SET expires_at = 0 WHERE proved = 1;');
    const password = new Screen(person.page, origin, 'Create a password');
    await password.field('Password').fill(PASSWORD);
    await password.click('Create account');
    await screen.expectShown();
    for (let waited = 0; (await suite.server.signUpCodeFor(email)) === second; waited += 100) {
      assert.ok(waited < 10_000, 'a third code');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  await t.test('the code, then "Continue without a passkey" and a password make the account', async () => {
    await screen.field('Code').fill(await suite.server.signUpCodeFor(email));
    await screen.click('Continue');
    await new Screen(person.page, origin, 'Create a passkey for Latchkey demo on this device?').click('Continue without a passkey');
    const password = new Screen(person.page, origin, 'Create a password');
    await password.field('Password').fill(PASSWORD);
    await password.click('Create account');
    const signedIn = await person.waitForEvent('latchkey:signed-in');
    assert.deepEqual(signedIn.methods, ['pwd']);
    assert.equal((await fetchJson(person.page, '/api/account')).body.emailVerified, true);
  });
});

test("an attacker with someone else's address gets no further than the code", async (t) => {
  const attacker = await openDevice(suite.browser);
  const victim = 'victim@example.com';
  const screen = await askForCode(attacker, victim);

  await t.test('guesses are refused, and the API makes no account without the proof', async () => {
    await screen.field('Code').fill('123456');
    await screen.click('Continue');
    await screen.expectAlert('That code is wrong or has expired.');
    const direct = await fetchJson(attacker.page, '/api/password/signup', { email: victim, password: PASSWORD });
    assert.deepEqual([direct.status, direct.body.code], [400, 'email_code_invalid']);
    const forged = await fetchJson(attacker.page, '/api/signup/start', { email: victim, proof: 'made-up' });
    assert.deepEqual([forged.status, forged.body.code], [400, 'email_code_invalid']);
    assert.equal(suite.server.sql(`SELECT count(*) FROM users WHERE email = '${victim}';`).trim(), '0');
  });
});

test('an address with an account sees the same code screen, and its owner is mailed that it has one', async () => {
  const person = await openDevice(suite.browser);
  // ada@ signed up in the first test of this file.
  await askForCode(person, 'ada@example.com');
  const mail = await suite.server.mailTo('ada@example.com', 'You have a Latchkey demo account already');
  assert.match(mail, /no code was sent/);
});
