// End to end: the console as an administrator works in it, in a real browser against the real server:
// an application added (its secret shown once), a user found, disabled (their next sign-in is refused,
// passkey included) and enabled again, and the policy changed with its confirmation in view.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { CreatePasskeyScreen, Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const TOKEN = 'e2e-console-token-77aa';
const suite = useSuite({ LATCHKEY_ADMIN_TOKEN: TOKEN });

async function openConsole(browser) {
  const admin = await openDevice(browser);
  await admin.page.setViewportSize({ width: 1280, height: 800 });
  await admin.page.goto(`${suite.server.origin}/console.html`);
  const console_ = admin.page.locator('latchkey-console');
  await console_.getByLabel('Admin token').fill(TOKEN);
  await console_.getByRole('button', { name: 'Open the console' }).click();
  await console_.getByRole('navigation', { name: 'Console sections' }).waitFor();
  return { admin, console: console_ };
}

/** A person with a passkey, signed out again, so their next sign-in can be tried. */
async function personWithAPasskey(email) {
  const device = await openDevice(suite.browser);
  const signIn = new SignInScreen(device.page, suite.server.origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(device.page, suite.server.origin).submitEmail(email);
  await new CreatePasskeyScreen(device.page, suite.server.origin).create();
  await device.waitForEvent('latchkey:signed-in');
  await device.authenticator.setPresence(false);
  await new Screen(device.page, suite.server.origin, "You're signed in").click('Sign out');
  await new Screen(device.page, suite.server.origin, 'Welcome').expectShown();
  return device;
}

test('an administrator adds an application, disables and enables a user, and changes the policy', async (t) => {
  const person = await personWithAPasskey('ada@example.com');
  const { admin, console: panel } = await openConsole(suite.browser);

  await t.test('Applications: a new client is listed, its secret shown once', async () => {
    await panel.getByRole('button', { name: 'Applications' }).click();
    await panel.getByText('No applications yet.').waitFor();
    await panel.getByLabel('Name').fill('Notes');
    await panel.getByLabel('Redirect URIs (one per line, exact)').fill('https://notes.example.com/callback');
    await panel.getByRole('button', { name: 'Add application' }).click();
    await panel.getByText('Notes was added.').waitFor();
    await panel.getByText('Copy the secret now').waitFor();
    await panel.getByRole('cell', { name: 'https://notes.example.com/callback' }).waitFor();
    const listed = await (await fetch(`${suite.server.origin}/api/admin/clients`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    assert.equal(listed.length, 1);
    assert.equal(listed[0].client_name, 'Notes');
  });

  await t.test('Users: found by email, disabled, and their passkey no longer signs in', async () => {
    await panel.getByRole('button', { name: 'Users' }).click();
    await panel.getByLabel('Find by email').fill('ada');
    await panel.getByRole('button', { name: 'Search' }).click();
    await panel.getByRole('button', { name: /ada@example\.com/ }).click();
    const account = panel.getByRole('article', { name: 'Account ada@example.com' });
    await account.getByText('Active').waitFor();
    await account.getByRole('cell', { name: 'Signed up' }).first().waitFor();
    await account.getByRole('button', { name: 'Disable account' }).click();
    await account.getByText('Disabled: cannot sign in').waitFor();
    await panel.getByText('Account disabled: its sessions and tokens have ended.').waitFor();

    const welcome = new Screen(person.page, suite.server.origin, 'Welcome');
    await person.authenticator.setPresence(true);
    await welcome.click('Continue with a passkey');
    await welcome.expectAlert("This account can't sign in right now. Contact the site's support.");
    const session = await person.page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(session, 204, 'no session');
  });

  await t.test('Users: enabled again, the same passkey signs in', async () => {
    const account = panel.getByRole('article', { name: 'Account ada@example.com' });
    await account.getByRole('button', { name: 'Enable account' }).click();
    await account.getByText('Active').waitFor();
    const welcome = new Screen(person.page, suite.server.origin, 'Welcome');
    await welcome.click('Continue with a passkey');
    await new Screen(person.page, suite.server.origin, "You're signed in").expectShown();
  });

  await t.test('Passkey policy: "Update" is confirmed next to the button, in view', async () => {
    await panel.getByRole('button', { name: 'Passkey policy' }).click();
    const perAccount = panel.getByLabel('Passkeys per account');
    await perAccount.fill('5');
    const update = panel.getByRole('button', { name: 'Update' });
    await update.click();
    const confirmation = panel.getByText('Policy updated. It applies to every request from now on.');
    await confirmation.waitFor();
    assert.ok(await confirmation.isVisible());
    const [button, message] = [await update.boundingBox(), await confirmation.boundingBox()];
    const viewport = admin.page.viewportSize();
    assert.ok(message.y >= 0 && message.y + message.height <= viewport.height, 'the confirmation is in the viewport');
    assert.ok(Math.abs(message.y - button.y) < button.height, `beside the button it confirms: ${JSON.stringify({ button, message })}`);
    assert.equal(await panel.getByRole('combobox', { name: 'Where new passkeys live' }).locator('option:checked').textContent(),
      'Any: this device, phones and security keys', 'options in words, not wire values');
    const policy = await (await fetch(`${suite.server.origin}/api/admin/policy`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    assert.equal(policy.passkeys_per_user, 5);
  });

  await t.test('Events: the table fits the page, in words, with who did it', async () => {
    await panel.getByRole('button', { name: 'Events' }).click();
    const table = panel.locator('table.lk-events');
    await table.getByRole('cell', { name: 'Account disabled' }).first().waitFor();
    const [box, page] = [await table.boundingBox(), admin.page.viewportSize()];
    assert.ok(box.x + box.width <= page.width, 'no overflow to the right');
    await table.getByRole('cell', { name: 'Administrator' }).first().waitFor();
    await panel.getByRole('combobox', { name: 'What happened' }).selectOption('account_enabled');
    // "Account enabled" is already in the unfiltered table, so the filtered answer has landed only when the
    // other events have gone.
    await table.getByRole('cell', { name: 'Account disabled' }).first().waitFor({ state: 'detached' });
    assert.ok(await table.getByRole('cell', { name: 'Account enabled' }).count() >= 1, 'the selected events stay');
    assert.equal(await table.locator('tbody tr').count(), await table.getByRole('cell', { name: 'Account enabled' }).count(),
      'only the selected events are shown');
  });
});
