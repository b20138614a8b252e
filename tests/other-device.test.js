// End to end: passkeys on another device. "Try another way" and "Use a passkey from another device"
// follow what getClientCapabilities() says about hybrid transport; a phone is a second virtual
// authenticator on the hybrid (`cable`) transport, and signing in with it offers a passkey on this
// device (local enrollment).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openDevice } from './support/browser.js';
import { Screen, SignInScreen, SignUpScreen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();

function screen(page, heading) {
  return new Screen(page, suite.server.origin, heading);
}

async function toCreatePasskey(page, email) {
  const signIn = new SignInScreen(page, suite.server.origin);
  await signIn.open();
  await signIn.expectShown();
  await signIn.goToSignUp();
  await new SignUpScreen(page, suite.server.origin).submitEmail(email);
  const create = screen(page, 'Create a passkey for Latchkey demo on this device?');
  await create.expectShown();
  return create;
}

test('without hybrid transport, neither screen offers another device', async () => {
  // Headless Chromium on Linux has no Bluetooth and says `hybridTransport: false`.
  const { page } = await openDevice(suite.browser);
  await page.goto(suite.server.origin);
  assert.equal(await page.evaluate(async () => (await PublicKeyCredential.getClientCapabilities()).hybridTransport), false);
  const welcome = screen(page, 'Welcome');
  await welcome.expectShown();
  assert.equal(await welcome.button('Continue with a passkey').count(), 1);
  assert.equal(await welcome.button('Use a passkey from another device').count(), 0);
  const create = await toCreatePasskey(page, 'no-phone@example.com');
  assert.equal(await create.button('Create a new passkey').count(), 1);
  assert.equal(await create.button('Try another way').count(), 0);
});

test('with hybrid transport: create the passkey on a phone, sign in with it, then add one here', async (t) => {
  const device = await openDevice(suite.browser, { hybrid: true });
  const { page, authenticator, waitForEvent, creates, gets } = device;
  const phone = await device.addPhone();

  await t.test('"Try another way" creates the passkey on the other device', async () => {
    const create = await toCreatePasskey(page, 'leo@example.com');
    await create.click('Try another way');
    assert.deepEqual((await waitForEvent('latchkey:signed-in')).methods, ['hwk', 'user']);
    const last = (await creates()).at(-1);
    assert.deepEqual([last.attachment, last.hints], ['cross-platform', ['hybrid']]);
    assert.equal((await phone.credentials()).length, 1, 'the phone holds the passkey');
    assert.equal((await authenticator.credentials()).length, 0, 'this device does not');
  });

  await t.test('"Use a passkey from another device" signs in with the phone and offers a passkey here', async () => {
    // Presence off on both while the sign-in screen arms autofill.
    await Promise.all([authenticator.setPresence(false), phone.setPresence(false)]);
    const armed = await device.autofillRequests();
    await screen(page, "You're signed in").click('Sign out');
    await device.waitForAutofillAfter(armed);
    await Promise.all([authenticator.setPresence(true), phone.setPresence(true)]);
    const since = device.events.length;
    await screen(page, 'Welcome').click('Use a passkey from another device');
    const local = screen(page, 'Create a passkey on this device?');
    await local.expectShown();
    assert.deepEqual((await gets()).at(-1).hints, ['hybrid']);
    assert.equal(device.events.length, since, 'the journey is not over yet');
  });

  await t.test('"Create a passkey" makes one on this device, named, and the journey ends', async () => {
    // The hybrid connection ends once the sign-in is done.
    await phone.remove();
    const since = device.events.length;
    await screen(page, 'Create a passkey on this device?').click('Create a passkey');
    const name = screen(page, 'Name your passkey');
    await name.expectShown();
    await name.click('Skip');
    assert.deepEqual((await waitForEvent('latchkey:signed-in', since)).user.email, 'leo@example.com');
    assert.equal((await authenticator.credentials()).length, 1, 'this device now holds a passkey too');
  });
});
