// The web API of the seed document: statistics, authentication, blocklist,
// shutdown; the API key, CORS and bad requests.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { API_KEY, Server, chatServerError, rawExchange, settingsToml, sleep } from './harness.mjs';

describe('web API statistics', () => {
  // A server of its own: the counts are of this test's users only.
  test('count visible users and their cameras, for any method', async () => {
    const server = await Server.start();
    try {
      const a = await server.guest('sa');
      const b = await server.guest('sb');
      a.send({ action: 'me', video: 1 });
      b.send({ action: 'me', video: 3 });
      const video = (m, name) => m.whoList.find((u) => u.username === name)?.video;
      await a.next((m) => m.action === 'who' && video(m, 'sa') === 1 && video(m, 'sb') === 3);
      for (const method of ['GET', 'POST']) {
        const res = await server.fetch('/api/statistics', { method });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        const text = await res.text();
        assert.equal(text, '{\n  "UserCount": 2,\n  "Usernames": [\n    "sa",\n    "sb"\n  ],\n  "Cameras": {\n    "Blue": 1,\n    "Red": 1\n  }\n}\n');
      }
      await server.leave([a, b]);
      assert.equal(await (await server.fetch('/api/statistics')).text(),
        '{\n  "UserCount": 0,\n  "Usernames": [],\n  "Cameras": {\n    "Blue": 0,\n    "Red": 0\n  }\n}\n');
    } finally {
      await server.stop();
    }
  });
});

