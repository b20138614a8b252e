// Debian's Chromium through playwright-core, with a CDP virtual authenticator standing in for the
// device's passkey provider: real WebAuthn, real signatures, no prompts.
import { chromium } from 'playwright-core';

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** The device's own passkey provider: verifies the user and consents at once. */
const PLATFORM = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

/**
 * A fresh browser context and page with a platform passkey provider that verifies the user and
 * consents at once (`automaticPresenceSimulation`), so conditional mediation resolves on its own.
 */
export async function openDevice(browser, { hybrid = null } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: PLATFORM });
  /** Commands for one virtual authenticator. */
  const control = (authenticatorId) => ({
    async credentials() {
      return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    },
    async setPresence(enabled) {
      await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
    },
    async setUserVerified(isUserVerified) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    /** The authenticator goes away: a phone out of reach, or a device replaced. */
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  });
  const add = async (options) => control((await cdp.send('WebAuthn.addVirtualAuthenticator', { options })).authenticatorId);
  const authenticator = control(authenticatorId);
  /** A second authenticator reached over hybrid (`cable`): a phone with its own passkeys. */
  const addPhone = () => add({ ...PLATFORM, transport: 'cable' });
  /** Another platform authenticator: this device's provider after the first one was removed. */
  const addAuthenticator = () => add(PLATFORM);
  const events = [];
  // The event log's codes, which the element dispatches as they happen, are kept apart from the
  // journey's own events above.
  const logged = [];
  await page.exposeFunction('__latchkeyEvent', (name, detail) => events.push({ name, detail }));
  await page.exposeFunction('__latchkeyLogged', (name, detail) => logged.push({ name, detail }));
  await page.addInitScript(() => {
    for (const name of ['latchkey:signed-in', 'latchkey:signed-out', 'latchkey:error']) {
      document.addEventListener(name, (e) => window.__latchkeyEvent(name, e.detail));
    }
    const codes = ['sign_up', 'sign_in', 'sign_out', 'enrollment_complete', 'passkey_added', 'passkey_renamed', 'password_reset'];
    for (const name of codes.map((code) => `latchkey:${code}`)) {
      document.addEventListener(name, (e) => window.__latchkeyLogged(name, e.detail));
    }
    // Spies, not stubs: they record how each get() and create() was asked for and hand the call to
    // the browser.
    const calls = (window.__latchkeyGetCalls = []);
    const gets = (window.__latchkeyGets = []);
    const creates = (window.__latchkeyCreates = []);
    const get = navigator.credentials.get.bind(navigator.credentials);
    const create = navigator.credentials.create.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      calls.push(options?.mediation ?? 'optional');
      const { allowCredentials = [], hints = [] } = options.publicKey;
      gets.push({ mediation: options?.mediation ?? 'optional', allowCredentials: allowCredentials.length, hints });
      return get(options);
    };
    navigator.credentials.create = (options) => {
      const { authenticatorSelection = {}, hints = [] } = options.publicKey;
      creates.push({ mediation: options?.mediation ?? 'optional', attachment: authenticatorSelection.authenticatorAttachment, hints });
      return create(options);
    };
  });
  // Headless Chromium on Linux reports `hybridTransport: false`; a test can say what a device with
  // Bluetooth would, by wrapping (not replacing) the browser's own answer.
  if (hybrid !== null) {
    await page.addInitScript((hybridTransport) => {
      const real = PublicKeyCredential.getClientCapabilities.bind(PublicKeyCredential);
      PublicKeyCredential.getClientCapabilities = async () => ({ ...(await real()), hybridTransport });
    }, hybrid);
  }
  /** Waits until the widget has dispatched `name` after the first `since` events; returns its detail. */
  async function waitForEvent(name, since = 0) {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const found = events.slice(since).find((e) => e.name === name);
      if (found) return found.detail;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${name} event; saw ${JSON.stringify(events.slice(since))}`);
  }
  /** How many autofill (conditional) requests the page has made. */
  const autofillRequests = () => page.evaluate(() => window.__latchkeyGetCalls.filter((m) => m === 'conditional').length);

  /** Waits until the page has made more than `count` autofill requests, and the browser has taken the last. */
  async function waitForAutofillAfter(count) {
    for (let waited = 0; waited < 10_000; waited += 50) {
      if ((await autofillRequests()) > count) {
        await page.waitForTimeout(300);
        return;
      }
      await page.waitForTimeout(50);
    }
    throw new Error('the page never armed autofill');
  }
  const gets = () => page.evaluate(() => window.__latchkeyGets);
  const creates = () => page.evaluate(() => window.__latchkeyCreates);
  return { context, page, authenticator, addPhone, addAuthenticator, events, logged, waitForEvent, autofillRequests, waitForAutofillAfter, gets, creates };
}
