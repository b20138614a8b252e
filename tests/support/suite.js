// The fixture every end-to-end file shares: one real server (fresh database) and one Chromium per file.
import { after, before } from 'node:test';

import { launchBrowser } from './browser.js';
import { startServer } from './server.js';

/**
 * Registers the file's `before` / `after` hooks and returns the object they fill: `suite.server` and
 * `suite.browser` exist once the first test runs. `env` adds server settings (`LATCHKEY_MFA`, …).
 */
export function useSuite(env = {}) {
  const suite = {};
  before(async () => {
    suite.server = await startServer(env);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