describe('web API', () => {
  let server;
  before(async () => { server = await Server.start(); });
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  test('statistics answer listed origins only', async () => {
    const ok = await server.fetch('/api/statistics', { headers: { Origin: 'http://allowed.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://allowed.example');
    assert.equal(ok.headers.get('vary'), 'Origin');
    for (const origin of ['http://evil.example', 'http://ALLOWED.example']) {
      const no = await server.fetch('/api/statistics', { headers: { Origin: origin } });
      assert.equal(no.status, 200);
      assert.equal(no.headers.get('access-control-allow-origin'), null);
    }
  });

  for (const path of ['/api/authenticate', '/api/authentication']) {
    const bot = `bot-${path.slice(5)}`;
    test(`${path} signs claims that then log in over /ws`, async () => {
      const res = await server.postJson(path, {
        APIKey: API_KEY,
        Claims: { sub: bot, op: true, nick: 'Bot', extra: 'dropped' },
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.OK, true);
      const [header, payload] = body.JWT.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
      assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
      assert.equal(payload.sub, bot);
      assert.equal(payload.extra, undefined);
      assert.equal(payload.exp - payload.iat, 300);
      const c = await server.client();
      c.send({ action: 'login', jwt: body.JWT });
      assert.deepEqual(await c.next(), { action: 'me', username: bot });
      const who = await c.next('who');
      assert.equal(who.whoList.find((u) => u.username === bot).op, true);
    });
  }

  test('the API key is required and compared exactly', async () => {
    for (const body of [{}, { APIKey: '' }, { APIKey: 'wrong' }, { APIKey: API_KEY.toUpperCase() }]) {
      const res = await server.postJson('/api/authenticate', { ...body, Claims: { sub: 'x' } });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{\n  "OK": false,\n  "Error": "Authentication denied."\n}\n');
    }
  });

  test('requests that are not POST JSON are refused with a clear error', async () => {
    const get = await server.fetch('/api/blocklist');
    assert.equal(get.status, 400);
    assert.deepEqual(await get.json(), { OK: false, Error: 'Only POST methods allowed' });
    const form = await server.fetch('/api/blocklist', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(form.status, 400);
    assert.deepEqual(await form.json(), { OK: false, Error: 'Only application/json content-types allowed' });
    for (const body of ['', '{bad', '[1]', '{"APIKey": 5}']) {
      const res = await server.postJson('/api/blocklist', body);
      assert.ok([400, 401].includes(res.status), body);
      const json = await res.json();
      assert.equal(json.OK, false);
      assert.ok(json.Error.length > 0);
    }
    const charset = await server.postJson('/api/blocklist', { APIKey: API_KEY, Username: 'u', Blocklist: [] },
      { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(charset.status, 200);
  });

  test('a blocklist of the wrong type is refused', async () => {
    const res = await server.postJson('/api/blocklist', { APIKey: API_KEY, Username: 'u', Blocklist: 'x' });
    assert.equal(res.status, 400);
    assert.match((await res.json()).Error, /Blocklist/);
  });

  test('API bodies are capped', async () => {
    const big = JSON.stringify({ APIKey: API_KEY, Username: 'u', Blocklist: ['x'.repeat(2 << 20)] });
    const res = await server.postJson('/api/blocklist', big);
    assert.equal(res.status, 413);
  });

  test('the body of a refused request is never read as a request of its own', async () => {
    const hidden = 'GET /api/statistics HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = await rawExchange(server.port, 'POST /api/authenticate HTTP/1.1\r\nHost: x\r\n'
      + `Content-Type: application/json\r\nContent-Length: ${2 << 20}\r\n\r\n${hidden}`);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.equal(answer.match(/HTTP\/1\.1 /g).length, 1, answer);
  });

  test('CORS preflights are answered for listed origins', async () => {
    const res = await server.fetch('/api/authenticate', {
      method: 'OPTIONS',
      headers: { Origin: 'http://allowed.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://allowed.example');
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    assert.match(res.headers.get('access-control-allow-headers'), /Content-Type/);
    const post = await server.postJson('/api/authenticate', { APIKey: API_KEY, Claims: { sub: 'c' } },
      { Origin: 'http://allowed.example' });
    assert.equal(post.headers.get('access-control-allow-origin'), 'http://allowed.example');
  });

  test('a cached blocklist is served in the page of that user and applied by their client', async () => {
    const res = await server.postJson('/api/blocklist', { APIKey: API_KEY, Username: 'bl', Blocklist: ['x', 'troll'] });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { OK: true });
    const auth = await (await server.postJson('/api/authenticate', { APIKey: API_KEY, Claims: { sub: 'bl' } })).json();
    const page = await (await server.fetch(`/?jwt=${auth.JWT}`)).text();
    assert.match(page, /const CachedBlocklist = \["x","troll"\];/);
    const other = await (await server.fetch('/')).text();
    assert.match(other, /const CachedBlocklist = \[\];/);

    // The page's client sends the list as `blocklist` before logging in.
    const troll = await server.guest('troll');
    const c = await server.client();
    c.send({ action: 'blocklist', usernames: ['x', 'troll'] });
    c.send({ action: 'login', jwt: auth.JWT });
    const who = await c.next('who');
    assert.ok(who.whoList.some((u) => u.username === 'bl'));
    assert.ok(!who.whoList.some((u) => u.username === 'troll'));
  });
});

describe('/api/shutdown', () => {
  test('tells the clients, answers OK, then exits with status 1 about 2 s later', async () => {
    const server = await Server.start();
    const c = await server.guest('stayer');
    const wrong = await server.postJson('/api/shutdown', { APIKey: 'nope' });
    assert.equal(wrong.status, 401);
    const started = Date.now();
    const res = await server.postJson('/api/shutdown', { APIKey: API_KEY });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { OK: true });
    assert.deepEqual(await c.next('error'), chatServerError('The chat server is going down for a reboot NOW!'));
    const { code } = await server.exited;
    const elapsed = Date.now() - started;
    assert.equal(code, 1);
    assert.ok(elapsed >= 1500 && elapsed < 6000, `exited after ${elapsed} ms`);
    await server.stop();
  });
});

describe('an empty AdminAPIKey', () => {
  test('disables the admin API instead of opening it', async () => {
    const server = await Server.start({ settings: settingsToml().replace(`AdminAPIKey = '${API_KEY}'`, "AdminAPIKey = ''") });
    for (const path of ['/api/authenticate', '/api/blocklist', '/api/shutdown']) {
      const res = await server.postJson(path, { APIKey: '', Claims: { sub: 'x', op: true } });
      assert.equal(res.status, 403, path);
      assert.match((await res.json()).Error, /disabled/);
    }
    await sleep(2500);
    assert.equal(server.proc.exitCode, null, 'still running');
    await server.stop();
  });
});
