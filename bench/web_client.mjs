// The browser client (web/, built into web/dist) on this machine: how big it
// is, how fast a cold page shows the first message, and what a who-list
// update costs with 2,000 people online. Figures for bench/README.md.
//
// usage: node bench/web_client.mjs      (from anywhere; about 5 minutes)
//   env: RUNS [15] cold loads of each kind, UPDATES [200] who updates per
//        scenario, USERS [2000] entries of the synthetic who list, BOTS [2000]
//        real users for the end-to-end camera toggle, TOGGLES [20],
//        ONLY=size,load,who,e2e,diag (a subset), BARERTC_BIN [build/barertc],
//        BARERTC_WEB [web/dist], PROFILE=DIR: a V8 CPU profile of each who
//        scenario written there (DevTools, Performance panel, "Load profile")
//
// What it measures (Debian's Chromium, headless, through playwright-core):
//  1. size: app.js and app.css raw, gzipped by the build (the .gz files the
//     server sends) and by `gzip -9` here; everything under static/.
//  2. cold load (the real server, a fresh browser context each run, so no
//     cache): navigation start -> sign-in form painted; click on "Join chat"
//     -> the message a bot posted before (echo history) painted in the
//     history; with a JWT (/?jwt=..., no form): navigation start -> that
//     message painted. "Painted": the setTimeout(0) after the next
//     requestAnimationFrame, i.e. once that frame's paint is done.
//  3. who list, in a signed-in page: a synthetic full `who` of USERS entries,
//     then UPDATES frames applied with chat.handle(JSON.parse(text)), each
//     started at the beginning of an animation frame and timed until that
//     frame is painted: parse + roster + Vue's re-render + style/layout +
//     paint (layout forced after Vue's flush to split the two). Deltas (a
//     camera turned on or off, a join, a leave, in turn) with the list sorted
//     a-z and by broadcasting, and with 1,000 lines in the channel's history;
//     full-list replacements (what a server of the original protocol sends
//     on every change). Chrome's Performance.getMetrics: layout and style
//     counts and times per update, DOM nodes, JS heap.
//  4. end to end: BOTS real WebSocket users logged in to the real server; the
//     page (who-delta, sorted by broadcasting) times a bot's camera toggle
//     from the bot's send to the row's "Open NAME's camera" button painted.
//  5. diagnostics behind the slow cases: first date formatting (ICU), cost of
//     the client's time formatting per call, WebSocket handshake and
//     AudioContext costs, history lines rendered again per who update.
// Everything runs on loopback; bots, browser and servers end with the script
// (and a watchdog ends it after 15 minutes).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT); // relative paths (build/, web/) are the repository's
// Copies of the built client and of the binary, taken at the start, so that a
// rebuild while this runs changes nothing (the server reads -web at start-up).
const WEB_SRC = path.resolve(process.env.BARERTC_WEB ?? 'web/dist');
const SNAPSHOT = fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-web-bench-'));
const WEB_DIR = path.join(SNAPSHOT, 'dist');
fs.cpSync(WEB_SRC, WEB_DIR, { recursive: true });
fs.copyFileSync(path.resolve(process.env.BARERTC_BIN ?? 'build/barertc'), path.join(SNAPSHOT, 'barertc'));
fs.chmodSync(path.join(SNAPSHOT, 'barertc'), 0o755);
process.env.BARERTC_BIN = path.join(SNAPSHOT, 'barertc');
process.on('exit', () => fs.rmSync(SNAPSHOT, { recursive: true, force: true }));
const require = createRequire(path.join(ROOT, 'tests/package.json'));
const { chromium } = require('playwright-core');
const WebSocket = require('ws');
const { Server, settingsToml, signJwt } = await import('../tests/e2e/harness.mjs');

const RUNS = Number(process.env.RUNS ?? 15);
const UPDATES = Number(process.env.UPDATES ?? 200);
const USERS = Number(process.env.USERS ?? 2000);
const BOTS = Number(process.env.BOTS ?? 2000);
const TOGGLES = Number(process.env.TOGGLES ?? 20);
const ONLY = new Set((process.env.ONLY ?? 'size,load,who,e2e,diag').split(','));
const PROFILE = process.env.PROFILE ? path.resolve(process.env.PROFILE) : ''; // CPU profiles of the who updates
const MARKER = 'webbench first message 7f3a';

