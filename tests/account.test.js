// End to end: the account page (<latchkey-account>) and the console (<latchkey-console>) against the
// real server, with the virtual authenticator and spies on the browser's Signal API.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { continueWithEmail, enterPassword, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const TOKEN = 'e2e-admin-token-4f1c';
const STRONG = 'velvet-anchor-tulip-92';
const suite = useSuite({ LATCHKEY_ADMIN_TOKEN: TOKEN });

/** Records the Signal API calls the page makes, then lets the browser handle them. */
async function spyOnSignals(page) {
  await page.addInitScript(() => {
    window.__signals = [];
    for (const method of ['signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'signalUnknownCredential']) {
      const real = PublicKeyCredential[method]?.bind(PublicKeyCredential);
      if (!real) continue;
      PublicKeyCredential[method] = (options) => {
        window.__signals.push({ method, options });
        return real(options);
      };
    }
  });
  return () => page.evaluate(() => window.__signals);
}

async function admin(method, path, body) {
  const response = await fetch(`${suite.server.origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: body && JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

function account(page) {
  const widget = page.locator('latchkey-account');
  return {
    widget,
    passkeys: widget.locator('.lk-passkey'),
    button: (name) => widget.getByRole('button', { name, exact: true }),
    async expectText(text) {
      await widget.getByText(text).first().waitFor({ timeout: 15_000 });
    },
  };
}

test('the account page lists, renames and deletes passkeys, and tells the browser', async (t) => {
  const device = await openDevice(suite.browser);
  const { page, authenticator } = device;
  const signals = await spyOnSignals(page);
  const origin = suite.server.origin;
  const mine = account(page);

  await t.test('a passkey made at sign-up is listed with its name, backup state and dates', async () => {
    const signIn = new SignInScreen(page, origin);
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, origin).submitEmail('ada@example.com');
    await new Screen(page, origin, 'Create a passkey for Latchkey demo on this device?').click('Create a new passkey');
    await device.waitForEvent('latchkey:signed-in');
    await page.goto(`${origin}/account.html`);
    await mine.expectText('Signed in as');
    assert.equal(await mine.passkeys.count(), 1);
    const item = mine.passkeys.first();
    assert.equal(await item.locator('.lk-passkey-name').textContent(), 'Chrome on Linux');
    assert.equal(await item.locator('.lk-backup').textContent(), 'This device only');
    assert.match(await item.locator('.lk-dates').textContent(), /^Created .+ · Last used never$/);
  });

  await t.test('rename, and the browser hears the current user details', async () => {
    await mine.button('Rename Chrome on Linux').click();
    await mine.widget.getByLabel('Passkey name').fill('Work laptop');
    await mine.button('Save').click();
    await mine.expectText('Passkey renamed.');
    assert.equal(await mine.passkeys.first().locator('.lk-passkey-name').textContent(), 'Work laptop');
    const renamed = (await signals()).find((s) => s.method === 'signalCurrentUserDetails');
    assert.equal(renamed.options.name, 'ada@example.com');
    assert.equal(renamed.options.rpId, 'localhost');
    assert.ok(renamed.options.userId.length > 0);
  });

  await t.test('the last way to sign in cannot be deleted', async () => {
    await mine.button('Delete Work laptop').click();
    await mine.expectText('Delete “Work laptop”?');
    await mine.button('Delete passkey').click();
    await mine.widget.getByRole('alert').getByText('This is your only way to sign in.').waitFor();
    assert.equal(await mine.passkeys.count(), 1);
  });

  await t.test('with a second passkey, the first can go; the browser gets the list that remains', async () => {
    // A new device: the first passkey stays on the old one, so the new authenticator can make another.
    await authenticator.remove();
    const second = await device.addAuthenticator();
    await mine.button('Add a passkey').click();
    await mine.expectText('Passkey added.');
    await mine.passkeys.nth(1).waitFor();
    assert.equal((await second.credentials()).length, 1);
    await mine.button('Delete Work laptop').click();
    await mine.button('Delete passkey').click();
    await mine.expectText('Passkey deleted.');
    assert.equal(await mine.passkeys.count(), 1);
    const accepted = (await signals()).filter((s) => s.method === 'signalAllAcceptedCredentials').at(-1);
    const remaining = await page.evaluate(async () => (await (await fetch('/api/account')).json()).passkeys);
    assert.deepEqual(accepted.options.allAcceptedCredentialIds, remaining.map((p) => p.credentialId));
    assert.equal(accepted.options.allAcceptedCredentialIds.length, 1);
  });

  await t.test('at the policy\'s cap, "Add a passkey" is off and says why', async () => {
    const policy = await admin('GET', '/api/admin/policy');
    await admin('PUT', '/api/admin/policy', { ...policy, passkeys_per_user: 1 });
    await page.reload();
    await mine.expectText('You have the most passkeys your account can have.');
    assert.equal(await mine.button('Add a passkey').isDisabled(), true);
    await admin('PUT', '/api/admin/policy', policy);
  });
});

test('the account page lists where you are signed in, and signs other browsers out', async (t) => {
  const origin = suite.server.origin;
  await fetch(`${origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lin@example.com', password: STRONG }),
  });
  const signIn = async () => {
    const device = await openDevice(suite.browser);
    await device.page.goto(origin);
    await continueWithEmail(device.page, origin, 'lin@example.com');
    await enterPassword(device.page, origin, STRONG);
    await new Screen(device.page, origin, 'Sign in faster with a passkey').expectShown();
    return device;
  };
  const laptop = await signIn();
  const others = [await signIn(), await signIn()];
  const mine = account(laptop.page);
  const listed = mine.widget.locator('.lk-session');
  const sessionStatuses = () =>
    Promise.all(others.map(({ page }) => page.evaluate(async () => (await fetch('/api/session')).status)));
  const waitForSessions = (count) =>
    laptop.page.waitForFunction(
      (n) => document.querySelector('latchkey-account').querySelectorAll('.lk-session').length === n,
      count,
      { timeout: 15_000 },
    );

  await t.test('each session shows its browser, system, dates and address; this one is marked', async () => {
    await laptop.page.goto(`${origin}/account.html`);
    await mine.expectText("Where you're signed in");
    // The sign-up above opened a session too, from Node's fetch: a browser nobody could name.
    await waitForSessions(4);
    assert.equal(await listed.filter({ hasText: 'Unknown browser' }).count(), 1);
    const current = listed.filter({ hasText: 'This device' });
    assert.equal(await current.count(), 1);
    assert.equal(await current.locator('.lk-session-name').textContent(), 'Chrome on Linux');
    assert.match(
      await current.locator('.lk-dates').textContent(),
      /^Signed in .+ · Last active .+ · (127\.0\.0\.1|::1)$/,
    );
    assert.equal(await current.getByRole('button').count(), 0, 'this device signs out with "Sign out" elsewhere');
  });

  await t.test('"Sign out" on another session signs that browser out', async () => {
    const other = listed.filter({ hasNotText: 'This device' }).first();
    await other.getByRole('button', { name: 'Sign out Chrome on Linux' }).click();
    await mine.expectText('Signed out on that device.');
    await waitForSessions(3);
    assert.deepEqual((await sessionStatuses()).sort(), [200, 204]);
  });

  await t.test('"Sign out everywhere else" leaves only this browser signed in', async () => {
    await mine.button('Sign out everywhere else').click();
    await mine.expectText('Signed out everywhere else.');
    await waitForSessions(1);
    assert.deepEqual(await sessionStatuses(), [204, 204]);
    assert.equal(await mine.button('Sign out everywhere else').count(), 0);
    const own = await laptop.page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(own, 200);
  });
});

