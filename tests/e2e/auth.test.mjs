// JWT sign-in over /ws: the website's token decides the username and the
// operator flag; forged, expired and wrong-algorithm tokens are refused.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Server, chatServerError, settingsToml, signJwt } from './harness.mjs';

const EXPIRED = 'Your authentication has expired. Please go back and launch the chat room again.';
const REQUIRED = 'Server side authentication is required. Please go back and launch the chat room from your logged-in account.';

async function loginReply(server, jwt, username = 'typed') {
  const c = await server.client();
  c.send({ action: 'login', username, jwt });
  const first = await c.next();
  return { c, first };
}

describe('JWT sign-in (JWT disabled: tokens are still honoured, guests allowed)', () => {
  let server;
  before(async () => { server = await Server.start(); });
  // Each test's users have left (as the room sees it) before the next starts.
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  test('the token\'s subject becomes the username, with its claims in the who list', async () => {
    const token = signJwt({ sub: 'jw', nick: 'Nick J', op: true, vip: true, img: '/av.png', url: '/u/jw', emoji: '🙂', gender: 'f' });
    const { c, first } = await loginReply(server, token, 'somethingelse');
    assert.deepEqual(first, { action: 'me', username: 'jw' });
    const who = await c.next('who');
    const entry = who.whoList.find((u) => u.username === 'jw');
    assert.ok(Math.abs(entry.loginAt - Date.now() / 1000) < 60, `loginAt ${entry.loginAt}`);
    assert.deepEqual(entry, {
      username: 'jw', nickname: 'Nick J', status: 'online', video: 0, loginAt: entry.loginAt,
      op: true, vip: true, avatar: '/av.png', profileURL: '/u/jw', emoji: '🙂', gender: 'f',
    });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const forged = {
    'a wrong secret': () => signJwt({ sub: 'x' }, { secret: 'not-the-secret' }),
    'alg none': () => {
      const t = signJwt({ sub: 'x' }, { header: { alg: 'none', typ: 'JWT' } });
      return t.slice(0, t.lastIndexOf('.') + 1);
    },
    'an RS256 header': () => signJwt({ sub: 'x' }, { header: { alg: 'RS256', typ: 'JWT' } }),
    'an HS512 header': () => signJwt({ sub: 'x' }, { header: { alg: 'HS512', typ: 'JWT' } }),
    'an expired token': () => signJwt({ sub: 'x', exp: now() - 60 }),
    'a token not valid yet': () => signJwt({ sub: 'x', nbf: now() + 600 }),
    'garbage': () => 'garbage',
    'a claim of the wrong type': () => signJwt({ sub: 'x', op: 'true' }),
  };
  for (const [i, [name, make]] of Object.entries(forged).entries()) {
    test(`${name} is refused and the connection may retry`, async () => {
      const { c, first } = await loginReply(server, make());
      assert.deepEqual(first, chatServerError(EXPIRED));
      c.send({ action: 'message', channel: 'lobby', message: 'am I in?' });
      assert.deepEqual(await c.next(), chatServerError('You must log in first.'));
      c.send({ action: 'login', jwt: signJwt({ sub: `retry${i}` }) });
      assert.deepEqual(await c.next(), { action: 'me', username: `retry${i}` });
    });
  }

  test('a JWT login signs out whoever holds the name, without an exit notice', async () => {
    const watcher = await server.guest('watcher');
    const old = await server.guest('taken');
    await watcher.sync();
    const fresh = await server.jwtUser({ sub: 'taken' });
    assert.equal(fresh.username, 'taken');
    assert.deepEqual(await old.next(), chatServerError('You have been signed out of chat because you logged in from another location.'));
    assert.deepEqual(await old.next(), { action: 'disconnect' });
    // The server closes the old socket shortly after.
    const closed = await old.closed;
    assert.equal(closed.code, 1000);
    // Once the new holder has left too (and the room has seen it), the
    // watcher has every notice about the name: one exit, the new holder's.
    await server.leave([fresh]);
    const exits = (await watcher.sync()).filter((m) => m.action === 'presence' && m.username === 'taken' &&
      m.message === 'has exited the room!');
    assert.equal(exits.length, 1);
  });
});

describe('JWT sign-in in strict mode', () => {
  let server;
  before(async () => {
    server = await Server.start({ settings: settingsToml().replace('Enabled = false', 'Enabled = true') });
  });
  after(async () => { await server.stop(); });

  test('a login without a token is refused', async () => {
    const { c, first } = await loginReply(server, undefined);
    assert.deepEqual(first, chatServerError(REQUIRED));
    c.send({ action: 'login', username: 'guest', jwt: '' });
    assert.deepEqual(await c.next(), chatServerError(REQUIRED));
    c.close();
  });

  test('a valid token logs in', async () => {
    const { c, first } = await loginReply(server, signJwt({ sub: 'member' }));
    assert.deepEqual(first, { action: 'me', username: 'member' });
    c.close();
  });

  test('an invalid token gets the expired text', async () => {
    const { c, first } = await loginReply(server, signJwt({ sub: 'm' }, { secret: 'bad' }));
    assert.deepEqual(first, chatServerError(EXPIRED));
    c.close();
  });
});

describe('JWT sign-in in non-strict mode', () => {
  let server;
  before(async () => {
    server = await Server.start({
      settings: settingsToml().replace('Enabled = false', 'Enabled = true').replace('Strict = true', 'Strict = false'),
    });
  });
  after(async () => { await server.stop(); });

  test('guests and token holders both get in', async () => {
    const g = await server.guest('guest');
    assert.equal(g.username, 'guest');
    const m = await server.jwtUser({ sub: 'member' });
    assert.equal(m.username, 'member');
    g.close();
    m.close();
  });
});

describe('JWT with an empty secret', () => {
  let server;
  before(async () => {
    server = await Server.start({ settings: settingsToml().replace("SecretKey = 'e2e-secret'", "SecretKey = ''") });
  });
  after(async () => { await server.stop(); });

  test('no token is ever accepted, even one signed with the empty key', async () => {
    const { c, first } = await loginReply(server, signJwt({ sub: 'root', op: true }, { secret: '' }));
    assert.deepEqual(first, chatServerError(EXPIRED));
    c.close();
  });
});