setTimeout(() => {
  console.error('web_client.mjs: watchdog: still running after 15 minutes, giving up');
  process.exit(2);
}, 15 * 60 * 1000).unref();

// ---- small helpers ------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now(); // epoch ms, sub-ms
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (xs) => quantile(xs, 0.5);
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = []; // [what, figure, target] for the final table
const row = (what, figure, target = '') => {
  rows.push([what, figure, target]);
  console.log(`  ${what}: ${figure}${target ? `   (target ${target})` : ''}`);
};

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-precise-memory-info',
];

function startServer(settings) {
  return Server.start({ settings, args: ['-web', WEB_DIR] });
}

// ---- 1. size ------------------------------------------------------------------

function sizes() {
  console.log('size of web/dist/static');
  const dir = path.join(WEB_DIR, 'static');
  const newer = execFileSync('find', ['web/src', '-newer', path.join(WEB_SRC, 'static/app.js')]).toString().trim();
  if (newer) console.log(`  warning: web/src has files newer than the build (cd web && npm run build):\n${newer}`);
  const gzip9 = (file) => execFileSync('gzip', ['-9', '-n', '-c', file], { maxBuffer: 64 << 20 }).length;
  for (const name of ['app.js', 'app.css']) {
    const file = path.join(dir, name);
    const raw = fs.statSync(file).size;
    const built = fs.existsSync(`${file}.gz`) ? fs.statSync(`${file}.gz`).size : NaN;
    const ours = gzip9(file);
    const br = zlib.brotliCompressSync(fs.readFileSync(file)).length;
    row(`\`${name}\`: raw / gzipped (the build's .gz, served) / \`gzip -9\` here / brotli (not served)`,
      `${kib(raw)} / **${kib(built)}** (${built.toLocaleString('en')} B) / ${kib(ours)} / ${kib(br)}`,
      name === 'app.js' ? '< 150 KiB gzipped' : '');
  }
  let total = 0;
  let sent = 0; // what a browser that accepts gzip downloads: FILE.gz where it exists
  for (const name of fs.readdirSync(dir)) {
    const size = fs.statSync(path.join(dir, name)).size;
    total += size;
    if (!name.endsWith('.gz')) sent += fs.existsSync(path.join(dir, `${name}.gz`)) ? fs.statSync(path.join(dir, `${name}.gz`)).size : size;
  }
  row('everything under `static/` (with the .gz files) / sent to a browser', `${kib(total)} / ${kib(sent)}`);
  const md5 = crypto.createHash('md5').update(fs.readFileSync(path.join(dir, 'app.js'))).digest('hex').slice(0, 8);
  console.log(`  (app.js md5 ${md5}, built ${fs.statSync(path.join(WEB_SRC, 'static/app.js')).mtime.toISOString()})`);
}

// ---- 2. cold load -----------------------------------------------------------------

// Runs in the page before its own scripts: notes when the sign-in form and
// the marker message enter the DOM and when the frame after is painted, and
// the time of the click on "Join chat". For the end-to-end toggle it also
// notes when a WebSocket frame about `__bench.watch` arrives and when that
// user's camera button appears.
function pageProbe(marker) {
  const b = (window.__bench = { marker });
  const painted = (key) => requestAnimationFrame(() => setTimeout(() => (b[key] = performance.now()), 0));
  const check = () => {
    if (b.formAt === undefined && document.getElementById('signin-username')) {
      b.formAt = performance.now();
      painted('formPainted');
    }
    if (b.msgAt === undefined && b.marker && document.querySelector('[role=log]')?.textContent.includes(b.marker)) {
      b.msgAt = performance.now();
      painted('msgPainted');
    }
    if (b.watch && b.camAt === undefined && document.querySelector(`[aria-label="Open ${b.watch}'s camera"]`)) {
      b.camAt = performance.now();
      painted('camPainted');
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  b.stop = () => observer.disconnect();
  document.addEventListener('click', (e) => {
    if (e.target.closest?.('button[type=submit]')) Object.assign(b, { clickAt: e.timeStamp, clickRun: performance.now() });
  }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (b.wsNew === undefined) {
        // The page dials as it switches to the chat screen: the timer runs
        // once the task that renders it (Vue's flush included) is over.
        b.wsNew = performance.now();
        setTimeout(() => (b.renderEnd = performance.now()), 0);
      }
      this.addEventListener('open', () => (b.wsOpen ??= performance.now()));
      // Registered before the page's onmessage, so it runs first.
      this.addEventListener('message', (e) => {
        if (b.wsMe === undefined && typeof e.data === 'string' && e.data.startsWith('{"action":"me"')) b.wsMe = performance.now();
        if (b.watch && b.recvAt === undefined && typeof e.data === 'string'
          && e.data.includes(`"${b.watch}"`) && e.data.includes('"video":1')) b.recvAt = performance.now();
      });
    }
  };
}

async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  await page.addInitScript(pageProbe, MARKER);
  return { context, page };
}