test("an old sign-in confirms it's the person inline, with the password or a passkey, then the change goes on", async (t) => {
  const origin = suite.server.origin;
  const device = await openDevice(suite.browser);
  const { page } = device;
  const mine = account(page);
  const ageSignIn = () =>
    suite.server.sql(
      "UPDATE sessions SET created_at = created_at - 3600 WHERE user_id = (SELECT id FROM users WHERE email = 'kai@example.com')",
    );
  const panel = mine.widget.getByRole('group', { name: "Confirm it's you" });
  const focusedHeading = () => page.evaluate(() => document.activeElement?.textContent);

  await t.test('adding a passkey an hour after signing in asks for the password first, then adds it', async () => {
    await page.goto(origin);
    await page.evaluate(async (password) => {
      const body = JSON.stringify({ email: 'kai@example.com', password });
      await fetch('/api/password/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    }, STRONG);
    await page.goto(`${origin}/account.html`);
    await mine.expectText('Signed in as');
    ageSignIn();
    await mine.button('Add a passkey').click();
    await panel.waitFor();
    assert.equal(await focusedHeading(), "Confirm it's you", 'focus moves to what is asked');
    assert.equal(await panel.getByRole('button', { name: 'Use your passkey' }).count(), 0, 'no passkey yet');
    assert.equal(await mine.passkeys.count(), 0);
    await panel.getByLabel('Your password').fill(STRONG);
    await panel.getByRole('button', { name: 'Confirm with your password' }).click();
    await mine.expectText('Passkey added.');
    await mine.passkeys.first().waitFor();
    assert.equal(await panel.count(), 0);
  });

  await t.test('deleting it later asks again, and the passkey itself confirms', async () => {
    ageSignIn();
    await mine.button('Delete Chrome on Linux').click();
    await mine.button('Delete passkey').click();
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Use your passkey' }).click();
    await mine.expectText('Passkey deleted.');
    assert.equal(await mine.passkeys.count(), 0);
    const own = await page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(own, 200, 'the confirmation is a new session of the same account');
  });

  await t.test('"Cancel" leaves everything as it was', async () => {
    ageSignIn();
    await mine.button('Add a passkey').click();
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await panel.count(), 0);
    assert.equal(await mine.passkeys.count(), 0);
  });

  await t.test('changing the email later asks too, and the change goes on once confirmed', async () => {
    ageSignIn();
    await mine.widget.getByLabel('New email address').fill('kai.moved@example.com');
    await mine.button('Change email').click();
    await panel.waitFor();
    await panel.getByLabel('Your password').fill(STRONG);
    await panel.getByRole('button', { name: 'Confirm with your password' }).click();
    await mine.expectText('Check the new address: the change happens when you open the link we sent it.');
    assert.match(await suite.server.emailLinkFor('kai.moved@example.com'), /\/email\?token=/);
  });
});

test('the email: verified from its link, and changed once the new address confirms', async (t) => {
  const origin = suite.server.origin;
  const device = await openDevice(suite.browser);
  const { page } = device;
  const signals = await spyOnSignals(page);
  const mine = account(page);

  await t.test('a new account is "Not verified yet" until the link is opened', async () => {
    const signIn = new SignInScreen(page, origin);
    await signIn.open();
    await signIn.goToSignUp();
    await new SignUpScreen(page, origin).submitEmail('mo@example.com');
    await new Screen(page, origin, 'Create a passkey for Latchkey demo on this device?').click('Create a new passkey');
    await device.waitForEvent('latchkey:signed-in');
    await page.goto(`${origin}/account.html`);
    await mine.expectText('Not verified yet');
    await mine.button('Send the link again').click();
    await mine.expectText('Sent. Open the link in the mail to verify your address.');
    await page.goto(await suite.server.emailLinkFor('mo@example.com'));
    await page.getByRole('button', { name: 'Yes, it was me' }).click();
    await page.getByRole('heading', { name: 'Your email is verified' }).waitFor();
    await page.goto(`${origin}/account.html`);
    await mine.expectText('Verified');
  });

  await t.test('"Change email" mails the new address; opening its link moves the account there', async () => {
    await mine.widget.getByLabel('New email address').fill('mo.moved@example.com');
    await mine.button('Change email').click();
    await mine.expectText('Check the new address: the change happens when you open the link we sent it.');
    await page.reload();
    await mine.expectText('Signed in as');
    assert.match(await mine.widget.locator('.lk-subtitle').first().textContent(), /mo@example\.com/);
    await page.goto(await suite.server.emailLinkFor('mo.moved@example.com'));
    await page.getByRole('button', { name: 'Use this address' }).click();
    await page.getByRole('heading', { name: 'Your email is changed' }).waitFor();
    await page.goto(`${origin}/account.html`);
    await mine.expectText('Signed in as');
    assert.match(await mine.widget.locator('.lk-subtitle').first().textContent(), /mo\.moved@example\.com/);
    assert.equal(await mine.passkeys.count(), 1, 'the account keeps its passkey');
    // The page tells the passkey provider the account's name as it is now, once it has loaded.
    await page.waitForFunction(() => window.__signals.some((s) => s.method === 'signalCurrentUserDetails'));
    const details = (await signals()).filter((s) => s.method === 'signalCurrentUserDetails').at(-1);
    assert.equal(details.options.name, 'mo.moved@example.com', 'the provider hears the new name');
  });
});

test("deleting a passkey signs out the other browser it signed in, and nothing else", async () => {
  const origin = suite.server.origin;
  await fetch(`${origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'kit@example.com', password: STRONG }),
  });
  const passwordSignIn = async (device) => {
    await device.page.goto(origin);
    await continueWithEmail(device.page, origin, 'kit@example.com');
    await enterPassword(device.page, origin, STRONG);
    await new Screen(device.page, origin, 'Sign in faster with a passkey').expectShown();
  };
  const laptop = await openDevice(suite.browser);
  const phone = await openDevice(suite.browser);
  await passwordSignIn(laptop);
  await passwordSignIn(phone);
  // The phone adds a passkey, then signs in with it: that session is the passkey's.
  await phone.page.goto(`${origin}/account.html`);
  const phones = account(phone.page);
  await phones.button('Add a passkey').click();
  await phones.expectText('Passkey added.');
  await phone.page.evaluate(() => fetch('/api/signout', { method: 'POST' }));
  const since = phone.events.length;
  // The sign-in page's autofill offers the passkey, and the authenticator consents at once.
  await phone.page.goto(origin);
  await phone.waitForEvent('latchkey:signed-in', since);
  const status = ({ page }) => page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(await status(phone), 200);

  await laptop.page.goto(`${origin}/account.html`);
  const mine = account(laptop.page);
  await mine.passkeys.first().waitFor();
  await mine.button('Delete Chrome on Linux').click();
  await mine.button('Delete passkey').click();
  await mine.expectText('Passkey deleted.');
  assert.equal(await status(phone), 204, "the passkey's session ended with it");
  assert.equal(await status(laptop), 200, 'the password session that deleted it goes on');
});

test('the console: refused without the token; "Update" changes the next sign-in at once', async (t) => {
  const { page } = await openDevice(suite.browser);
  const origin = suite.server.origin;
  const consoleElement = page.locator('latchkey-console');
  await fetch(`${origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'pat@example.com', password: STRONG }),
  });

  await t.test('a wrong token gets "You don\'t have access to this."', async () => {
    await page.goto(`${origin}/console.html`);
    await consoleElement.getByLabel('Admin token').fill('not-the-token');
    await consoleElement.getByRole('button', { name: 'Open the console' }).click();
    await consoleElement.getByRole('alert').getByText("You don't have access to this.").waitFor();
    assert.equal(await consoleElement.getByRole('button', { name: 'Update' }).count(), 0);
  });

  await t.test('an ordinary signed-in user is refused by the admin API', async () => {
    const user = await openDevice(suite.browser);
    await user.page.goto(origin);
    const status = await user.page.evaluate(async () => {
      await fetch('/api/password/signin', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'pat@example.com', password: 'velvet-anchor-tulip-92' }),
      });
      return (await fetch('/api/admin/policy')).status;
    });
    assert.equal(status, 403);
  });

  await t.test('unchecking "Allow passkey progressive enrollment" and "Update" stops the offer at once', async () => {
    await consoleElement.getByLabel('Admin token').fill(TOKEN);
    await consoleElement.getByRole('button', { name: 'Open the console' }).click();
    await consoleElement.getByRole('button', { name: 'Passkey policy' }).click();
    const allow = consoleElement.getByLabel('Allow passkey progressive enrollment');
    assert.equal(await allow.isChecked(), true);
    await allow.uncheck();
    await consoleElement.getByRole('button', { name: 'Update' }).click();
    await consoleElement.getByText('Policy updated.').waitFor();
    await consoleElement.getByRole('button', { name: 'Events' }).click();
    await consoleElement.getByRole('cell', { name: 'Policy changed' }).first().waitFor();
    await consoleElement.getByRole('button', { name: 'Passkey policy' }).click();
    const fresh = await openDevice(suite.browser);
    await fresh.page.goto(origin);
    await continueWithEmail(fresh.page, origin, 'pat@example.com');
    await enterPassword(fresh.page, origin, STRONG);
    await new Screen(fresh.page, origin, "You're signed in").expectShown();
    assert.equal((await fresh.creates()).length, 0, 'no passkey was offered');
  });

  await t.test('checking it again brings the offer back', async () => {
    const allow = consoleElement.getByLabel('Allow passkey progressive enrollment');
    await allow.check();
    await consoleElement.getByRole('button', { name: 'Update' }).click();
    await consoleElement.getByText('Policy updated.').waitFor();
    const fresh = await openDevice(suite.browser);
    await fresh.page.goto(origin);
    await continueWithEmail(fresh.page, origin, 'pat@example.com');
    await enterPassword(fresh.page, origin, STRONG);
    await new Screen(fresh.page, origin, 'Sign in faster with a passkey').expectShown();
  });
});

