// A small web application that signs people in with Latchkey the way any application would: through
// openid-client (npm), which nobody here wrote, with discovery, PKCE, state and nonce. It is the test's
// stand-in for a customer's app, and it does only what such an app does.
import { createServer } from 'node:http';

import * as oidc from 'openid-client';

/**
 * Starts the application on its own port; once registered, `connect(issuer, client)` runs discovery.
 * `GET /login` (with optional `prompt`, `max_age`, `login_hint`) sends the browser to Latchkey;
 * `GET /callback` exchanges the code, validates the ID token, calls userinfo and shows who signed in;
 * `GET /` is the page a logout returns to. `signIns` collects what each callback got.
 */
export async function startRelyingParty() {
  let config;
  const pending = new Map();
  const signIns = [];
  const failures = [];
  let origin;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, origin);
    try {
      if (url.pathname === '/login') {
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const parameters = {
          redirect_uri: `${origin}/callback`,
          scope: 'openid email profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        };
        for (const name of ['prompt', 'max_age', 'login_hint']) {
          if (url.searchParams.has(name)) parameters[name] = url.searchParams.get(name);
        }
        pending.set(state, { verifier, nonce, maxAge: parameters.max_age });
        response.writeHead(302, { location: oidc.buildAuthorizationUrl(config, parameters).href }).end();
      } else if (url.pathname === '/callback') {
        const expected = pending.get(url.searchParams.get('state')) ?? {};
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: expected.verifier,
          expectedState: url.searchParams.get('state'),
          expectedNonce: expected.nonce,
          maxAge: expected.maxAge ? Number(expected.maxAge) : undefined,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        signIns.push({ tokens, claims, userinfo });
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Signed in as ${userinfo.email}</h1>`);
      } else if (url.pathname === '/') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Signed out of Notes</h1>');
      } else {
        response.writeHead(404).end();
      }
    } catch (error) {
      failures.push(error);
      response.writeHead(400, { 'content-type': 'text/html' }).end(`<h1>Sign-in failed: ${error.error ?? error.code ?? error.message}</h1>`);
    }
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  origin = `http://localhost:${server.address().port}`;
  return {
    origin,
    signIns,
    failures,
    get config() {
      return config;
    },
    async connect(issuer, client) {
      config = await oidc.discovery(new URL(issuer), client.client_id, client.client_secret, undefined, {
        // The test's Latchkey is on http://localhost; openid-client insists on https unless told otherwise.
        execute: [oidc.allowInsecureRequests],
      });
    },
    close: () => new Promise((closed) => server.close(closed)),
  };
}

/**
 * Starts the application and registers it with the Latchkey `server` the way the README tells a
 * developer to (`latchkey-server clients add`), as a confidential client named "Notes".
 */
export async function registeredRelyingParty(server) {
  const app = await startRelyingParty();
  const client = JSON.parse(
    server.command([
      'clients', 'add', '--name', 'Notes',
      '--redirect-uri', `${app.origin}/callback`,
      '--post-logout-redirect-uri', `${app.origin}/`,
    ]),
  );
  if (!client.client_secret) throw new Error('a confidential client gets its secret once');
  await app.connect(server.origin, client);
  return app;
}

/** Waits until the browser is back on the application's callback, signed in. */
export async function landOnTheApp(page, app) {
  await page.waitForURL(`${app.origin}/callback?**`, { timeout: 15_000 });
  await page.getByRole('heading', { name: /^Signed in as / }).waitFor();
}