async function postMarker(bot) {
  bot.send({ action: 'message', channel: 'lobby', message: MARKER });
  await bot.next((m) => m.action === 'message' && m.message?.includes(MARKER));
}

async function coldLoads(browser) {
  console.log(`cold load, ${RUNS} runs each (+1 warm-up), fresh browser context`);
  // Guests: the form, then the echo history.
  let server = await startServer(settingsToml());
  await postMarker(await server.guest('bench_bot'));
  const form = [];
  const fcp = [];
  const click = [];
  const steps = { html: [], css: [], js: [], dcl: [], handler: [], render: [], open: [], me: [], dom: [] };
  for (let i = 0; i <= RUNS; ++i) {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__bench.formPainted !== undefined);
    await page.getByLabel('Username').fill(`guest_${i}`);
    await page.getByRole('button', { name: 'Join chat' }).click();
    await page.waitForFunction(() => window.__bench.msgPainted !== undefined, null, { timeout: 10000 });
    const b = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = (s) => performance.getEntriesByType('resource').find((e) => e.name.includes(s))?.responseEnd;
      return {
        ...window.__bench, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
        html: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, css: res('/static/app.css'), js: res('/static/app.js'),
      };
    });
    if (i > 0) {
      form.push(b.formPainted);
      fcp.push(b.fcp);
      click.push(b.msgPainted - b.clickAt);
      for (const k of ['html', 'css', 'js', 'dcl']) steps[k].push(b[k]);
      steps.handler.push(b.clickRun - b.clickAt);
      steps.render.push(b.renderEnd - b.clickAt);
      steps.open.push(b.wsOpen - b.clickAt);
      steps.me.push(b.wsMe - b.clickAt);
      steps.dom.push(b.msgAt - b.clickAt);
    }
    await context.close();
  }
  await server.stop();
  const mp = (xs) => `${ms(median(xs))} / ${ms(quantile(xs, 0.9))} ms`;
  const med = (k) => ms(median(steps[k]));
  row('navigation start → sign-in form painted (median / p90)', mp(form));
  row('… medians: HTML, CSS, JS received; DOMContentLoaded (app run, form mounted)',
    `${med('html')}, ${med('css')}, ${med('js')}; ${med('dcl')} ms`);
  row('… first contentful paint (Chrome\'s, presentation time; median / p90)', mp(fcp));
  row('click on "Join chat" → echoed message painted (median / p90)', mp(click));
  row('… medians from the click: handler runs, chat screen rendered (end of that task), WebSocket open, `me` received, message in the DOM',
    `${med('handler')}, ${med('render')}, ${med('open')}, ${med('me')}, ${med('dom')} ms`);

  // A page opened with a JWT signs in by itself.
  server = await startServer(settingsToml().replace('Enabled = false', 'Enabled = true'));
  await postMarker(await server.jwtUser({ sub: 'bench_bot' }));
  const jwt = [];
  const jsteps = { dcl: [], open: [], me: [], dom: [] };
  for (let i = 0; i <= RUNS; ++i) {
    const { context, page } = await newPage(browser);
    await page.goto(`${server.url}/?jwt=${signJwt({ sub: `jwt_user_${i}` })}`);
    await page.waitForFunction(() => window.__bench.msgPainted !== undefined, null, { timeout: 10000 });
    const b = await page.evaluate(() => ({
      ...window.__bench, dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    }));
    if (i > 0) {
      jwt.push(b.msgPainted);
      jsteps.dcl.push(b.dcl);
      jsteps.open.push(b.wsOpen);
      jsteps.me.push(b.wsMe);
      jsteps.dom.push(b.msgAt);
    }
    await context.close();
  }
  await server.stop();
  row('JWT page (`/?jwt=…`): navigation start → echoed message painted (median / p90)', mp(jwt));
  const jmed = (k) => ms(median(jsteps[k]));
  row('… medians: DOMContentLoaded (app run, chat screen rendered), WebSocket open, `me` received, message in the DOM',
    `${jmed('dcl')}, ${jmed('open')}, ${jmed('me')}, ${jmed('dom')} ms`);
}

