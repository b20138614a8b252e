// The load benchmark's peer: a minimal passkey server in plain Node.js with @simplewebauthn/server and
// better-sqlite3, answering the same four requests as Latchkey (/api/signup/start, /api/signup/finish,
// /api/signin/start, /api/signin/finish) with the same JSON, so one load client drives both. It keeps
// what a real one must: single-use challenges with an expiry, users, credentials with counters, and
// sessions, all in SQLite (WAL, synchronous=NORMAL, as Latchkey's). Usage: node server.mjs PORT DB_PATH
import { createServer } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';

const [port, path] = process.argv.slice(2);
const rpID = 'localhost';
const origin = 'http://localhost:8080';
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, handle TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS credentials (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, public_key BLOB NOT NULL,
    counter INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS challenges (id TEXT PRIMARY KEY, challenge TEXT NOT NULL, email TEXT, handle TEXT,
    expires_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS sessions (id_hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL, expires_at INTEGER NOT NULL);
`);
const insertChallenge = db.prepare('INSERT INTO challenges (id, challenge, email, handle, expires_at) VALUES (?, ?, ?, ?, ?)');
const takeChallenge = db.prepare('DELETE FROM challenges WHERE id = ? RETURNING challenge, email, handle, expires_at');
const emailTaken = db.prepare('SELECT 1 FROM users WHERE email = ?');
const insertUser = db.prepare('INSERT INTO users (email, handle) VALUES (?, ?)');
const insertCredential = db.prepare('INSERT INTO credentials (id, user_id, public_key, counter) VALUES (?, ?, ?, ?)');
const findCredential = db.prepare(
  'SELECT c.user_id, c.public_key, c.counter, u.email, u.handle FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.id = ?');
const updateCounter = db.prepare('UPDATE credentials SET counter = ? WHERE id = ?');
const insertSession = db.prepare('INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (?, ?, ?)');
const now = () => Math.floor(Date.now() / 1000);

function startCeremony(options, email = null, handle = null) {
  const id = randomBytes(16).toString('base64url');
  insertChallenge.run(id, options.challenge, email, handle, now() + 300);
  return { ceremony: id, publicKey: options };
}

function takeCeremony(id) {
  const row = takeChallenge.get(id);
  return row && row.expires_at >= now() ? row : null;
}

function startSession(userId, email) {
  const secret = randomBytes(32).toString('base64url');
  insertSession.run(createHash('sha256').update(secret).digest(), userId, now() + 7 * 86400);
  return { cookie: `latchkey=${secret}; Path=/; HttpOnly; SameSite=Lax`, body: { session: { user: { email } }, next: 'done' } };
}

const routes = {
  async '/api/signup/start'({ email }) {
    if (emailTaken.get(email)) return [409, { code: 'email_taken' }];
    const handle = randomBytes(16);
    const options = await generateRegistrationOptions({
      rpName: 'Peer', rpID, userName: email, userID: handle, attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    return [200, startCeremony(options, email, handle.toString('base64url'))];
  },
  async '/api/signup/finish'({ ceremony, credential }) {
    const taken = takeCeremony(ceremony);
    if (!taken) return [410, { code: 'ceremony_unknown' }];
    const { verified, registrationInfo } = await verifyRegistrationResponse({
      response: credential, expectedChallenge: taken.challenge, expectedOrigin: origin, expectedRPID: rpID,
      requireUserVerification: true,
    });
    if (!verified) return [400, { code: 'credential_rejected' }];
    const { credential: made } = registrationInfo;
    const userId = db.transaction(() => {
      const { lastInsertRowid } = insertUser.run(taken.email, taken.handle);
      insertCredential.run(made.id, lastInsertRowid, Buffer.from(made.publicKey), made.counter);
      return lastInsertRowid;
    })();
    return [200, startSession(userId, taken.email)];
  },
  async '/api/signin/start'() {
    const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
    return [200, startCeremony(options)];
  },
  async '/api/signin/finish'({ ceremony, credential }) {
    const taken = takeCeremony(ceremony);
    if (!taken) return [410, { code: 'ceremony_unknown' }];
    const stored = findCredential.get(credential.id);
    if (!stored) return [404, { code: 'credential_unknown' }];
    if (credential.response.userHandle !== stored.handle) return [400, { code: 'credential_rejected' }];
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: credential, expectedChallenge: taken.challenge, expectedOrigin: origin, expectedRPID: rpID,
      credential: { id: credential.id, publicKey: new Uint8Array(stored.public_key), counter: stored.counter },
      requireUserVerification: true,
    });
    if (!verified) return [400, { code: 'credential_rejected' }];
    const session = db.transaction(() => {
      updateCounter.run(authenticationInfo.newCounter, credential.id);
      return startSession(stored.user_id, stored.email);
    })();
    return [200, session];
  },
};

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    let status = 404;
    let body = { code: 'not_found' };
    let cookie = null;
    try {
      const route = routes[request.url];
      if (route && request.method === 'POST') {
        const [code, answer] = await route(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
        status = code;
        ({ cookie = null } = answer);
        body = answer.body ?? answer;
      }
    } catch (error) {
      status = 400;
      body = { code: 'credential_rejected', message: String(error.message) };
    }
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' };
    if (cookie) headers['set-cookie'] = cookie;
    response.writeHead(status, headers);
    response.end(text);
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`peer listening on ${port}`));
