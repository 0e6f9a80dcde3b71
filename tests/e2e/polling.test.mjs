// The polling API (POST /poll) against the real binary: a polling user and
// WebSocket users in one room, the envelope's exact shape, the errors, and
// the ends of a session (a kick, a failed login, a too-slow client, the idle
// timeout). A wrong session ID never signs anybody out.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, chatServerError, rawExchange, Server, settingsToml, signJwt } from './harness.mjs';
import { PollClient } from './poll_client.mjs';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const expired = [
  chatServerError('Your authentication has expired, please log back into the chat again.'),
  { action: 'disconnect' },
];
const named = (action, username) => (m) => m.action === action && m.username === username;

describe('polling API', () => {
  let server;
  before(async () => { server = await Server.start(); });
  after(() => server.stop());
  afterEach(() => server.leaveAll());

  test('a login answers with the session and the login frames, indented as the original', async () => {
    const bot = new PollClient(server);
    const { status, text, body, type } = await bot.login('pl-bot');
    assert.equal(status, 200);
    assert.equal(type, 'application/json');
    assert.equal(body.username, 'pl-bot');
    assert.match(body.session_id, uuidV4);
    assert.deepEqual(Object.keys(body), ['username', 'session_id', 'messages']);
    assert.deepEqual(body.messages.slice(0, 3).map((m) => m.action), ['me', 'who', 'echo']);
    assert.deepEqual(body.messages[0], { action: 'me', username: 'pl-bot' });
    assert.ok(text.startsWith(`{\n  "username": "pl-bot",\n  "session_id": "${body.session_id}",\n`
      + '  "messages": [\n    {\n      "action": "me",\n      "username": "pl-bot"\n    },\n'), text);
    assert.ok(text.endsWith('\n  ]\n}\n'), text.slice(-40));
    assert.ok((await server.usernames()).includes('pl-bot'));

    // An idle poll with nothing queued: the same session, no messages.
    await bot.sync();
    const idle = await bot.poll();
    assert.equal(idle.status, 200);
    assert.equal(idle.text, `{\n  "username": "pl-bot",\n  "session_id": "${body.session_id}",\n  "messages": []\n}\n`);
  });

  test('a polling user and a WebSocket user chat and DM each other', async () => {
    const bot = new PollClient(server);
    await bot.login('pl-chat-bot');
    const ann = await server.guest('pl-ann');
    const who = await bot.next((m) => m.action === 'who' && m.whoList.some((e) => e.username === 'pl-ann'));
    assert.ok(who.whoList.some((e) => e.username === 'pl-chat-bot'));

    await bot.send({ action: 'message', channel: 'lobby', message: 'hello from **polling**' });
    const got = await ann.next(named('message', 'pl-chat-bot'));
    assert.equal(got.message, '<p>hello from <strong>polling</strong></p>');
    assert.equal(got.channel, 'lobby');

    ann.send({ action: 'message', channel: 'lobby', message: 'hi bot' });
    assert.equal((await bot.next(named('message', 'pl-ann'))).message, '<p>hi bot</p>');

    ann.send({ action: 'message', channel: '@pl-chat-bot', message: 'a secret' });
    const dm = await bot.next(named('message', 'pl-ann'));
    assert.equal(dm.channel, '@pl-ann');
    await bot.send({ action: 'message', channel: '@pl-ann', message: 'a reply' });
    const reply = await ann.next(named('message', 'pl-chat-bot'));
    assert.equal(reply.channel, '@pl-chat-bot');
    assert.equal(reply.message, '<p>a reply</p>');
  });

  test("a wrong session ID is refused and signs nobody out, not even the name's owner", async () => {
    const ws = await server.guest('pl-victim');
    const bot = new PollClient(server);
    await bot.login('pl-owner');
    for (const username of ['pl-victim', 'pl-owner', 'pl-nobody']) {
      const forged = await bot.send({ action: 'ping' }, { username, sessionId: '00000000-0000-4000-8000-000000000000' });
      assert.equal(forged.status, 400);
      assert.deepEqual(forged.body, { messages: expired });
    }
    // The right session ID with someone else's name: refused too.
    const crossed = await bot.send({ action: 'message', channel: 'lobby', message: 'as victim' }, { username: 'pl-victim' });
    assert.equal(crossed.status, 400);
    assert.deepEqual(crossed.body, { messages: expired });

    const users = await server.usernames();
    assert.ok(users.includes('pl-victim') && users.includes('pl-owner'), users);
    assert.ok(ws.isOpen());
    const seen = await ws.sync();
    const left = (m) => m.action === 'presence' && m.message !== 'has joined the room!'
      && ['pl-victim', 'pl-owner'].includes(m.username);
    assert.ok(!seen.some((m) => m.action === 'message' || left(m)), JSON.stringify(seen));
    const again = await bot.poll();
    assert.equal(again.status, 200);
    assert.equal(again.body.username, 'pl-owner');
  });

  test('the endpoint errors, each a ChatServer message with status 400', async () => {
    const error = async (res, text) => {
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(await res.json(), { messages: [chatServerError(text)] });
    };
    await error(await server.fetch('/poll'), 'Only POST methods allowed');
    await error(await server.fetch('/poll', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
      'Only application/json content-types allowed');
    const broken = await server.postJson('/poll', '{"msg":');
    assert.equal(broken.status, 400);
    assert.match((await broken.json()).messages[0].message, /^Invalid JSON body: /);
    await error(await server.postJson('/poll', { username: 5 }), '"username" must be a string');
    await error(await server.postJson('/poll', { msg: { action: 'message', channel: 'lobby', message: 'x' } }), 'Not logged in.');
    await error(await server.postJson('/poll', {}), 'Not logged in.');
    await error(await server.postJson('/poll', { msg: 'login' }), '"msg" must be an object');
    await error(await server.postJson('/poll', { username: 'x', msg: { action: 'ping' } }),
      'Authentication error: SessionID and Username both required.');
    await error(await server.postJson('/poll', { session_id: 'x', msg: { action: 'ping' } }),
      'Authentication error: SessionID and Username both required.');
    // A media type with parameters is fine (the original wanted it bare).
    const bot = new PollClient(server);
    const res = await server.fetch('/poll', {
      method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ msg: { action: 'login', username: 'pl-charset' } }),
    });
    assert.equal(res.status, 200);
    Object.assign(bot, { username: 'pl-charset', sessionId: (await res.json()).session_id });
    // A message the room cannot read is answered inside the session.
    const bad = await bot.send({ action: 'message', channel: 7 });
    assert.equal(bad.status, 200);
    assert.deepEqual(bad.body.messages.at(-1), chatServerError('Could not read your message: "channel" must be a string.'));
  });

  test('a body larger than the API limit is accepted up to WebSocketReadLimit, refused beyond', async () => {
    const bot = new PollClient(server);
    await bot.login('pl-big');
    await bot.sync();  // past the welcome messages
    const notPicture = Buffer.alloc(3 << 20, 7).toString('base64');
    const res = await bot.send({ action: 'file', channel: 'offtopic', message: 'x.png', bytes: notPicture });
    assert.equal(res.status, 200);
    // Read by the picture worker: the answer comes with a later poll.
    const refusal = await bot.next('error');
    assert.deepEqual(refusal, chatServerError('Could not read your picture: it is not a JPEG, GIF or PNG image.'));
    // Declared larger than the limit: refused from the headers.
    const head = await rawExchange(server.port, 'POST /poll HTTP/1.1\r\nHost: x\r\n'
      + `Content-Type: application/json\r\nContent-Length: ${41 << 20}\r\n\r\n{"msg":`);
    assert.match(head, /^HTTP\/1\.1 413 /);
    assert.equal((await bot.poll()).status, 200);
  });
});

