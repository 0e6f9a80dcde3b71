// Starts the real barertc binary in a fresh temporary directory on a free
// loopback port, and talks to it with a real WebSocket client and fetch().
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export const BIN = process.env.BARERTC_BIN ?? path.resolve('build/barertc');
export const SECRET = 'e2e-secret';
export const API_KEY = 'e2e-admin-key';

// A settings.toml for tests: JWT secret and API key known, quiet period off.
export function settingsToml(extra = '') {
  return `Version = 17
AdminAPIKey = '${API_KEY}'
CORSHosts = ['http://allowed.example']
${extra}
[JWT]
Enabled = false
Strict = true
SecretKey = '${SECRET}'
`;
}

// Servers still running when the test process ends (a failed test) are killed.
const running = new Set();
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });

// The ASan+UBSan build: its memory figures say nothing about ours.
export const SANITIZED = process.env.BARERTC_SANITIZED === '1';

export class Server {
  // options: { settings: string|null (null: no file), args: [], cwd, fileSizeBlocks,
  //            address (default 127.0.0.1:0, a free port) }
  static async start(options = {}) {
    const dir = options.cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-e2e-'));
    const settings = options.settings === undefined ? settingsToml() : options.settings;
    if (settings !== null) fs.writeFileSync(path.join(dir, 'settings.toml'), settings);
    const address = options.address ?? '127.0.0.1:0';
    const args = ['-address', address, '-presence-quiet', '0', ...(options.args ?? [])];
    // fileSizeBlocks: the shell's `ulimit -f` (512-byte blocks in Debian's sh):
    // files cannot grow past it, as on a full disk.
    const proc = options.fileSizeBlocks
      ? spawn('/bin/sh', ['-c', `ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, BIN, ...args],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    proc.on('exit', () => running.delete(proc));
    const server = new Server(proc, dir);
    await server.waitForLog(/Listening at 127\.0\.0\.1:(\d+)/, 10000).then((m) => {
      server.port = Number(m[1]);
    });
    return server;
  }

  constructor(proc, dir) {
    this.proc = proc;
    this.dir = dir;
    this.clients = new Set();  // every WebSocket client opened on this server
    this.log = '';
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const append = (d) => {
      this.log += d.toString();
      for (const w of this.logWaiters) w();
    };
    this.logWaiters = new Set();
    proc.stdout.on('data', append);
    proc.stderr.on('data', append);
  }

  get url() { return `http://127.0.0.1:${this.port}`; }
  get wsUrl() { return `ws://127.0.0.1:${this.port}/ws`; }

  waitForLog(regex, timeout = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.log.match(regex);
        if (m) {
          this.logWaiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        this.logWaiters.delete(check);
        reject(new Error(`log never matched ${regex}:\n${this.log}`));
      }, timeout);
      this.logWaiters.add(check);
      check();
    });
  }

  rssKiB() {
    const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    return Number(status.match(/VmRSS:\s+(\d+)/)[1]);
  }

