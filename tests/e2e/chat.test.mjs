// Chatting over /ws with real WebSocket clients: login, channels, DMs, who
// lists, echo, takeback, reactions, typing, presence.
//
// The tests share one server: each uses names of its own, and afterEach waits
// until the room has seen its clients leave, so that no late exit notice or
// who list reaches the next test.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Server, chatServerError } from './harness.mjs';

describe('chat', () => {
  let server;
  before(async () => { server = await Server.start(); });
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  test('a guest login gets me, who, echo, its own join notice and the welcome messages', async () => {
    const c = await server.client();
    c.send({ action: 'login', username: 'alice' });
    assert.deepEqual(await c.next(), { action: 'me', username: 'alice' });
    const who = await c.next();
    assert.equal(who.action, 'who');
    assert.ok(who.whoList.some((u) => u.username === 'alice' && u.status === 'online' && u.op === false));
    assert.equal((await c.next()).action, 'echo');
    assert.deepEqual(await c.next(), { action: 'presence', username: 'alice', message: 'has joined the room!' });
    assert.deepEqual(await c.next(), chatServerError('<p>Welcome to the chat server!</p>', 'lobby'));
    assert.equal(c.frames[0], '{"action":"me","username":"alice"}');
  });

  test('others see the newcomer in the who list before the join notice', async () => {
    const a = await server.guest('watcher1');
    const b = await server.client();
    b.send({ action: 'login', username: 'newcomer1' });
    const joined = { action: 'presence', username: 'newcomer1', message: 'has joined the room!' };
    await a.next((m) => m.action === 'presence' && m.username === 'newcomer1');
    const seen = await a.sync();
    const listed = seen.findIndex((m) => m.action === 'who' && m.whoList.some((u) => u.username === 'newcomer1'));
    const notice = seen.findIndex((m) => m.action === 'presence' && m.username === 'newcomer1');
    assert.deepEqual(seen[notice], joined);
    assert.ok(listed >= 0 && listed < notice, `who list at ${listed}, join notice at ${notice}`);
  });

  test('taken names get a number, an empty name is anonymous', async () => {
    const a = await server.guest('twin');
    const b = await server.guest('twin');
    const c = await server.guest('');
    assert.equal(a.username, 'twin');
    assert.equal(b.username, 'twin 2');
    assert.equal(c.username, 'anonymous');
  });

  test('public messages reach everyone with increasing message IDs', async () => {
    const a = await server.guest('pa');
    const b = await server.guest('pb');
    a.send({ action: 'message', channel: 'lobby', message: 'Hello *world*' });
    const got = await b.next('message');
    assert.equal(got.username, 'pa');
    assert.equal(got.channel, 'lobby');
    assert.equal(got.message, '<p>Hello <em>world</em></p>');
    const mine = await a.next('message');
    assert.equal(mine.msgID, got.msgID);
    // On the wire, as the original's encoder writes it.
    assert.ok(b.frames.some((f) => f.includes('"message":"\\u003cp\\u003eHello \\u003cem\\u003eworld')));
    a.send({ action: 'message', channel: 'offtopic', message: 'second' });
    assert.equal((await b.next('message')).msgID, got.msgID + 1);
    // A single newline is a soft break, as in the original.
    a.send({ action: 'message', channel: 'lobby', message: 'line one\nline two' });
    assert.equal((await b.next('message')).message, '<p>line one\nline two</p>');
  });

  test('direct messages go to the two parties only', async () => {
    const a = await server.guest('da');
    const b = await server.guest('db');
    const c = await server.guest('dc');
    a.send({ action: 'message', channel: '@db', message: 'psst' });
    const echo = await a.next('message');
    const got = await b.next('message');
    assert.equal(echo.channel, '@db');
    assert.equal(got.channel, '@da');
    assert.equal(got.message, '<p>psst</p>');
    assert.equal(echo.msgID, got.msgID);
    // The room has sent the DM (b has it): whatever it sent c came before this sync.
    assert.deepEqual((await c.sync()).filter((m) => m.action === 'message'), []);
    a.send({ action: 'message', channel: '@nobody', message: 'hello?' });
    await a.next('message');
    assert.deepEqual(await a.next(), chatServerError('Could not deliver your message: @nobody appears not to be online.'));
  });

  test('echo replays recent lobby history to a newcomer, without taken-back messages', async () => {
    const a = await server.guest('ea');
    a.send({ action: 'message', channel: 'lobby', message: 'keep me' });
    a.send({ action: 'message', channel: 'lobby', message: 'take me back' });
    await a.next('message');
    const gone = await a.next('message');
    a.send({ action: 'takeback', msgID: gone.msgID });
    assert.deepEqual(await a.next('takeback'), { action: 'takeback', msgID: gone.msgID });
    const b = await server.client();
    b.send({ action: 'login', username: 'eb' });
    const echo = await b.next('echo');
    const texts = echo.messages.map((m) => m.message);
    assert.ok(texts.includes('<p>keep me</p>'));
    assert.ok(!texts.includes('<p>take me back</p>'));
    assert.match(echo.messages.at(-1).timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  });

  test('only your own messages can be taken back', async () => {
    const a = await server.guest('ta');
    const b = await server.guest('tb');
    a.send({ action: 'message', channel: 'lobby', message: 'mine' });
    const m = await b.next('message');
    b.send({ action: 'takeback', msgID: m.msgID });
    assert.deepEqual(await b.next('error'), chatServerError('That is not your message to take back.'));
  });

  test('reactions reach the room; reactions to a DM stay between its parties', async () => {
    const a = await server.guest('ra');
    const b = await server.guest('rb');
    const c = await server.guest('rc');
    a.send({ action: 'message', channel: 'lobby', message: 'react to me' });
    const pub = await c.next('message');
    b.send({ action: 'react', msgID: pub.msgID, message: '❤️' });
    assert.deepEqual(await c.next('react'), { action: 'react', username: 'rb', message: '❤️', msgID: pub.msgID });
    a.send({ action: 'message', channel: '@rb', message: 'private' });
    const dm = await b.next((m) => m.action === 'message' && m.channel === '@ra');
    b.send({ action: 'react', msgID: dm.msgID, message: '👍' });
    await a.next((m) => m.action === 'react' && m.msgID === dm.msgID);
    const seen = await c.sync();
    assert.equal(seen.filter((m) => m.action === 'react' && m.msgID === pub.msgID).length, 1);
    assert.deepEqual(seen.filter((m) => m.action === 'react' && m.msgID === dm.msgID), []);
    assert.ok(!seen.some((m) => m.action === 'message' && m.msgID === dm.msgID));
  });

  test('typing notices go to the DM partner only', async () => {
    const a = await server.guest('ya');
    const b = await server.guest('yb');
    const c = await server.guest('yc');
    a.send({ action: 'typing', channel: '@yb' });
    assert.deepEqual(await b.next('typing'), { action: 'typing', channel: '@ya', username: 'ya' });
    assert.deepEqual((await c.sync()).filter((m) => m.action === 'typing'), []);
    assert.deepEqual((await a.sync()).filter((m) => m.action === 'typing'), []);
  });

  test('me sets status, dnd and video flags as others see them', async () => {
    const a = await server.guest('ma');
    const b = await server.guest('mb');
    a.send({ action: 'me', video: 1, status: 'away', dnd: true });
    // The first list that shows the change shows all of it.
    const who = await b.next((m) => m.action === 'who' && m.whoList.find((u) => u.username === 'ma')?.status === 'away');
    const entry = who.whoList.find((u) => u.username === 'ma');
    assert.equal(entry.video, 1);
    assert.equal(entry.status, 'away');
    assert.equal(entry.dnd, true);
  });

  test('a closed connection is announced, then dropped from the who list', async () => {
    const a = await server.guest('xa');
    const b = await server.guest('xb');
    await a.sync();
    b.close();
    assert.deepEqual(await a.next((m) => m.action === 'presence' && m.username === 'xb'),
      { action: 'presence', username: 'xb', message: 'has exited the room!' });
    const who = await a.next('who');
    assert.ok(!who.whoList.map((u) => u.username).includes('xb'));
  });

  test('mute hides a user\'s public messages; block hides both from each other', async () => {
    const a = await server.guest('ba');
    const b = await server.guest('bb');
    const c = await server.guest('bc');
    b.send({ action: 'mute', username: 'ba' });
    c.send({ action: 'block', username: 'ba' });
    // The list that follows the block no longer shows the blocked user.
    await c.next((m) => m.action === 'who' && !m.whoList.some((u) => u.username === 'ba'));
    await b.sync();  // the mute is in place
    a.send({ action: 'message', channel: 'lobby', message: 'can you hear me' });
    await a.next('message');
    for (const x of [b, c]) {
      assert.deepEqual((await x.sync()).filter((m) => m.action === 'message'), []);
    }
    // Still there for the others, whom the relations do not concern.
    const d = await server.guest('bd');
    a.send({ action: 'message', channel: 'lobby', message: 'and you?' });
    assert.equal((await d.next('message')).username, 'ba');
  });

  test('nothing reaches other users before login', async () => {
    const a = await server.guest('na');
    const anon = await server.client();
    for (const m of [
      { action: 'message', channel: 'lobby', message: 'sneaky' },
      { action: 'react', msgID: 1, message: 'x' },
      { action: 'typing', channel: '@na' },
    ]) {
      anon.send(m);
      assert.deepEqual(await anon.next(), chatServerError('You must log in first.'));
    }
    assert.deepEqual((await a.sync()).filter((m) => ['message', 'react', 'typing'].includes(m.action)), []);
  });

  test('settings sent before login are kept for it', async () => {
    const a = await server.guest('ka');
    const b = await server.client();
    b.send({ action: 'me', video: 1, status: 'away' });
    b.send({ action: 'blocklist', usernames: ['ka'] });
    b.send({ action: 'login', username: 'kb' });
    const who = await b.next('who');
    const names = who.whoList.map((u) => u.username);
    assert.ok(names.includes('kb'));
    assert.ok(!names.includes('ka'), 'the blocklist applies from the first who list');
    assert.equal(who.whoList.find((u) => u.username === 'kb').status, 'away');
  });
});