test('the policy\'s challenge UI decides how the sign-in screen asks for a passkey', async () => {
  const policy = await admin('GET', '/api/admin/policy');
  const origin = suite.server.origin;
  try {
    await admin('PUT', '/api/admin/policy', { ...policy, challenge_ui: 'button' });
    const buttonOnly = await openDevice(suite.browser);
    await buttonOnly.page.goto(origin);
    const welcome = new Screen(buttonOnly.page, origin, 'Welcome');
    await welcome.expectShown();
    assert.equal(await welcome.field('Email address').getAttribute('autocomplete'), 'username');
    assert.equal(await welcome.button('Continue with a passkey').count(), 1);
    await buttonOnly.page.waitForTimeout(300);
    assert.equal(await buttonOnly.autofillRequests(), 0, 'no autofill request');

    await admin('PUT', '/api/admin/policy', { ...policy, challenge_ui: 'autofill' });
    const autofillOnly = await openDevice(suite.browser);
    await autofillOnly.page.goto(origin);
    const again = new Screen(autofillOnly.page, origin, 'Welcome');
    await again.expectShown();
    assert.equal(await again.field('Email address').getAttribute('autocomplete'), 'username webauthn');
    assert.equal(await again.button('Continue with a passkey').count(), 0);
    await autofillOnly.waitForAutofillAfter(0);
  } finally {
    await admin('PUT', '/api/admin/policy', policy);
  }
});

