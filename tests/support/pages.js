// Page objects: one per screen of the widget, named after what the person sees.
import assert from 'node:assert/strict';

const TIMEOUT = 15_000;

export class LoginPage {
  constructor(page, origin) {
    this.page = page;
    this.origin = origin;
    this.widget = page.locator('latchkey-login');
    this.heading = this.widget.getByRole('heading', { level: 2 });
    this.status = this.widget.getByRole('status');
    this.alert = this.widget.getByRole('alert');
  }

  async open() {
    await this.page.goto(this.origin);
  }

  async expectHeading(text) {
    try {
      await this.heading.filter({ hasText: text }).waitFor({ timeout: TIMEOUT });
    } catch (error) {
      // Say what the widget shows instead: a heading and alert tell a failure's cause at a glance.
      const shown = await this.page.evaluate(() => {
        const widget = document.querySelector('latchkey-login');
        const text = (selector) => widget?.querySelector(selector)?.textContent?.trim();
        return { heading: text('h2'), alert: text('[role=alert]'), status: text('[role=status]'), focus: document.activeElement?.outerHTML?.slice(0, 120) };
      });
      error.message += `\nshown instead: ${JSON.stringify(shown)}`;
      throw error;
    }
  }

  async expectAlert(text) {
    await this.alert.filter({ hasText: text }).waitFor({ timeout: TIMEOUT });
  }

  async headingHasFocus() {
    return this.page.evaluate(() => document.activeElement?.tagName === 'H2');
  }
}

export class SignInScreen extends LoginPage {
  get email() {
    return this.widget.getByLabel('Email address');
  }

  async expectShown() {
    await this.expectHeading('Welcome');
  }

  async continueWithPasskey() {
    await this.widget.getByRole('button', { name: 'Continue with a passkey' }).click();
  }

  async goToSignUp() {
    await this.widget.getByRole('button', { name: 'Sign up' }).click();
  }
}

export class SignUpScreen extends LoginPage {
  async expectShown() {
    await this.expectHeading('Create your account');
  }

  async submitEmail(email) {
    // The screen may still be on its way (its code loads when first needed).
    await this.expectShown();
    await this.widget.getByLabel('Email address').fill(email);
    await this.widget.getByRole('button', { name: 'Continue' }).click();
  }
}

export class CreatePasskeyScreen extends LoginPage {
  async expectShown(appName) {
    await this.expectHeading(`Create a passkey for ${appName} on this device?`);
    for (const benefit of ['No need to remember a password', 'Works on all your devices', 'Works alongside passwords']) {
      assert.equal(await this.widget.getByText(benefit).count(), 1, benefit);
    }
  }

  async create() {
    await this.widget.getByRole('button', { name: 'Create a new passkey' }).click();
  }

  async goBack() {
    await this.widget.getByRole('button', { name: 'Go back' }).click();
  }
}

export class SignedInScreen extends LoginPage {
  async expectSignedInAs(email) {
    await this.expectHeading("You're signed in");
    await this.widget.getByText(email).first().waitFor({ timeout: TIMEOUT });
  }

  async signOut() {
    await this.widget.getByRole('button', { name: 'Sign out' }).click();
  }
}

/** Any screen: its heading, buttons by exact label, and fields by label. */
export class Screen extends LoginPage {
  constructor(page, origin, heading) {
    super(page, origin);
    this.title = heading;
  }

  async expectShown() {
    await this.expectHeading(this.title);
  }

  button(name) {
    return this.widget.getByRole('button', { name, exact: true });
  }

  async click(name) {
    await this.button(name).click();
  }

  field(label) {
    return this.widget.getByLabel(label, { exact: true });
  }

  async expectStatus(text) {
    await this.status.filter({ hasText: text }).waitFor({ timeout: TIMEOUT });
  }
}

/** "Welcome", used identifier-first: the email, then "Continue". */
export async function continueWithEmail(page, origin, email) {
  const welcome = new Screen(page, origin, 'Welcome');
  await welcome.expectShown();
  await welcome.field('Email address').fill(email);
  await welcome.click('Continue');
}

/** "Enter your password", then "Continue". */
export async function enterPassword(page, origin, password) {
  const screen = new Screen(page, origin, 'Enter your password');
  await screen.expectShown();
  await screen.field('Password').fill(password);
  await screen.click('Continue');
}