describe('polling API: the end of a session', () => {
  test('a kicked polling user gets the kick with the expired answer, then only the expired answer', async () => {
    const server = await Server.start();
    try {
      const bot = new PollClient(server);
      await bot.login('pk-bot');
      const watcher = await server.guest('pk-watcher');
      const res = await server.postJson('/api/disconnect/now', { APIKey: API_KEY, Usernames: ['pk-bot'], Message: 'Bye', Kick: true });
      assert.deepEqual(await res.json(), { OK: true, Removed: 1 });
      await watcher.next((m) => m.action === 'presence' && m.username === 'pk-bot' && m.message === 'has been kicked from the room!');
      const last = await bot.poll();
      assert.equal(last.status, 400);
      const tail = last.body.messages.slice(-4);
      assert.deepEqual(tail, [chatServerError('Bye'), { action: 'disconnect' }, ...expired]);
      const after = await bot.poll();
      assert.equal(after.status, 400);
      assert.deepEqual(after.body, { messages: expired });
      assert.ok(!(await server.usernames()).includes('pk-bot'));
    } finally { await server.stop(); }
  });

  test('a refused login answers 200 without a session', async () => {
    const settings = settingsToml().replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true');
    const server = await Server.start({ settings });
    try {
      const bot = new PollClient(server);
      const refused = await bot.login('pj-nobody');
      assert.equal(refused.status, 200);
      assert.deepEqual(Object.keys(refused.body), ['messages']);
      assert.equal(refused.body.messages.at(-1).action, 'error');
      assert.match(refused.body.messages.at(-1).message, /^Server side authentication is required/);

      const jwtBot = new PollClient(server);
      const ok = await jwtBot.login('', { jwt: signJwt({ sub: 'pj-signed', op: true }) });
      assert.equal(ok.body.username, 'pj-signed');
      assert.equal(ok.body.messages[0].action, 'me');
      // A JWT user signing in again elsewhere signs the polling session out.
      const ws = await server.jwtUser({ sub: 'pj-signed' });
      assert.equal(ws.username, 'pj-signed');
      const gone = await jwtBot.poll();
      assert.equal(gone.status, 400);
      assert.deepEqual(gone.body.messages.slice(-4), [
        chatServerError('You have been signed out of chat because you logged in from another location.'),
        { action: 'disconnect' }, ...expired]);
      assert.deepEqual(await server.usernames(), ['pj-signed']);
    } finally { await server.stop(); }
  });

  test('a polling user who cannot keep up is dropped', async () => {
    const server = await Server.start();
    try {
      const slow = new PollClient(server);
      await slow.login('pt-slow');
      const ann = await server.guest('pt-ann');
      // 300 messages overflow its queue (256) before it polls again.
      for (let i = 0; i < 300; ++i) ann.send({ action: 'message', channel: 'lobby', message: `m${i}` });
      const presence = await ann.next(named('presence', 'pt-slow'));
      assert.equal(presence.message, 'has exited the room!');
      const dropped = await slow.poll();
      assert.equal(dropped.status, 400);
      assert.deepEqual(dropped.body, { messages: expired });
      assert.deepEqual(await server.usernames(), ['pt-ann']);
    } finally { await server.stop(); }
  });

  test('a polling user who stops polling times out', async () => {
    const server = await Server.start({ args: ['-poll-timeout', '2'] });
    try {
      const idle = new PollClient(server);
      await idle.login('pt-idle');
      const ann = await server.guest('pt-ann');
      const presence = await ann.next(named('presence', 'pt-idle'), 8000);
      assert.equal(presence.message, 'has timed out!');
      assert.deepEqual(await server.usernames(), ['pt-ann']);
      const late = await idle.poll();
      assert.equal(late.status, 400);
      assert.deepEqual(late.body, { messages: expired });
    } finally { await server.stop(); }
  });
});