test('a passkey the server no longer knows is reported to the browser (signalUnknownCredential)', async () => {
  const device = await openDevice(suite.browser);
  const { page, authenticator } = device;
  const signals = await spyOnSignals(page);
  const origin = suite.server.origin;
  // An account with a password and a passkey; the passkey is then deleted on the account page's API.
  await page.goto(origin);
  await page.evaluate(async (password) => {
    await fetch('/api/password/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'una@example.com', password }),
    });
  }, STRONG);
  await page.goto(`${origin}/account.html`);
  const mine = account(page);
  await mine.button('Add a passkey').click();
  await mine.expectText('Passkey added.');
  const [credential] = await authenticator.credentials();
  await authenticator.setPresence(false);
  await page.evaluate(async () => {
    const { passkeys } = await (await fetch('/api/account')).json();
    await fetch('/api/passkeys/delete', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: passkeys[0].id }),
    });
    await fetch('/api/signout', { method: 'POST' });
  });
  // The device still holds the passkey; signing in with it is refused, and the browser is told.
  await page.goto(origin);
  const welcome = new Screen(page, origin, 'Welcome');
  await device.waitForAutofillAfter(0);
  await authenticator.setPresence(true);
  await welcome.click('Continue with a passkey');
  await welcome.expectAlert("This passkey isn't registered here any more.");
  const unknown = (await signals()).find((s) => s.method === 'signalUnknownCredential');
  assert.equal(unknown.options.rpId, 'localhost');
  const base64url = Buffer.from(credential.credentialId, 'base64').toString('base64url');
  assert.equal(unknown.options.credentialId, base64url);
});

