// Starts the real Latchkey server for a test: its own port, a fresh SQLite file, the built widget.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import PostalMime from 'postal-mime';

const ROOT = resolve(import.meta.dirname, '../..');
const BINARY = process.env.LATCHKEY_SERVER_BIN ?? join(ROOT, 'target/debug/latchkey-server');

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

async function waitUntilUp(origin, child) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(`${origin}/api/session`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('server did not start within 10 s');
}

/** Waits (up to 10 s) for a mail to `email` in the outbox of `dir` whose text `read` finds something in,
 * and returns what it found in the newest such mail. */
async function readMail(dir, email, read) {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const outbox = join(dir, 'outbox');
    const found = (existsSync(outbox) ? readdirSync(outbox, { withFileTypes: true }) : [])
      .map((entry) => join(dir, 'outbox', entry.name))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
      // Undo quoted-printable: soft line breaks, and `=` written as `=3D`.
      .map((path) => readFileSync(path, 'utf8').replace(/=\r?\n/g, '').replaceAll('=3D', '='))
      .filter((text) => text.match(/^To: (.*)$/m)?.[1].includes(email))
      .map(read)
      .filter(Boolean);
    if (found.length > 0) return found.at(-1);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no such mail for ${email}`);
}

/** Waits for the newest mail to `email` whose subject, once decoded, `isWanted`, and returns it decoded by
 * postal-mime as a mail program would read it: `{ subject, text }`, whatever its charset and transfer
 * encoding (mail in Japanese or Arabic is not the ASCII the other helpers can read raw). */
async function decodedMail(dir, email, isWanted) {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const outbox = join(dir, 'outbox');
    const paths = (existsSync(outbox) ? readdirSync(outbox) : [])
      .map((name) => join(outbox, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const path of paths) {
      const mail = await PostalMime.parse(readFileSync(path));
      if (mail.to?.some((to) => to.address === email) && isWanted(mail.subject ?? '')) return mail;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no such mail for ${email}`);
}

/** The newest link (or code) matching `pattern` in a mail to `email`. */
function linkIn(dir, email, pattern) {
  return readMail(dir, email, (text) => text.match(pattern)?.[0]);
}

/** Starts a server; `stop()` ends it and deletes its database. */
export async function startServer(env = {}) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  const settings = {
    ...process.env,
    LATCHKEY_PORT: String(port),
    LATCHKEY_DATABASE_URL: `sqlite://${join(dir, 'e2e.sqlite3')}`,
    LATCHKEY_STATIC_DIR: join(ROOT, 'dist'),
    LATCHKEY_OUTBOX_DIR: join(dir, 'outbox'),
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
    ...env,
  };
  const child = spawn(BINARY, [], { env: settings, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitUntilUp(origin, child);
  return {
    origin,
    /** Runs an administration command (`clients add …`, `keys rotate`) on this server's database. */
    command(args) {
      const ran = spawnSync(BINARY, args, { env: settings, encoding: 'utf8' });
      if (ran.status !== 0) throw new Error(`latchkey-server ${args.join(' ')}: ${ran.stderr}`);
      return ran.stdout;
    },
    /** Runs one SQL statement on this server's SQLite file, as an administrator would with `sqlite3`. */
    sql(statement) {
      const database = join(dir, 'e2e.sqlite3');
      const ran = spawnSync('sqlite3', ['-cmd', '.timeout 5000', database, statement], { encoding: 'utf8' });
      if (ran.status !== 0) throw new Error(`sqlite3: ${ran.stderr}`);
      return ran.stdout;
    },
    /** Waits for the reset link mailed to `email` (the server's outbox, as the demo uses it). */
    resetLinkFor(email) {
      return linkIn(dir, email, /https?:\S+#latchkey-reset=\S+/);
    },
    /** Waits for the newest sign-up code mailed to `email` (`LATCHKEY_EMAIL_VERIFICATION=before_sign_up`). */
    signUpCodeFor(email) {
      return linkIn(dir, email, /^\d{6}(?=\r?$)/m);
    },
    /** Waits for the newest mail to `email` whose subject starts with `subject`, and returns its text. */
    mailTo(email, subject) {
      return readMail(dir, email, (text) => text.includes(`\nSubject: ${subject}`) && text);
    },
    /** Waits for the newest mail to `email` whose decoded subject `isWanted`, and returns it decoded:
     * `{ subject, text }` (postal-mime's reading of it). */
    decodedMailTo(email, isWanted = () => true) {
      return decodedMail(dir, email, isWanted);
    },
    /** Waits for the newest email link (verification or change) mailed to `email`. */
    emailLinkFor(email) {
      return linkIn(dir, email, /https?:\S+\/email\?token=\S+/);
    },
    async stop() {
      child.kill('SIGINT');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

