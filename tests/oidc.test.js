// End to end: an application that uses only openid-client signs people in through Latchkey's OpenID
// Connect provider, in Debian's Chromium with a virtual authenticator: sign-up and sign-in with a passkey
// on the authorization page, the code exchanged and the ID token validated by openid-client, userinfo,
// refresh, RP-initiated logout; and the embedded widget's session token verified by jose against the JWKS,
// across a key rotation.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import * as jose from 'jose';
import * as oidc from 'openid-client';

import { openDevice } from './support/browser.js';
import { CreatePasskeyScreen, SignInScreen, SignUpScreen } from './support/pages.js';
import { landOnTheApp, registeredRelyingParty } from './support/relying-party.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
let app;

/** The application, registered the first time a test needs it (node:test runs a file's `before` hooks
 * concurrently, so this cannot be one of them). */
async function registeredApp() {
  app ??= await registeredRelyingParty(suite.server);
  return app;
}

after(() => app?.close());

test('a person signs up and in with a passkey through the provider, and the application trusts the tokens', async (t) => {
  await registeredApp();
  const device = await openDevice(suite.browser);
  const { page } = device;

  await t.test('sign-up on the authorization page returns to the application with a valid ID token', async () => {
    await page.goto(`${app.origin}/login?login_hint=ada%40example.com`);
    await page.getByRole('heading', { name: 'Log in to continue to Notes' }).waitFor();
    const signIn = new SignInScreen(page, suite.server.origin);
    await signIn.expectShown();
    assert.equal(await signIn.email.inputValue(), 'ada@example.com', 'login_hint fills in the email');
    await signIn.goToSignUp();
    await new SignUpScreen(page, suite.server.origin).submitEmail('ada@example.com');
    await new CreatePasskeyScreen(page, suite.server.origin).create();
    await landOnTheApp(page, app);
    const { claims, userinfo } = app.signIns.at(-1);
    assert.equal(claims.iss, suite.server.origin);
    assert.equal(claims.email, 'ada@example.com');
    assert.equal(userinfo.sub, claims.sub);
    assert.notEqual(claims.sub, 'ada@example.com', 'the subject is not the email');
    assert.ok(claims.amr.includes('user') && (claims.amr.includes('hwk') || claims.amr.includes('swk')), claims.amr);
    assert.equal(claims.acr, 'phr');
  });

  await t.test('the refresh token is rotated, and the old one no longer works', async () => {
    const { tokens, claims } = app.signIns.at(-1);
    const refreshed = await oidc.refreshTokenGrant(app.config, tokens.refresh_token);
    assert.equal(refreshed.claims().sub, claims.sub);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(app.config, tokens.refresh_token), { error: 'invalid_grant' });
  });

  await t.test('RP-initiated logout ends the Latchkey session and returns to the registered page', async () => {
    const { tokens } = app.signIns.at(-1);
    const logout = oidc.buildEndSessionUrl(app.config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: `${app.origin}/`,
      state: 'bye',
    });
    await page.goto(logout.href);
    await page.waitForURL(`${app.origin}/?state=bye`);
    await page.getByRole('heading', { name: 'Signed out of Notes' }).waitFor();
    // The browser's own cookies, sent as the widget would send them.
    const session = await device.context.request.get(`${suite.server.origin}/api/session`);
    assert.equal(session.status(), 204, 'signed out of Latchkey');
  });

  await t.test('signing in again with the passkey (autofill) returns to the application', async () => {
    const before = app.signIns.length;
    await page.goto(`${app.origin}/login`);
    await landOnTheApp(page, app);
    assert.equal(app.signIns.length, before + 1);
    assert.equal(app.signIns.at(-1).userinfo.email, 'ada@example.com');
  });

  await t.test('prompt=none with a session returns at once; with none, login_required', async () => {
    const before = app.signIns.length;
    await page.goto(`${app.origin}/login?prompt=none`);
    await landOnTheApp(page, app);
    assert.equal(app.signIns.length, before + 1);
    const stranger = await openDevice(suite.browser);
    await stranger.page.goto(`${app.origin}/login?prompt=none`);
    await stranger.page.getByRole('heading', { name: 'Sign-in failed: login_required' }).waitFor();
    await stranger.context.close();
  });

  await t.test('a logout without a hint asks first, and its own button signs out and returns', async () => {
    const back = encodeURIComponent(`${app.origin}/`);
    await page.goto(`${suite.server.origin}/oauth2/logout?client_id=${app.config.clientMetadata().client_id}&post_logout_redirect_uri=${back}&state=asked`);
    await page.getByRole('heading', { name: 'Sign out of Latchkey demo?' }).waitFor();
    const before = await device.context.request.get(`${suite.server.origin}/api/session`);
    assert.equal(before.status(), 200, 'asking ends nothing');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The form's policy lets it lead to the registered page (CSP form-action covers the redirect).
    await page.waitForURL(`${app.origin}/?state=asked`);
    await page.getByRole('heading', { name: 'Signed out of Notes' }).waitFor();
    const after = await device.context.request.get(`${suite.server.origin}/api/session`);
    assert.equal(after.status(), 204);
  });

  await device.context.close();
});

test("the embedded widget's session token verifies with jose against the JWKS, across a key rotation", async () => {
  const device = await openDevice(suite.browser);
  const { page } = device;
  const signIn = new SignInScreen(page, suite.server.origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(page, suite.server.origin).submitEmail('grace@example.com');
  await new CreatePasskeyScreen(page, suite.server.origin).create();
  await device.waitForEvent('latchkey:signed-in');
  const sessionToken = () =>
    page.evaluate(async () => (await (await fetch('/api/session/token', { method: 'POST' })).json()).token);
  // What a page's own backend does: verify against the JWKS with any JOSE library.
  const verify = (token) =>
    jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(`${suite.server.origin}/oauth2/jwks.json`)), {
      issuer: suite.server.origin,
      audience: suite.server.origin,
      algorithms: ['ES256'],
      typ: 'latchkey-session+jwt',
    });
  const before = await sessionToken();
  const { payload, protectedHeader } = await verify(before);
  assert.equal(payload.email, 'grace@example.com');
  assert.equal(payload.exp - payload.iat, 300, 'five minutes');

  const { kid } = JSON.parse(suite.server.command(['keys', 'rotate']));
  assert.notEqual(kid, protectedHeader.kid);
  const afterRotation = await sessionToken();
  assert.equal((await verify(afterRotation)).protectedHeader.kid, kid, 'new tokens use the new key');
  assert.equal((await verify(before)).payload.email, 'grace@example.com', 'the old token stays valid until it expires');
  await assert.rejects(
    jose.jwtVerify(before, jose.createRemoteJWKSet(new URL(`${suite.server.origin}/oauth2/jwks.json`)), { audience: 'https://other.example' }),
    { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
    'another site does not accept it',
  );
  await device.context.close();
});