// ---- 3. who-list updates in the page --------------------------------------------

// Runs in the page: builds a roster of `n` users (names and flags from a
// seeded generator, so every run is the same), fills the channel's history,
// and leaves window.__who.next(i): the text of update i, as a server sends it.
async function whoSetup({ n, kind, sort, historyLines, dndShare = 0.05 }) {
  window.__bench.stop(); // the probe's observer: not part of what is measured
  const { chat, settings } = window.barertc;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'xe', 'zu', 'An', 'Be', 'Co', 'Di'];
  let made = 0;
  const newName = () => {
    let s = '';
    for (let k = 1 + Math.floor(rand() * 3); k > 0; --k) s += syll[Math.floor(rand() * syll.length)];
    return `${s}_${made++}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const entry = (username) => ({
    username,
    nickname: rand() < 0.3 ? `Nick ${username}` : '',
    status: rand() < 0.85 ? 'online' : 'away',
    video: rand() < 0.15 ? 1 : 0,
    dnd: rand() < dndShare,
    loginAt: now - Math.floor(rand() * 7200),
    op: rand() < 0.01,
    vip: rand() < 0.05,
    avatar: '',
    profileURL: `/u/${username}`,
    emoji: rand() < 0.2 ? '🇨🇦 Canada' : '',
    gender: rand() < 0.3 ? 'f' : '',
  });
  const people = Array.from({ length: n }, () => entry(newName()));
  settings.muteSounds = true;
  settings.whoSort = sort;
  chat.handle({ action: 'who', whoList: people });
  for (let i = 0; i < historyLines; ++i) {
    const from = people[Math.floor(rand() * people.length)].username;
    chat.handle({ action: 'message', channel: 'lobby', username: from, message: `<p>history line ${i} from ${from}</p>`, msgID: 1e6 + i });
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  window.__who = {
    next(i) {
      if (kind === 'full') {
        const k = Math.floor(rand() * people.length); // one camera toggled, the whole list sent
        people[k] = { ...people[k], video: people[k].video ^ 1 };
        return { text: JSON.stringify({ action: 'who', whoList: people }), what: 'full' };
      }
      const what = ['camera', 'join', 'leave'][i % 3];
      if (what === 'camera') {
        // In the broadcasting sort a camera turned on puts its user at the top.
        const k = Math.floor(rand() * people.length);
        people[k] = { ...people[k], video: people[k].video ^ 1 };
        return { text: JSON.stringify({ action: 'who-delta', set: [people[k]] }), what };
      }
      if (what === 'join') {
        const e = entry(newName());
        people.push(e);
        return { text: JSON.stringify({ action: 'who-delta', set: [e] }), what };
      }
      const [gone] = people.splice(Math.floor(rand() * people.length), 1);
      return { text: JSON.stringify({ action: 'who-delta', remove: [gone.username] }), what };
    },
  };
  return { listLength: chat.who.value.length, frameBytes: window.__who.next(0).text.length };
}

// Runs in the page: each update starts at the beginning of an animation frame
// (in a requestAnimationFrame callback), so that the frame paints it; the
// setTimeout(0) after it runs once that frame is painted and committed.
// Forcing layout after Vue's flush splits style+layout from paint.
async function whoMeasure(updates) {
  const { chat } = window.barertc;
  const spacer = document.querySelector('.who-list .virtual-spacer');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const nextTask = () => new Promise((r) => setTimeout(r, 0));
  const samples = [];
  for (let i = 0; i < updates; ++i) {
    const { text, what } = window.__who.next(i);
    await frame();
    const t0 = performance.now();
    const f = JSON.parse(text);
    const t1 = performance.now();
    chat.handle(f);
    const t2 = performance.now();
    await null; // Vue's scheduler flushes in the microtask that handle() queued
    const t3 = performance.now();
    void spacer.getBoundingClientRect().height; // style + layout now
    const t4 = performance.now();
    await nextTask(); // after this frame's paint and commit
    const t5 = performance.now();
    samples.push({ what, parse: t1 - t0, handle: t2 - t1, vue: t3 - t2, layout: t4 - t3, paint: t5 - t4, total: t5 - t0 });
  }
  return samples;
}

// Runs in the page: the same updates timed the simple way, from handle() at
// any moment to the next frame painted; this includes waiting for that frame
// (up to 16.7 ms at 60 Hz), so it says little about the client's own cost.
async function whoMeasureNaive(updates) {
  const { chat } = window.barertc;
  const out = [];
  for (let i = 0; i < updates; ++i) {
    const { text } = window.__who.next(i);
    await new Promise((r) => setTimeout(r, 1 + (i % 7) * 2));
    const t0 = performance.now();
    chat.handle(JSON.parse(text));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    out.push(performance.now() - t0);
  }
  return out;
}

async function cdpMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function whoUpdates(browser) {
  console.log(`who list of ${USERS}: ${UPDATES} updates per scenario`);
  const server = await startServer(settingsToml());
  const scenarios = [
    { label: 'delta, sorted a-z', kind: 'delta', sort: 'a-z', historyLines: 0 },
    { label: 'delta, sorted by broadcasting', kind: 'delta', sort: 'broadcasting', historyLines: 0 },
    { label: 'delta, a-z, 1,000 lines in the channel', kind: 'delta', sort: 'a-z', historyLines: 1000 },
    { label: 'full `who` list (legacy server), a-z', kind: 'full', sort: 'a-z', historyLines: 0 },
    { label: 'full `who` list, a-z, 1,000 lines in the channel', kind: 'full', sort: 'a-z', historyLines: 1000 },
  ];
  const results = [];
  for (const s of scenarios) {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await page.getByLabel('Username').fill('bench_viewer');
    await page.getByRole('button', { name: 'Join chat' }).click();
    await page.waitForFunction(() => window.barertc?.chat.state.phase === 'online' && window.barertc.chat.who.value.length > 0);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const updates = s.kind === 'full' ? Math.min(UPDATES, 100) : UPDATES;
    const setup = await page.evaluate(whoSetup, { n: USERS, kind: s.kind, sort: s.sort, historyLines: s.historyLines });
    await page.evaluate(whoMeasure, 10); // warm-up: the code paths compiled and optimized
    if (PROFILE) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const before = await cdpMetrics(cdp);
    const samples = await page.evaluate(whoMeasure, updates);
    const after = await cdpMetrics(cdp);
    if (PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(PROFILE, { recursive: true });
      const file = path.join(PROFILE, `who-${s.label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      console.log(`  wrote ${file}`);
    }
    const naive = await page.evaluate(whoMeasureNaive, Math.min(updates, 60));
    const r = { ...setup, samples, naive };
    const all = r.samples.map((x) => x.total);
    const part = (k) => ms(median(r.samples.map((x) => x[k])));
    const byKind = s.kind === 'delta'
      ? ['camera', 'join', 'leave'].map((w) => `${w} ${ms(median(r.samples.filter((x) => x.what === w).map((x) => x.total)))}`).join(', ')
      : '';
    const res = {
      ...s, n: r.samples.length, listLength: r.listLength, frameBytes: r.frameBytes,
      median: median(all), p90: quantile(all, 0.9), p99: quantile(all, 0.99), max: Math.max(...all),
      naiveMedian: median(r.naive), naiveP99: quantile(r.naive, 0.99),
      parts: `parse ${part('parse')}, roster ${part('handle')}, Vue ${part('vue')}, style+layout ${part('layout')}, paint ${part('paint')}`,
      byKind,
      nodes: after.Nodes, heap: after.JSHeapUsedSize,
      // Chrome's own accounting per update (forced layout included).
      cdp: ['LayoutCount', 'RecalcStyleCount', 'LayoutDuration', 'RecalcStyleDuration', 'ScriptDuration', 'TaskDuration']
        .map((k) => `${k.replace('Duration', ' ms')} ${(((after[k] - before[k]) * (k.endsWith('Duration') ? 1000 : 1)) / samples.length).toFixed(2)}`)
        .join(', '),
    };
    results.push(res);
    console.log(`  ${s.label}: median ${ms(res.median)} ms, p90 ${ms(res.p90)}, p99 ${ms(res.p99)}, max ${ms(res.max)} (${res.n} updates; ${res.parts}${byKind ? `; by kind: ${byKind}` : ''}); next painted frame: median ${ms(res.naiveMedian)}, p99 ${ms(res.naiveP99)}; frame ${kib(res.frameBytes)}; DOM nodes ${res.nodes}, JS heap ${(res.heap / 2 ** 20).toFixed(1)} MiB; CDP per update: ${res.cdp}`);
    await context.close();
  }
  await server.stop();
  for (const r of results) {
    row(`who update, ${r.label}: frame → painted, median / p90 / p99 (${r.n} updates)`,
      `${ms(r.median)} / ${ms(r.p90)} / ${ms(r.p99)} ms`, '< 16 ms');
  }
  return results;
}

