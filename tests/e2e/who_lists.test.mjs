// Who lists over real sockets: the who-delta extension
// (docs/protocol-extensions.md) next to the original protocol, and big lists
// that a client reads slowly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Server, settingsToml, signJwt, sleep } from './harness.mjs';

// A client's who list as the extension's pseudocode keeps it.
function trackWho(client) {
  const list = new Map();
  client.ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.action === 'who') {
      list.clear();
      for (const e of m.whoList ?? []) list.set(e.username, e);
    } else if (m.action === 'who-delta') {
      for (const name of m.remove ?? []) list.delete(name);
      for (const e of m.set ?? []) list.set(e.username, e);
    }
  });
  return () => [...list.values()].sort((a, b) => (a.username < b.username ? -1 : 1));
}

const lastWho = (client) => {
  const whos = client.frames.map((f) => JSON.parse(f)).filter((m) => m.action === 'who');
  return whos.at(-1)?.whoList ?? [];
};

describe('who-list deltas', () => {
  test('a client that asks gets one full list, then only the changes', async () => {
    const server = await Server.start();
    try {
      const d = await server.client();
      const listOfD = trackWho(d);
      d.send({ action: 'login', username: 'delta', extensions: ['who-delta'] });
      assert.deepEqual(await d.next('me'), { action: 'me', username: 'delta', extensions: ['who-delta'] });
      assert.deepEqual((await d.next('who')).whoList.map((e) => e.username), ['delta']);

      const legacy = await server.guest('legacy');
      const other = await server.guest('other');
      other.send({ action: 'me', video: 1, status: 'away' });
      await d.settle();
      await legacy.settle();
      // Both see the same room (no relations): the assembled list equals the full one.
      assert.deepEqual(listOfD(), lastWho(legacy));
      assert.equal(listOfD().find((e) => e.username === 'other').video, 1);
      const kinds = d.frames.map((f) => JSON.parse(f).action).filter((a) => a.startsWith('who'));
      assert.equal(kinds.filter((k) => k === 'who').length, 1);
      assert.ok(kinds.filter((k) => k === 'who-delta').length >= 2);

      other.close();
      await legacy.next((m) => m.action === 'who' && !m.whoList.some((e) => e.username === 'other'));
      await d.settle();
      await legacy.settle();
      assert.deepEqual(listOfD().map((e) => e.username), ['delta', 'legacy']);
      assert.deepEqual(listOfD(), lastWho(legacy));
      d.close();
      legacy.close();
    } finally {
      await server.stop();
    }
  });

  test('a client that does not ask sees the original protocol', async () => {
    const server = await Server.start();
    try {
      const c = await server.client();
      c.send({ action: 'login', username: 'plain', extensions: ['no-such-thing'] });
      assert.deepEqual(await c.next('me'), { action: 'me', username: 'plain' });
      const d = await server.guest('d');
      d.send({ action: 'me', video: 1, status: 'online' });
      await c.settle(200);
      const actions = c.frames.map((f) => JSON.parse(f).action);
      assert.ok(!actions.includes('who-delta'));
      assert.equal(lastWho(c).find((e) => e.username === 'd').video, 1);
      c.close();
      d.close();
    } finally {
      await server.stop();
    }
  });
});

describe('big who lists', () => {
  test('a client reading a big who list slowly is not dropped, and gets the newest list', async () => {
    // One user's avatar makes every list ~20 MB: more than the socket buffers
    // hold, so writing it to a client that does not read blocks for longer
    // than the send timeout (1 s here).
    const server = await Server.start({ settings: settingsToml('WebSocketSendTimeout = 1\nWhoListBytesPerSecond = 0') });
    const clients = [];
    try {
      const fat = await server.client();
      clients.push(fat);
      fat.send({ action: 'login', jwt: signJwt({ sub: 'fat', img: `/${'x'.repeat(20 << 20)}` }) });
      await fat.next('who', 20000);
      const slow = await server.guest('slow');
      clients.push(slow);
      slow.ws._socket.pause();
      const a = await server.guest('a');
      clients.push(a);
      await sleep(3000);  // the list to `slow` is stuck mid-write all this time
      const b = await server.guest('b');
      clients.push(b);
      slow.ws._socket.resume();
      const closed = await Promise.race([slow.closed.then(() => true), sleep(5000).then(() => false)]);
      assert.equal(closed, false, 'the slow reader was disconnected');
      const final = await slow.next((m) => m.action === 'who' && m.whoList.length === 4, 20000);
      assert.deepEqual(final.whoList.map((e) => e.username), ['a', 'b', 'fat', 'slow']);
      assert.doesNotMatch(server.log, /disconnected: write timed out/);
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  });
});