test('the console speaks its page\'s language: French words, event names, dates and errors', async () => {
  const { page } = await openDevice(suite.browser);
  const origin = suite.server.origin;
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Console</title>
    <script type="module" src="/latchkey-console.js"></script></head>
    <body><latchkey-console></latchkey-console></body></html>`;
  await page.route(`${origin}/console-fr.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await fetch(`${origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lea@example.com', password: STRONG }),
  });
  await page.goto(`${origin}/console-fr.html`);
  const french = page.locator('latchkey-console');
  await french.getByRole('heading', { name: 'Console Latchkey' }).waitFor();
  await french.getByLabel("Jeton d'administration").fill('not-the-token');
  await french.getByRole('button', { name: 'Ouvrir la console' }).click();
  // The server's refusal, in the widget's French.
  await french.getByRole('alert').getByText("Vous n'avez pas accès à ceci.").waitFor();

  await french.getByLabel("Jeton d'administration").fill(TOKEN);
  await french.getByRole('button', { name: 'Ouvrir la console' }).click();
  await french.getByRole('button', { name: 'Événements' }).click();
  const row = french.getByRole('row').filter({ hasText: 'lea@example.com' }).first();
  await row.getByText('Inscription effectuée').waitFor();
  // The time as French writes it ("7 déc. 2026, 21:45"), not in English.
  assert.match(await row.locator('td').first().textContent(), /^\d{1,2} [a-zéû]+\.? \d{4}(,| à) \d{2}:\d{2}$/);
});