// ---- 4. end to end with real users ------------------------------------------------

// `count` users on real WebSockets (asking for who-delta, so that 2,000 of
// them cost the server and this process little), logged in 100 at a time;
// they read and drop every frame.
async function loginBots(server, count) {
  const bots = [];
  let nextIndex = 0;
  const one = (i) => new Promise((resolve, reject) => {
    const name = `bot${String(i).padStart(4, '0')}`;
    const ws = new WebSocket(server.wsUrl, { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error(`${name}: no login within 30 s`)), 30000);
    ws.on('open', () => ws.send(JSON.stringify({ action: 'login', username: name, extensions: ['who-delta'] })));
    ws.on('message', function onLogin(data) {
      if (!data.toString().startsWith('{"action":"me"')) return;
      ws.off('message', onLogin);
      clearTimeout(timer);
      resolve({ name, ws, send: (f) => ws.send(JSON.stringify(f)) });
    });
    ws.on('error', reject);
  });
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (nextIndex < count) bots.push(await one(nextIndex++));
  }));
  return bots.sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function endToEnd(browser) {
  console.log(`end to end: ${BOTS} bots on the real server, ${TOGGLES} camera toggles`);
  const server = await startServer(settingsToml());
  const t0 = Date.now();
  const bots = await loginBots(server, BOTS);
  console.log(`  ${bots.length} bots logged in in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const { context, page } = await newPage(browser);
  await page.goto(server.url);
  await page.getByLabel('Username').fill('bench_viewer');
  const tJoin = Date.now();
  await page.getByRole('button', { name: 'Join chat' }).click();
  await page.waitForFunction((n) => window.barertc?.chat.who.value.length >= n, BOTS + 1, { timeout: 30000 });
  await page.evaluate(() => (window.__bench.marker = '')); // no echo marker here: skip that check
  row(`${BOTS} real users: click on "Join chat" → the page holds the list of ${BOTS + 1}`, `${Date.now() - tJoin} ms`);
  await page.getByLabel('Sort the who list').selectOption('broadcasting');
  await sleep(500);

  // The page's clock against ours: the round trip with the least delay.
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; ++i) {
    const a = nowMs();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const c = nowMs();
    if (c - a < best.rtt) best = { rtt: c - a, offset: p - (a + c) / 2 };
  }
  const origin = await page.evaluate(() => performance.timeOrigin);
  const toNode = (pageMs) => origin + pageMs - best.offset; // page's performance.now() -> our epoch ms

  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const m0 = await cdpMetrics(cdp);
  const shown = [];
  const painted = [];
  const toPage = [];
  const inPage = [];
  const inPageDom = [];
  for (let t = 0; t < TOGGLES; ++t) {
    const bot = bots[Math.floor(((t + 0.5) * bots.length) / TOGGLES)];
    await page.evaluate((name) => Object.assign(window.__bench, { watch: name, recvAt: undefined, camAt: undefined, camPainted: undefined }), bot.name);
    const sent = nowMs();
    bot.send({ action: 'me', video: 1, status: 'online' });
    await page.waitForFunction(() => window.__bench.camPainted !== undefined, null, { timeout: 10000 });
    const b = await page.evaluate(() => window.__bench);
    shown.push(toNode(b.camAt) - sent);
    painted.push(toNode(b.camPainted) - sent);
    toPage.push(toNode(b.recvAt) - sent);
    inPage.push(b.camPainted - b.recvAt);
    inPageDom.push(b.camAt - b.recvAt);
    bot.send({ action: 'me', video: 0, status: 'online' });
    await page.getByRole('button', { name: `Open ${bot.name}'s camera` }).waitFor({ state: 'detached' });
    await sleep(100);
  }
  const m1 = await cdpMetrics(cdp);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize);
  const mp = (xs) => `${ms(median(xs))} / ${ms(quantile(xs, 0.9))} / ${ms(Math.max(...xs))} ms`;
  console.log(`  clock offset page-node ${best.offset.toFixed(2)} ms (round trip ${best.rtt.toFixed(2)} ms)`);
  row(`${BOTS} real users: bot's camera on → button in the DOM (median / p90 / max, ${TOGGLES} toggles)`, mp(shown));
  row('… → button painted', mp(painted));
  row('… of which bot → frame at the page (server, loopback)', mp(toPage));
  row('… of which frame at the page → button in the DOM (script, Vue)', mp(inPageDom), '< 16 ms');
  row('… of which frame at the page → button painted (includes waiting for the next frame, ≤ 16.7 ms)', mp(inPage));
  const per = (k) => (m1[k] - m0[k]) / (2 * TOGGLES);
  row(`${BOTS} real users: page's JS heap (\`performance.memory\` / CDP JSHeapUsedSize), DOM nodes`,
    `${(heap / 2 ** 20).toFixed(1)} MiB / ${(m1.JSHeapUsedSize / 2 ** 20).toFixed(1)} MiB, ${m1.Nodes} nodes`);
  row('… per who-delta (on and off): layouts, style recalcs; layout / style / script ms (CDP)',
    `${per('LayoutCount').toFixed(1)}, ${per('RecalcStyleCount').toFixed(1)}; ${(per('LayoutDuration') * 1000).toFixed(2)} / ${(per('RecalcStyleDuration') * 1000).toFixed(2)} / ${(per('ScriptDuration') * 1000).toFixed(2)} ms`);
  await context.close();
  for (const b of bots) b.ws.terminate();
  await server.stop();
}

