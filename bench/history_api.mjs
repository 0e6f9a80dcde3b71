// The DM history API on a database holding 1,000,000 messages (issue #8's
// figure): requests/s and latency of /api/message/history (pages of a
// thread, newest or older) and /api/message/usernames, against our server.
//
// usage: node bench/history_api.mjs   (BARERTC_BIN, MESSAGES [1000000],
//        CONCURRENCY [16], DURATION [10] seconds per endpoint)
// The database is written by python3's sqlite3 in the original's schema.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, settingsToml, signJwt } from '../tests/e2e/harness.mjs';

const MESSAGES = Number(process.env.MESSAGES ?? 1_000_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const DURATION = Number(process.env.DURATION ?? 10);
const PARTNERS = 100;      // the bench user's threads
const PER_THREAD = 200;    // messages in every thread

function makeDatabase(file) {
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); partners = int(sys.argv[3]); per = int(sys.argv[4])
db.execute("CREATE TABLE direct_messages (message_id INTEGER PRIMARY KEY, channel_id TEXT, username TEXT, message TEXT, timestamp INTEGER)")
def tid(a, b):
    a, b = sorted([a, b]); return "@%s:@%s" % (a, b)
rows = []
for i in range(n):
    t = i // per
    if t < partners: a, b = "alice", "p%05d" % t
    else: a, b = "u%05d" % (t % 9973), "v%05d" % t
    sender = a if i % 2 else b
    rows.append((i + 1, tid(a, b), sender, "<p>message number %d, with a few words in it</p>" % i, 1790000000 + i))
db.executemany("INSERT INTO direct_messages VALUES (?,?,?,?,?)", rows)
for c in ("channel_id", "username", "timestamp"):
    db.execute("CREATE INDEX idx_direct_messages_%s ON direct_messages(%s)" % (c, c))
db.commit()
`;
  execFileSync('python3', ['-c', script, file, String(MESSAGES), String(PARTNERS), String(PER_THREAD)]);
}

async function hammer(server, pathname, body) {
  const latencies = [];
  const deadline = Date.now() + DURATION * 1000;
  let errors = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < deadline) {
      const t0 = performance.now();
      const res = await server.postJson(pathname, body());
      await res.arrayBuffer();
      if (res.status !== 200) ++errors;
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  return { rps: Math.round(latencies.length / DURATION), p50: q(0.5), p99: q(0.99), errors };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-history-bench-'));
let t0 = Date.now();
makeDatabase(path.join(dir, 'history.sqlite'));
console.log(`database: ${MESSAGES} messages written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const settings = settingsToml(`[DirectMessageHistory]
Enabled = true
SQLiteDatabase = 'history.sqlite'
RetentionDays = 0
`).replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true');
t0 = Date.now();
const server = await Server.start({ settings, cwd: dir });
console.log(`server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (our two indexes built on first open)`);
try {
  await server.jwtUser({ sub: 'alice' });
  const token = signJwt({ sub: 'alice' }, {});
  const partner = () => `p${String(Math.floor(Math.random() * PARTNERS)).padStart(5, '0')}`;
  const rows = [
    ['history, newest page', '/api/message/history', () => ({ JWTToken: token, Username: partner() })],
    ['history, an older page', '/api/message/history',
      () => ({ JWTToken: token, Username: partner(), BeforeID: 1 + Math.floor(Math.random() * PARTNERS * PER_THREAD) })],
    ['usernames, newest first', '/api/message/usernames',
      () => ({ JWTToken: token, Sort: 'newest', Page: 1 + Math.floor(Math.random() * 12) })],
  ];
  console.log(`\n| request (${CONCURRENCY} in flight, ${DURATION} s) | requests/s | p50 (ms) | p99 (ms) | errors |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, pathname, body] of rows) {
    const r = await hammer(server, pathname, body);
    console.log(`| ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  }
  console.log(`\nserver RSS after: ${Math.round(server.rssKiB() / 1024)} MiB`);
} finally {
  await server.stop();
}
