// End to end: the widget speaks the language its element, its page or the browser asks for (in that
// order), fetching that language's file only, and lays Arabic out right to left. Each page here is an
// ordinary page on the real server's origin with the one script tag; only its `lang` differs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, test } from 'node:test';

import { Screen } from './support/pages.js';
import { useSuite } from './support/suite.js';

const suite = useSuite();
const ROOT = resolve(import.meta.dirname, '..');
/** A language's file (`<tag>-<keys>.json`: named by the catalog's keys, so no other build's is cached). */
const fileOf = (language) => readdirSync(resolve(ROOT, 'dist/i18n')).find((name) => name.startsWith(`${language}-`));
/** The account page's file of a language (`account/<tag>-<keys>.json`). */
const accountFileOf = (language) =>
  readdirSync(resolve(ROOT, 'dist/i18n/account')).find((name) => name.startsWith(`${language}-`));
/** A language's texts as its file lists them; the first is the sign-in screen's heading. */
const texts = (language) => JSON.parse(readFileSync(resolve(ROOT, 'dist/i18n', fileOf(language)), 'utf8'));
/** The browser context of the page open now: each new page closes the last one's. */
const contexts = [];
const closeContexts = () => Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
after(closeContexts);

/** Opens a page with `<html lang=pageLang>` (none when null) holding `<latchkey-login lang=elementLang>`,
 * in a browser context with `locale`; returns the page and the language files it fetched. */
