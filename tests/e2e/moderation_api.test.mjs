// The moderation endpoints of the web API against the real binary:
// /api/block/now, /api/disconnect/now and /api/amend-jwt, with their
// authentication and exact response bodies.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, chatServerError, Server, signJwt } from './harness.mjs';

describe('moderation API', () => {
  let server;
  before(async () => { server = await Server.start(); });
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  const post = (path, body) => server.postJson(path, { APIKey: API_KEY, ...body });

  test('/api/block/now: each user online blocks the others, offline names included', async () => {
    const alice = await server.guest('bn-alice');
    const bob = await server.guest('bn-bob');
    const res = await post('/api/block/now', { Usernames: ['bn-alice', 'bn-bob', 'bn-carol'] });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{\n  "OK": true\n}\n');
    const blocks = (frames) => frames.filter((m) => m.action === 'block').map((m) => m.username).sort();
    const aliceGot = await alice.sync();
    assert.deepEqual(blocks(aliceGot), ['bn-bob', 'bn-carol']);
    assert.deepEqual(blocks(await bob.sync()), ['bn-alice', 'bn-carol']);
    // They no longer see each other.
    const who = aliceGot.filter((m) => m.action === 'who').at(-1);
    assert.deepEqual(who.whoList.map((e) => e.username), ['bn-alice']);
    alice.send({ action: 'message', channel: '@bn-bob', message: 'hi' });
    const seen = await bob.sync();
    assert.ok(!seen.some((m) => m.action === 'message'), 'a DM between blocked users is not delivered');
  });

  test('/api/disconnect/now: presence, the message as is, disconnect; Removed counts the users online', async () => {
    const target = await server.guest('dn-target');
    const watcher = await server.guest('dn-watcher');
    const res = await post('/api/disconnect/now', {
      Usernames: ['dn-target', 'dn-nobody'], Message: '<b>Bye</b>', Kick: true,
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{\n  "OK": true,\n  "Removed": 1\n}\n');
    assert.deepEqual(await target.next('error'), chatServerError('<b>Bye</b>'));
    await target.next('disconnect');
    assert.equal((await target.closed).code, 1000);
    await watcher.next((m) => m.action === 'presence' && m.username === 'dn-target'
      && m.message === 'has been kicked from the room!');
    assert.ok(!(await server.usernames()).includes('dn-target'));

    const none = await post('/api/disconnect/now', { Usernames: ['dn-nobody'] });
    assert.deepEqual(await none.json(), { OK: true, Removed: 0 });
  });

  test('/api/amend-jwt: new claims for a JWT user online; 404 offline, 401 for a bad token or key', async () => {
    const amy = await server.jwtUser({ sub: 'aj-amy', nick: 'Amy' });
    const other = await server.guest('aj-other');
    const token = signJwt({ sub: 'aj-amy', nick: 'Amy2', op: true });
    const res = await post('/api/amend-jwt', { Username: 'aj-amy', JWTToken: token });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { OK: true });
    const ping = await amy.next('ping');
    assert.ok(ping.jwt, 'a fresh token');
    const me = await amy.next('me');
    assert.equal(me.username, 'aj-amy');  // the name stays
    const who = await other.next((m) => m.action === 'who'
      && m.whoList.some((e) => e.username === 'aj-amy' && e.op && e.nickname === 'Amy2'));
    assert.ok(who);

    const offline = await post('/api/amend-jwt', { Username: 'aj-nobody', JWTToken: token });
    assert.equal(offline.status, 404);
    assert.deepEqual(await offline.json(), { OK: false, Error: 'User aj-nobody is not online.' });
    const forged = await post('/api/amend-jwt', { Username: 'aj-amy', JWTToken: signJwt({ sub: 'x' }, { secret: 'wrong' }) });
    assert.equal(forged.status, 401);
    assert.deepEqual(await forged.json(), { OK: false, Error: 'Invalid JWT token.' });
    const badKey = await server.postJson('/api/amend-jwt', { APIKey: 'nope', Username: 'aj-amy', JWTToken: token });
    assert.equal(badKey.status, 401);
    const badBody = await server.postJson('/api/block/now', '{"APIKey": "' + API_KEY + '", "Usernames": "x"}');
    assert.equal(badBody.status, 400);
    assert.ok(amy.isOpen() && other.isOpen());
  });
});
