// Captures the fuzz targets' seeds from real browser traffic: the server on a fresh database, Debian's
// Chromium with a virtual authenticator, and the widget's passkey sign-up and sign-in, identifier-first
// lookup and password journeys; every request body they send is written to `fuzz/seeds/<target>/` in
// that target's input format. Run it after `scripts/build-widget` and a server build:
// `node fuzz/capture-seeds.mjs`.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { launchBrowser, openDevice } from '../tests/support/browser.js';
import { CreatePasskeyScreen, SignedInScreen, SignInScreen, SignUpScreen } from '../tests/support/pages.js';
import { startServer } from '../tests/support/server.js';

const SEEDS = join(import.meta.dirname, 'seeds');

// The routes of `fuzz_targets/api_requests.rs`, in its order: a seed's first byte is the index.
const ROUTES = [
  '/api/signup/start', '/api/signup/finish', '/api/password/signup', '/api/signin/start', '/api/signin/finish',
  '/api/signin/identify', '/api/signin/verify', '/api/password/signin', '/api/session/token', '/api/signout',
  '/api/password/forgot', '/api/password/reset', '/api/account/password', '/api/passkeys/start',
  '/api/passkeys/finish', '/api/passkeys/rename', '/api/passkeys/decline', '/api/passkeys/delete',
];

/** Writes one seed, named by its hash as libFuzzer names corpus files. */
function seed(target, bytes) {
  mkdirSync(join(SEEDS, target), { recursive: true });
  writeFileSync(join(SEEDS, target, createHash('sha1').update(bytes).digest('hex')), bytes);
}

/** Records a request body as seeds of the targets that parse it. */
function record(path, body) {
  const route = ROUTES.indexOf(path);
  if (route < 0 || body === null) return;
  // Route, address, flags (the session cookie: account requests have one), body.
  seed('api_requests', Buffer.concat([Buffer.from([route, 7, 1]), Buffer.from(body)]));
  const credential = JSON.parse(body).credential;
  if (credential !== undefined) {
    const ceremony = path === '/api/signup/finish' || path === '/api/passkeys/finish' ? 0 : 1;
    seed('webauthn_responses', Buffer.concat([Buffer.from([ceremony]), Buffer.from(JSON.stringify(credential))]));
  }
  const { email, displayName, name } = JSON.parse(body);
  for (const text of [email, displayName, name]) if (typeof text === 'string') seed('text_rules', Buffer.from(text));
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openDevice(browser);
  page.on('request', (request) => {
    if (request.method() === 'POST') record(new URL(request.url()).pathname, request.postData());
  });
  const origin = server.origin;
  const signIn = new SignInScreen(page, origin);
  await signIn.open();
  await signIn.goToSignUp();
  await new SignUpScreen(page, origin).submitEmail('ada.lovelace@example.com');
  await new CreatePasskeyScreen(page, origin).create();
  const signedIn = new SignedInScreen(page, origin);
  await signedIn.expectSignedInAs('ada.lovelace@example.com');
  await signedIn.signOut();
  // Autofill signs the person in on its own: the provider consents at once.
  await signedIn.expectSignedInAs('ada.lovelace@example.com');
  // Requests the journeys above do not send, in the shapes the widget sends them.
  for (const [path, body] of [
    ['/api/signin/identify', { email: 'ada.lovelace@example.com' }],
    ['/api/password/signup', { email: 'grace@example.com', password: 'velvet-anchor-tulip-92', displayName: 'Grace Hopper' }],
    ['/api/password/signin', { email: 'grace@example.com', password: 'velvet-anchor-tulip-92' }],
    ['/api/password/forgot', { email: 'grace@example.com' }],
    ['/api/password/reset', { token: 'made-up-token', password: 'velvet-anchor-tulip-93' }],
    ['/api/passkeys/rename', { id: 1, name: 'Jürgen’s laptop' }],
  ]) record(path, JSON.stringify(body));
} finally {
  await browser.close();
  await server.stop();
}
console.log(`capture-seeds: wrote the seeds under ${SEEDS}`);