// ---- 5. what the slow cases are made of -------------------------------------------

// Runs in a fresh page: the first date formatting (ICU's locale data) and the
// cost per call of the client's two ways of formatting a line's time.
function intlCosts() {
  const d = new Date();
  let t = performance.now();
  d.toLocaleString();
  const first = performance.now() - t;
  const per = (f) => {
    t = performance.now();
    for (let i = 0; i < 1000; ++i) f();
    return (performance.now() - t) / 1000;
  };
  const cached = new Intl.DateTimeFormat([], { hour: 'numeric', minute: '2-digit' });
  return {
    first,
    timeWithOptions: per(() => d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })),
    localeString: per(() => d.toLocaleString()),
    cachedFormat: per(() => cached.format(d)),
  };
}

// Runs in the page after whoSetup: how many history lines each kind of who
// update renders again (each render formats its time once with
// toLocaleTimeString, counted here) and how long handle() + Vue's flush take.
async function rerenders() {
  const { chat } = window.barertc;
  const out = {};
  const native = Date.prototype.toLocaleTimeString;
  let calls = 0;
  Date.prototype.toLocaleTimeString = function (...args) {
    ++calls;
    return native.apply(this, args);
  };
  for (const [what, i] of [['camera', 0], ['join', 1], ['leave', 2]]) {
    const f = JSON.parse(window.__who.next(i).text);
    calls = 0;
    const t0 = performance.now();
    chat.handle(f);
    await null;
    out[what] = { lines: calls, ms: performance.now() - t0 };
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  const full = { action: 'who', whoList: chat.who.value.map((e) => ({ ...e })) };
  calls = 0;
  const t0 = performance.now();
  chat.handle(full);
  await null;
  out.full = { lines: calls, ms: performance.now() - t0 };
  Date.prototype.toLocaleTimeString = native;
  return out;
}

async function diagnostics(browser) {
  console.log('what the slow cases are made of');
  const intl = [];
  for (let i = 0; i < 5; ++i) {
    const { context, page } = await newPage(browser);
    await page.goto('about:blank');
    intl.push(await page.evaluate(intlCosts));
    await context.close();
  }
  const im = (k, scale = 1) => ms(median(intl.map((x) => x[k] * scale)));
  row('first date formatting in a fresh page (ICU locale data; once per page), median of 5', `${im('first')} ms`);
  row('per call: `toLocaleTimeString([], {hour, minute})` (MessageLine\'s time) / `toLocaleString()` / a cached `Intl.DateTimeFormat`',
    `${im('timeWithOptions', 1000)} / ${im('localeString', 1000)} / ${im('cachedFormat', 1000)} µs`);

  const server = await startServer(settingsToml());
  // What the click pays besides the page's own work: a WebSocket handshake
  // from an idle page, and the AudioContext the page creates on the first
  // pointerdown (to be allowed to play sounds).
  const costs = { ws: [], audio: [] };
  for (let i = 0; i < 5; ++i) {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await page.getByLabel('Username').waitFor();
    Object.entries(await page.evaluate(async (url) => {
      let t = performance.now();
      const ws = new WebSocket(url);
      await new Promise((r) => (ws.onopen = r));
      const wsOpen = performance.now() - t;
      ws.close();
      t = performance.now();
      const audio = new AudioContext();
      const made = performance.now() - t;
      await audio.close();
      return { ws: wsOpen, audio: made };
    }, server.wsUrl)).forEach(([k, v]) => costs[k].push(v));
    await context.close();
  }
  row('WebSocket open from an idle page / `new AudioContext()` in a fresh page, medians of 5',
    `${ms(median(costs.ws))} / ${ms(median(costs.audio))} ms`);
  for (const dndShare of [0.05, 0]) {
    const { context, page } = await newPage(browser);
    await page.goto(server.url);
    await page.getByLabel('Username').fill('bench_viewer');
    await page.getByRole('button', { name: 'Join chat' }).click();
    await page.waitForFunction(() => window.barertc?.chat.state.phase === 'online' && window.barertc.chat.who.value.length > 0);
    await page.evaluate(whoSetup, { n: USERS, kind: 'delta', sort: 'a-z', historyLines: 1000, dndShare });
    await page.evaluate(whoMeasure, 10); // warm-up
    const r = await page.evaluate(rerenders);
    const f = (k) => `${k} ${r[k].lines} lines, ${ms(r[k].ms)} ms`;
    row(`1,000 lines, ${USERS} users, ${dndShare * 100}% of them \`dnd\`: history lines rendered again, handle() + Vue flush`,
      ['camera', 'join', 'leave', 'full'].map(f).join('; '));
    await context.close();
  }
  await server.stop();
}

// ---- main -------------------------------------------------------------------------

const started = new Date();
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = load();
if (ONLY.has('size')) sizes();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
const version = browser.version();
try {
  if (ONLY.has('load')) await coldLoads(browser);
  if (ONLY.has('who')) await whoUpdates(browser);
  if (ONLY.has('e2e')) await endToEnd(browser);
  if (ONLY.has('diag')) await diagnostics(browser);
} finally {
  await browser.close();
}
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
console.log(`\n${started.toISOString()}, commit ${commit}, Chromium ${version}, load average ${loadBefore} before, ${load()} after\n`);
console.log('| what | figure | target |\n|---|---:|---|');
for (const [what, figure, target] of rows) console.log(`| ${what} | ${figure} | ${target} |`);