async function openPage({ pageLang = null, elementLang = null, locale = 'en-US', width = 1280 }) {
  const origin = suite.server.origin;
  await closeContexts();
  const context = await suite.browser.newContext({ locale, viewport: { width, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const html = `<!doctype html><html${pageLang ? ` lang="${pageLang}"` : ''}><head><meta charset="utf-8">
    <title>Languages</title><script type="module" src="/latchkey.js"></script></head>
    <body><latchkey-login app-name="Acme"${elementLang ? ` lang="${elementLang}"` : ''}></latchkey-login></body></html>`;
  await page.route(`${origin}/languages.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  const files = [];
  page.on('request', (request) => {
    if (request.url().includes('/i18n/')) files.push(new URL(request.url()).pathname);
  });
  await page.goto(`${origin}/languages.html`);
  return { page, files, origin };
}

/** The sign-in screen, then the sign-up screen and its error for an address that is not one. */
async function walkSignUp(page, origin, words) {
  const welcome = new Screen(page, origin, words.welcome);
  await welcome.expectShown();
  await page.locator('latchkey-login').getByText(words.logInTo).waitFor();
  await page.locator('latchkey-login').getByRole('button', { name: words.signUp, exact: true }).click();
  const signUp = new Screen(page, origin, words.createAccount);
  await signUp.expectShown();
  await signUp.field(words.emailLabel).fill('not-an-address');
  await signUp.click(words.continueButton);
  await signUp.expectAlert(words.checkEmail);
}

test('the element\'s own lang wins over the page\'s: German on the sign-in, sign-up and error screens', async () => {
  const { page, files, origin } = await openPage({ pageLang: 'en', elementLang: 'de' });
  await walkSignUp(page, origin, {
    welcome: 'Willkommen',
    logInTo: 'Melde dich an, um Acme zu nutzen',
    signUp: 'Registrieren',
    createAccount: 'Erstelle dein Konto',
    emailLabel: 'E-Mail-Adresse',
    continueButton: 'Weiter',
    checkEmail: 'Gib eine E-Mail-Adresse wie name@example.com ein.',
  });
  assert.equal(await page.locator('latchkey-login section').getAttribute('lang'), 'de');
  assert.deepEqual(files, [`/i18n/${fileOf('de')}`], 'only its own language file');
});

test("the page's lang: French", async () => {
  const { page, origin } = await openPage({ pageLang: 'fr-FR', locale: 'de-DE' });
  await walkSignUp(page, origin, {
    welcome: 'Bienvenue',
    logInTo: 'Connectez-vous à Acme pour continuer',
    signUp: "S'inscrire",
    createAccount: 'Créez votre compte',
    emailLabel: 'Adresse e-mail',
    continueButton: 'Continuer',
    checkEmail: 'Saisissez une adresse e-mail comme nom@exemple.com.',
  });
});

test("the browser's languages when the page says none: Spanish", async () => {
  const { page, origin } = await openPage({ locale: 'es-ES' });
  await walkSignUp(page, origin, {
    welcome: 'Te damos la bienvenida',
    logInTo: 'Inicia sesión en Acme para continuar',
    signUp: 'Regístrate',
    createAccount: 'Crea tu cuenta',
    emailLabel: 'Correo electrónico',
    continueButton: 'Continuar',
    checkEmail: 'Introduce un correo como nombre@ejemplo.com.',
  });
});

test('Arabic is laid out right to left', async () => {
  const { page, origin } = await openPage({ elementLang: 'ar' });
  await new Screen(page, origin, 'مرحبًا بك').expectShown();
  const section = page.locator('latchkey-login section');
  assert.equal(await section.getAttribute('lang'), 'ar');
  assert.equal(await section.evaluate((element) => getComputedStyle(element).direction), 'rtl');
  const label = page.locator('latchkey-login .lk-label');
  assert.equal(await label.evaluate((element) => getComputedStyle(element).textAlign), 'start');
});

test('a mail asked for from a French page is in French, and one asked for without a language is English', async () => {
  const email = 'amelie@example.com';
  // The account is made by a request that names no language Latchkey speaks (Node's fetch sends
  // `Accept-Language: *`), so its verification mail is English.
  const made = await fetch(`${suite.server.origin}/api/password/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery staple' }),
  });
  assert.equal(made.status, 200, await made.clone().text());
  const verification = await suite.server.decodedMailTo(email);
  assert.equal(verification.subject, 'Verify your email for Latchkey demo');

  // On a French page, in a German browser: the reset link's mail is written when the outbox worker
  // gets to the request, in the language the page's widget sent with it.
  const { page, origin } = await openPage({ pageLang: 'fr', locale: 'de-DE' });
  const welcome = new Screen(page, origin, 'Bienvenue');
  await welcome.expectShown();
  await welcome.field('Adresse e-mail').fill(email);
  await welcome.click('Continuer');
  await new Screen(page, origin, 'Saisissez votre mot de passe').click('Mot de passe oublié\u202f?');
  const forgot = new Screen(page, origin, 'Réinitialiser le mot de passe');
  await forgot.expectShown();
  await forgot.click('Envoyer le lien');
  await new Screen(page, origin, 'Consultez vos e-mails').expectShown();
  const reset = await suite.server.decodedMailTo(email, (subject) => subject !== verification.subject);
  assert.equal(reset.subject, "Retrouvez l'accès à votre compte Latchkey demo");
  assert.match(reset.text, /^Quelqu'un a demandé à retrouver l'accès à votre compte Latchkey demo\./);
  assert.match(reset.text, /ouvrez ce lien dans les 15 minutes/);
  assert.match(reset.text, /#latchkey-reset=\S+/, 'the link survives the encoding');
});

test('the account page speaks the page\'s language, shares the widget\'s error messages, and writes dates with Intl', async () => {
  const origin = suite.server.origin;
  await closeContexts();
  const context = await suite.browser.newContext({ locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Konto</title>
    <script type="module" src="/latchkey-account.js"></script></head>
    <body><latchkey-account></latchkey-account></body></html>`;
  await page.route(`${origin}/konto.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  const files = [];
  page.on('request', (request) => {
    if (request.url().includes('/i18n/')) files.push(new URL(request.url()).pathname);
  });
  // Signed in by a password sign-up made from the page, so the session cookie is the browser's.
  await page.goto(`${origin}/konto.html`);
  const account = page.locator('latchkey-account');
  await account.getByText('Melde dich an, um deine Passkeys zu verwalten.').waitFor();
  const signedUp = await page.evaluate(async () => {
    const body = JSON.stringify({ email: 'jonas@example.com', password: 'correct horse battery staple' });
    const answer = await fetch('/api/password/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return answer.status;
  });
  assert.equal(signedUp, 200);
  files.length = 0;
  await page.reload();

  await account.getByRole('heading', { name: 'Deine Passkeys' }).waitFor();
  assert.equal(await account.locator('section').getAttribute('lang'), 'de');
  await account.getByText('Angemeldet als').waitFor();
  await account.getByRole('heading', { name: 'Wo du angemeldet bist' }).waitFor();
  // The session's dates as German writes them (`7.12.2026` and `07.12.2026, 21:40`), not in English.
  const dates = await account.locator('.lk-session .lk-dates').first().textContent();
  assert.match(dates, /^Angemeldet am \d{1,2}\.\d{1,2}\.\d{4} · Zuletzt aktiv: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);

  // A server error in the widget's German words.
  await account.getByLabel('Aktuelles Passwort').fill('correct horse battery staple');
  await account.getByLabel('Neues Passwort').fill('kurz');
  await account.getByRole('button', { name: 'Passwort ändern' }).click();
  await account.getByRole('alert').getByText('Verwende mindestens 8 Zeichen.').waitFor();

  // A change that succeeds is mailed in the page's German, though the browser asks for English.
  await account.getByLabel('Aktuelles Passwort').fill('correct horse battery staple');
  await account.getByLabel('Neues Passwort').fill('marble otter sunrise 58');
  await account.getByRole('button', { name: 'Passwort ändern' }).click();
  await account.getByText('Passwort gespeichert.').waitFor();
  const notice = await suite.server.decodedMailTo('jonas@example.com', (subject) => subject.startsWith('Dein Passwort'));
  assert.equal(notice.subject, 'Dein Passwort bei Latchkey demo wurde geändert');
  assert.deepEqual(files.sort(), [`/i18n/${fileOf('de')}`, `/i18n/account/${accountFileOf('de')}`].sort());
});

test('every language speaks on the sign-in screen, and a language the widget lacks is English', async (t) => {
  for (const language of ['de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'zh-CN', 'ar']) {
    await t.test(language, async () => {
      const { page, origin } = await openPage({ elementLang: language });
      const [welcome] = texts(language);
      assert.notEqual(welcome, 'Welcome');
      await new Screen(page, origin, welcome).expectShown();
    });
  }
  await t.test('sv', async () => {
    const { page, files, origin } = await openPage({ elementLang: 'sv' });
    await new Screen(page, origin, 'Welcome').expectShown();
    assert.deepEqual(files, [], 'English is built in');
  });
});

/** Nothing in the widget is wider than its card, and no button's label runs past two lines. */
async function expectFits(page, where, element = 'latchkey-login') {
  const misfits = await page.evaluate((element) => {
    const card = document.querySelector(`${element} section`);
    const overflowing = [...card.querySelectorAll('*')].filter((e) => e.scrollWidth > e.clientWidth + 1);
    return {
      wider: card.scrollWidth > card.clientWidth,
      overflowing: overflowing.map((e) => e.textContent.trim()).filter(Boolean),
      // One line of a button is 46 pixels, two are 70.
      threeLines: [...card.querySelectorAll('button')].filter((b) => b.offsetHeight > 80).map((b) => b.textContent),
    };
  }, element);
  assert.deepEqual(misfits, { wider: false, overflowing: [], threeLines: [] }, where);
}

test('every language fits the 320-pixel layout: sign-in, sign-up and the create-passkey screen', async (t) => {
  for (const language of ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'zh-CN', 'ar']) {
    await t.test(language, async () => {
      const { page } = await openPage({ elementLang: language, width: 320 });
      const widget = page.locator('latchkey-login');
      await widget.locator('input[name=email]').waitFor();
      await expectFits(page, `${language}: sign-in`);
      await widget.locator('.lk-switch .lk-link').click();
      await widget.locator('input[autocomplete=email]').fill(`fits-${language}@example.com`);
      await expectFits(page, `${language}: sign-up`);
      await widget.locator('.lk-primary').click();
      await widget.locator('.lk-benefits').waitFor();
      await expectFits(page, `${language}: create a passkey`);
    });
  }
});

test('every language fits the account page at 320 pixels', async (t) => {
  const origin = suite.server.origin;
  await closeContexts();
  const context = await suite.browser.newContext({ viewport: { width: 320, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${origin}/account.html`);
  // An account with a password and a session to list, signed up from the page so the cookie is its.
  const signedUp = await page.evaluate(async () => {
    const body = JSON.stringify({ email: 'fits-account@example.com', password: 'correct horse battery staple' });
    return (await fetch('/api/password/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;
  });
  assert.equal(signedUp, 200);
  for (const language of ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'zh-CN', 'ar']) {
    await t.test(language, async () => {
      const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>Account</title>
        <link rel="stylesheet" href="/demo.css"><script type="module" src="/latchkey-account.js"></script></head>
        <body><main><latchkey-account></latchkey-account></main></body></html>`;
      await page.route(`${origin}/account-${language}.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
      await page.goto(`${origin}/account-${language}.html`);
      const account = page.locator('latchkey-account');
      await account.locator('.lk-session').first().waitFor();
      assert.equal(await account.locator('section').getAttribute('lang'), language);
      const direction = await account.locator('section').evaluate((section) => getComputedStyle(section).direction);
      assert.equal(direction, language === 'ar' ? 'rtl' : 'ltr');
      await expectFits(page, `${language}: the account page`, 'latchkey-account');
    });
  }
});