  // keepDir: leave its directory (settings, database) for a restart.
  async stop({ keepDir = false } = {}) {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const { code, signal } = await this.exited;
      if (code !== 0) throw new Error(`server exited with ${code ?? signal}:\n${this.log}`);
    }
    if (!keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  fetch(pathname, init) { return fetch(this.url + pathname, init); }

  postJson(pathname, body, headers = {}) {
    return this.fetch(pathname, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async client(options) {
    const c = new Client(this.wsUrl, options);
    await c.opened;
    this.clients.add(c);
    return c;
  }

  // A client that logged in as a guest, with its login frames consumed.
  async guest(name, options) {
    const c = await this.client(options);
    c.send({ action: 'login', username: name });
    return finishLogin(c);
  }

  async jwtUser(claims) {
    const c = await this.client();
    c.send({ action: 'login', jwt: signJwt(claims) });
    return finishLogin(c);
  }

  // The users /api/statistics lists (the room answers it in turn with the
  // events before it).
  async usernames() {
    const res = await this.fetch('/api/statistics');
    return (await res.json()).Usernames;
  }

  // Closes `clients` and waits until the server has really processed their
  // leaving: the sockets are closed and the room no longer lists their
  // names (unless another open connection holds the name). A socket's close
  // event alone does not say that the room has seen the disconnect.
  async leave(clients, timeout = 5000) {
    const leaving = new Set(clients);
    for (const c of leaving) {
      c.close();
      this.clients.delete(c);
    }
    await Promise.all([...leaving].map((c) => c.closed));
    const held = new Set([...this.clients].filter((c) => c.isOpen()).map((c) => c.username));
    const gone = new Set([...leaving].map((c) => c.username).filter((n) => n && !held.has(n)));
    const deadline = Date.now() + timeout;
    for (;;) {
      const left = (await this.usernames()).filter((n) => gone.has(n));
      if (left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`still in the room after leaving: ${left}`);
      await sleep(20);
    }
  }

  // Closes every client a test opened (all but the kept ones) and waits until
  // the room has processed it, so that no late exit notice or who list of
  // one test reaches the next: for afterEach() of tests sharing a server.
  leaveAll() {
    return this.leave([...this.clients].filter((c) => !c.kept));
  }
}

// After a login frame: waits for `me` and the first who list, then drains
// the rest of the login's frames (echo, presence, welcome) with a sync.
async function finishLogin(c) {
  const me = await c.next('me');
  c.username = me.username;
  await c.next('who');
  await c.sync();
  return c;
}

let syncCount = 0;

export class Client {
  constructor(url, options = {}) {
    this.ws = new WebSocket(url, options);
    this.frames = [];   // every frame, in order, as text
    this.parsed = [];   // the same, parsed
    this.queue = [];    // parsed frames not yet consumed by next()
    this.synced = 0;    // index in `parsed` after the last sync() reply
    this.kept = false;  // kept open across tests by leaveAll()
    this.waiters = [];
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) =>
      resolve({ code, reason: reason.toString() })));
    this.opened = new Promise((resolve, reject) => {
      this.ws.on('open', resolve);
      this.ws.on('error', reject);
    });
    this.ws.on('message', (data, isBinary) => {
      const text = data.toString();
      const m = isBinary ? { binary: true } : JSON.parse(text);
      if (m.action === 'me' && m.username) this.username = m.username;
      this.frames.push(text);
      this.parsed.push(m);
      this.queue.push(m);
      for (const w of [...this.waiters]) w();
    });
  }

  // Not closed by Server.leaveAll() (a client a whole suite shares).
  keep() {
    this.kept = true;
    return this;
  }

  isOpen() { return this.ws.readyState === WebSocket.OPEN; }

  send(obj) { this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)); }

  // The next frame (optionally of `action`, or matching a predicate),
  // skipping others before it.
  next(action, timeout = 3000) {
    const match = typeof action === 'function' ? action : (m) => !action || m.action === action;
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.queue.findIndex(match);
        if (i < 0) return false;
        const [m] = this.queue.splice(0, i + 1).slice(-1);
        this.waiters = this.waiters.filter((w) => w !== check);
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no ${action ?? 'frame'} within ${timeout} ms; got ${JSON.stringify(this.queue)}`));
      }, timeout);
      if (!check()) this.waiters.push(check);
    });
  }

  // A round trip through the room: the server answers an unknown action with
  // an error to this client only, after everything this client sent before
  // and after whatever the room had already queued for it. Returns the frames
  // received since the previous sync() (or since the connection opened),
  // and drops from next()'s queue what came before the answer. So "nothing
  // of kind X reached me" is decided without a timing guess: trigger, wait
  // until the room has processed the trigger (e.g. its sender got its
  // answer), then sync().
  async sync(timeout = 3000) {
    const action = `e2e-sync-${++syncCount}`;
    const isReply = (m) => m.action === 'error' && m.message === `Unsupported message type: ${action}`;
    this.send({ action });
    await this.next(isReply, timeout);
    const end = this.parsed.findIndex((m, i) => i >= this.synced && isReply(m));
    const since = this.parsed.slice(this.synced, end);
    this.synced = end + 1;
    return since;
  }

  // Starts closing; the promise resolves once the socket is closed (the
  // server may process the disconnect later: see Server.leave()).
  close() {
    this.ws.close();
    return this.closed;
  }
}

// Sends raw bytes on a new connection; resolves with everything the server
// sends back until it ends the connection.
export function rawExchange(port, bytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => { socket.destroy(); resolve(Buffer.concat(chunks).toString()); });
    socket.on('error', reject);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// An HS256 token; `header` and `secret` may be overridden to forge bad ones.
export function signJwt(claims, { secret = SECRET, header = { alg: 'HS256', typ: 'JWT' } } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iat: now, nbf: now, exp: now + 300, ...claims };
  const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = crypto.createHmac('sha256', secret).update(data).digest();
  return `${data}.${b64url(sig)}`;
}

export const chatServerError = (message, channel) =>
  channel ? { action: 'error', channel, username: 'ChatServer', message }
    : { action: 'error', username: 'ChatServer', message };

// The value of `const NAME = VALUE;` in the chat page's inline script.
export function pageConstant(page, name) {
  const m = page.match(new RegExp(`const ${name} = (.*);\\n`));
  if (!m) throw new Error(`no constant ${name} in the page`);
  return JSON.parse(m[1]);
}
