// DM history against the real binary with a real SQLite file: what is kept,
// /api/message/history, /usernames and /clear with their exact shapes, a
// takeback of a DM from an earlier session, and a restart that keeps it all.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, chatServerError, Server, settingsToml, signJwt } from './harness.mjs';

const withHistory = (enabled = true) => settingsToml(`[DirectMessageHistory]
Enabled = ${enabled}
SQLiteDatabase = 'history.sqlite'
RetentionDays = 90
DisclaimerMessage = ''
`).replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true');

const dateRe = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

async function dm(from, to, text) {
  from.send({ action: 'message', channel: `@${to.username}`, message: text });
  return to.next((m) => m.action === 'message' && m.channel === `@${from.username}`
    && m.username === from.username);
}

describe('DM history', () => {
  test('DMs are kept and paged newest first, with the exact shape', async () => {
    const server = await Server.start({ settings: withHistory() });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const ids = [];
      for (let i = 0; i < 22; ++i) {
        const [from, to] = i % 2 ? [bob, alice] : [alice, bob];
        ids.push((await dm(from, to, `dm **${i}**`)).msgID);
      }
      alice.send({ action: 'message', channel: 'lobby', message: 'public, not kept' });
      await bob.next('message');
      const ask = (body) => server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }), ...body });
      const res = await ask({ Username: 'bob' });
      assert.equal(res.status, 200);
      const text = await res.text();
      const page = JSON.parse(text);
      assert.equal(page.OK, true);
      assert.equal(page.Messages.length, 20);
      assert.equal(page.Remaining, 2);
      assert.deepEqual(page.Messages.map((m) => m.msgID), ids.slice(2).reverse());
      const newest = page.Messages[0];
      assert.deepEqual(Object.keys(newest), ['username', 'message', 'msgID', 'timestamp']);
      assert.equal(newest.username, 'bob');
      assert.equal(newest.message, '<p>dm <strong>21</strong></p>');
      assert.match(newest.timestamp, dateRe);
      assert.ok(text.startsWith('{\n  "OK": true,\n  "Messages": [\n    {\n      "username": "bob",\n'
        + '      "message": "\\u003cp\\u003edm \\u003cstrong\\u003e21\\u003c/strong\\u003e\\u003c/p\\u003e",\n'), text.slice(0, 200));
      const older = await (await ask({ Username: 'bob', BeforeID: page.Messages.at(-1).msgID })).json();
      assert.deepEqual(older.Messages.map((m) => m.msgID), ids.slice(0, 2).reverse());
      assert.equal(older.Remaining, 0);
      assert.deepEqual(await (await ask({ Username: 'nobody' })).json(), { OK: true, Messages: [], Remaining: 0 });
    } finally { await server.stop(); }
  });

  test('the partners list, and the errors of the history API', async () => {
    const server = await Server.start({ settings: withHistory() });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const carol = await server.jwtUser({ sub: 'carol' });
      await dm(alice, bob, 'to bob');
      await dm(alice, carol, 'to carol');
      const names = (body) => server.postJson('/api/message/usernames', { JWTToken: signJwt({ sub: 'alice' }), ...body });
      assert.deepEqual(await (await names({ Sort: 'a-z' })).json(),
        { OK: true, Usernames: ['bob', 'carol'], Count: 2, Pages: 1 });
      assert.deepEqual((await (await names({ Sort: 'newest' })).json()).Usernames, ['carol', 'bob']);
      assert.deepEqual((await (await names({ Sort: 'a-z', Page: 2 })).json()).Usernames, []);

      const dave = await server.jwtUser({ sub: 'dave' });
      const none = await server.postJson('/api/message/usernames', { JWTToken: signJwt({ sub: 'dave' }) });
      assert.equal(none.status, 500);
      assert.deepEqual(await none.json(), {
        OK: false, Error: 'you have no direct messages stored on this chat server', Usernames: null, Count: 0, Pages: 0,
      });
      const offline = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'zed' }), Username: 'alice' });
      assert.equal(offline.status, 400);
      assert.deepEqual(await offline.json(),
        { OK: false, Error: 'You are not logged into the chat room.', Messages: null, Remaining: 0 });
      const forged = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }, { secret: 'x' }) });
      assert.equal(forged.status, 400);
      assert.equal((await forged.json()).Error, 'signature is invalid');
      const noJwt = await server.postJson('/api/message/usernames', {});
      assert.deepEqual(await noJwt.json(),
        { OK: false, Error: 'JWT authentication is not available.', Usernames: null, Count: 0, Pages: 0 });
      const badType = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }), BeforeID: 'x' });
      assert.equal(badType.status, 400);
      await server.leave([dave]);
    } finally { await server.stop(); }
  });

  test('clear: a user erases their threads; the website may erase anyone\'s', async () => {
    const server = await Server.start({ settings: withHistory() });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const carol = await server.jwtUser({ sub: 'carol' });
      await dm(alice, bob, 'one');
      await dm(bob, alice, 'two');
      await dm(bob, carol, 'three');
      const mine = await server.postJson('/api/message/clear', { JWTToken: signJwt({ sub: 'alice' }), Username: 'carol' });
      assert.deepEqual(await mine.json(), { OK: true, MessagesErased: 2 });  // Username is ignored
      const site = await server.postJson('/api/message/clear', { APIKey: API_KEY, Username: 'carol' });
      assert.deepEqual(await site.json(), { OK: true, MessagesErased: 1 });
      const wrong = await server.postJson('/api/message/clear', { APIKey: 'nope', Username: 'bob' });
      assert.equal(wrong.status, 401);
      const history = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'bob' }), Username: 'alice' });
      assert.deepEqual((await history.json()).Messages, []);
    } finally { await server.stop(); }
  });

  test('history survives a restart; ids go on above it; an earlier session\'s DM can be taken back', async () => {
    const first = await Server.start({ settings: withHistory() });
    let lastId;
    try {
      const alice = await first.jwtUser({ sub: 'alice' });
      const bob = await first.jwtUser({ sub: 'bob' });
      await dm(alice, bob, 'before the restart');
      lastId = (await dm(bob, alice, 'mine, from before')).msgID;
    } finally { await first.stop({ keepDir: true }); }
    const server = await Server.start({ settings: null, cwd: first.dir });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const page = await (await server.postJson('/api/message/history',
        { JWTToken: signJwt({ sub: 'alice' }), Username: 'bob' })).json();
      assert.deepEqual(page.Messages.map((m) => m.message), ['<p>mine, from before</p>', '<p>before the restart</p>']);
      const next = await dm(alice, bob, 'after');
      assert.ok(next.msgID > lastId, 'a new id is above the stored ones');
      // alice may not take back bob's DM from before; bob may.
      alice.send({ action: 'takeback', msgID: lastId });
      assert.deepEqual(await alice.next('error'), chatServerError('That is not your message to take back.'));
      bob.send({ action: 'takeback', msgID: lastId });
      assert.deepEqual(await alice.next('takeback'), { action: 'takeback', msgID: lastId });
      const after = await (await server.postJson('/api/message/history',
        { JWTToken: signJwt({ sub: 'alice' }), Username: 'bob' })).json();
      assert.deepEqual(after.Messages.map((m) => m.message), ['<p>after</p>', '<p>before the restart</p>']);
    } finally { await server.stop(); }
  });

  test('a database that cannot be opened: a clear error at start-up, DMs still delivered', async () => {
    const settings = withHistory().replace("SQLiteDatabase = 'history.sqlite'",
      "SQLiteDatabase = '/proc/no-such-dir/history.sqlite'");
    const server = await Server.start({ settings });
    try {
      await server.waitForLog(/cannot open the DM history database \/proc\/no-such-dir\/history\.sqlite.*DMs will not be kept/);
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      assert.equal((await dm(alice, bob, 'still delivered')).message, '<p>still delivered</p>');
      const res = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }), Username: 'bob' });
      assert.equal(res.status, 500);
      assert.equal((await res.json()).Error, 'database is not initialized');
    } finally { await server.stop(); }
  });

  test('a database that can no longer grow (a full disk): DMs still delivered, the log says why', async () => {
    const server = await Server.start({ settings: withHistory(), fileSizeBlocks: 256 });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const text = 'x'.repeat(4000);
      for (let i = 0; i < 60; ++i) {
        assert.equal((await dm(alice, bob, `${i} ${text}`)).message, `<p>${i} ${text}</p>`);
      }
      await server.waitForLog(/DM history: \d+ change\(s\) not saved: (disk I\/O error|database or disk is full)/);
      const res = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }), Username: 'bob' });
      assert.equal(res.status, 200);
      const page = await res.json();
      assert.equal(page.OK, true);
      // What fitted is there, intact.
      assert.ok(page.Messages.length > 0 && page.Messages.length < 20, page.Messages.length);
      for (const m of page.Messages) assert.match(m.message, /^<p>\d+ x{4000}<\/p>$/);
      alice.send({ action: 'message', channel: 'lobby', message: 'the room goes on' });
      assert.equal((await bob.next('message')).message, '<p>the room goes on</p>');
    } finally { await server.stop(); }
  });

  test('with history off nothing is kept and the API says so', async () => {
    const server = await Server.start({ settings: withHistory(false) });
    try {
      await server.jwtUser({ sub: 'alice' });
      const res = await server.postJson('/api/message/history', { JWTToken: signJwt({ sub: 'alice' }), Username: 'bob' });
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { OK: false, Error: 'database is not initialized', Messages: null, Remaining: 0 });
      const clear = await server.postJson('/api/message/clear', { JWTToken: signJwt({ sub: 'alice' }) });
      assert.deepEqual(await clear.json(), { OK: false, Error: 'database is not initialized', MessagesErased: 0 });
    } finally { await server.stop(); }
  });
});
