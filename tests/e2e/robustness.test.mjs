// Bad input over the WebSocket gets a clear answer and disturbs nobody else;
// a client that stops reading is dropped instead of growing server memory.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { SANITIZED, Server, chatServerError, settingsToml } from './harness.mjs';

describe('bad frames', () => {
  let server;
  let bystander;
  before(async () => {
    server = await Server.start({ settings: settingsToml('WebSocketReadLimit = 4096') });
    bystander = (await server.guest('bystander')).keep();
  });
  // Each test's connections have left (as the room sees it) before the next starts.
  afterEach(async () => { await server.leaveAll(); });
  after(async () => {
    bystander.close();
    await server.stop();
  });

  // After each case the bystander must still be served normally.
  async function bystanderStillWorks() {
    bystander.send({ action: 'message', channel: 'lobby', message: 'still here' });
    const m = await bystander.next((x) => x.action === 'message' && x.username === 'bystander');
    assert.equal(m.message, '<p>still here</p>');
  }

  const cases = {
    'not JSON': ['not json', /not valid JSON/],
    'a JSON array': ['[1,2,3]', /expected a JSON object/],
    'a JSON string': ['"login"', /expected a JSON object/],
    'an unknown action': ['{"action":"dance"}', /^Unsupported message type: dance$/],
    'a missing action': ['{"username":"x"}', /^Unsupported message type: $/],
    'a field of the wrong type': ['{"action":"login","username":42}', /"username" must be a string/],
    'an object where a string belongs': ['{"action":"candidate","username":"x","candidate":{"a":1}}', /"candidate" must be a string/],
    'deeply nested JSON': ['['.repeat(3000), /not valid JSON/],
    'a relation without a username': ['{"action":"mute"}', /^That action needs a username\.$/],
  };
  for (const [name, [frame, expected]] of Object.entries(cases)) {
    test(`${name} gets an error and the connection stays usable`, async () => {
      const c = await server.client();
      c.send(frame);
      const err = await c.next();
      assert.equal(err.action, 'error');
      assert.equal(err.username, 'ChatServer');
      assert.match(err.message, expected);
      c.send({ action: 'login', username: `after-${name.replaceAll(' ', '-')}` });
      assert.equal((await c.next()).action, 'me');
      await bystanderStillWorks();
    });
  }

  test('a message without a channel or text gets an error or nothing, never a post', async () => {
    const c = await server.guest('fieldless');
    c.send({ action: 'message', message: 'where to?' });
    assert.match((await c.next()).message, /no channel named ""/);
    c.send({ action: 'message', channel: 'lobby' });
    c.send({ action: 'message', channel: '@', message: 'nobody' });
    const rest = await c.sync();
    assert.ok(!rest.some((m) => m.action === 'message' && m.channel === 'lobby'));
    await bystanderStillWorks();
  });

  test('invalid UTF-8 in a text frame gets an error', async () => {
    const c = await server.client();
    c.ws.send(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    const err = await c.next();
    assert.equal(err.action, 'error');
    assert.match(err.message, /not valid JSON/);
    await bystanderStillWorks();
  });

  test('binary frames get an error and are ignored', async () => {
    const c = await server.client();
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.deepEqual(await c.next(), chatServerError('Binary WebSocket messages are not supported: send JSON text messages.'));
    c.send({ action: 'login', username: 'binary-sender' });
    assert.equal((await c.next()).action, 'me');
  });

  test('a frame over WebSocketReadLimit closes that connection with 1009', async () => {
    const c = await server.guest('big-sender');
    c.send({ action: 'message', channel: 'lobby', message: 'x'.repeat(5000) });
    const { code } = await c.closed;
    assert.equal(code, 1009);
    await bystanderStillWorks();
  });

  const hostile = {
    'full of control characters': 'a\u0001b\u0007',
    'with a right-to-left override': 'evil\u202eman',
    'with HTML': '<img src=x onerror=alert(1)>',
    'too long': 'x'.repeat(65),
    'starting with @': '@admin',
    'the server\'s own name': 'ChatServer',
  };
  for (const [name, username] of Object.entries(hostile)) {
    test(`a username ${name} is refused with a reason`, async () => {
      const c = await server.client();
      c.send({ action: 'login', username });
      const err = await c.next();
      assert.equal(err.action, 'error');
      assert.match(err.message, /username/i);
      c.send({ action: 'message', channel: 'lobby', message: 'hi' });
      assert.deepEqual(await c.next(), chatServerError('You must log in first.'));
    });
  }

  test('a plain HTTP request to /ws is answered, not upgraded', async () => {
    const res = await server.fetch('/ws');
    assert.equal(res.status, 426);
  });

  test('an upgrade from a foreign Origin is refused', async () => {
    const c = new (await import('ws')).default(server.wsUrl, { headers: { Origin: 'http://evil.example' } });
    const status = await new Promise((resolve) => c.on('unexpected-response', (_, res) => resolve(res.statusCode)));
    assert.equal(status, 403);
  });

  test('garbage instead of HTTP closes only that connection', async () => {
    await new Promise((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => s.write('\x00\x01\x02 not http\r\n\r\n'));
      s.on('close', resolve);
      s.on('error', resolve);
    });
    await bystanderStillWorks();
  });
});

describe('a client that stops reading', () => {
  test('is dropped with a logged reason while the others keep chatting', async () => {
    // The send timeout (10 s by default) would also drop it once the flood
    // takes that long (a loaded machine, the sanitizer build): the byte cap is
    // what this test is about.
    const server = await Server.start({
      settings: settingsToml('WebSocketReadLimit = 131072\nWebSocketSendTimeout = 600'),
    });
    try {
      const slow = await server.guest('slow');
      const talker = await server.guest('talker');
      const observer = await server.guest('observer');
      slow.ws._socket.pause();  // stop reading: the server's queue for it fills up

      // The talker's messages each reader got, counted without the harness's
      // bookkeeping (which would parse and keep the 42 MB each one receives).
      const readers = [talker, observer];
      const got = new Map(readers.map((c) => [c, 0]));
      let wake = () => {};
      for (const c of readers) {
        c.ws.removeAllListeners('message');
        c.ws.on('message', (d) => {
          if (d.includes('"username":"talker"')) got.set(c, got.get(c) + 1);
          wake();
        });
        c.closed.then(() => wake());
      }
      // Resolves once every reader got `n` messages; fails if one was dropped.
      const readersGot = async (n) => {
        for (;;) {
          const dropped = readers.find((c) => !c.isOpen());
          if (dropped) throw new Error(`${dropped.username} was disconnected:\n${server.log.slice(-2000)}`);
          if (Math.min(...got.values()) >= n) return;
          await new Promise((resolve) => { wake = resolve; });
        }
      };

      // The talker stays at most `ahead` messages (2.4 MB) ahead of what the
      // readers got, so they never come near the server's 16 MiB cap however
      // loaded the machine is (on a busy one, an unpaced flood dropped the
      // observer as well); the slow client reads nothing and passes it.
      const chunk = 'y'.repeat(60000);
      const total = 700;  // ~42 MB to every reader: past the socket buffers and the outbox cap
      const ahead = 40;
      for (let i = 0; i < total; i++) {
        if (i >= ahead) await readersGot(i - ahead);
        talker.send({ action: 'message', channel: 'lobby', message: `${i} ${chunk}` });
      }
      await readersGot(total);  // the readers got everything
      await server.waitForLog(/ws #\d+ .*: disconnected: connection too slow to keep up with messages/, 10000);
      const stats = await (await server.fetch('/api/statistics')).json();
      assert.ok(!stats.Usernames.includes('slow'));
      assert.ok(stats.Usernames.includes('observer'));
      assert.equal(server.log.match(/connection too slow/g).length, 1, 'only the slow client was dropped');
      const metrics = await (await server.fetch('/metrics')).text();
      assert.match(metrics, /^barertc_slow_consumers_dropped_total\{transport="websocket"\} 1$/m);
      // Unbounded, the server would hold all 42 MB for the slow client (the
      // sanitizer build's own overhead makes its figure meaningless).
      if (!SANITIZED) assert.ok(server.rssKiB() < 100 * 1024, `server RSS ${server.rssKiB()} KiB`);
    } finally {
      for (const c of server.clients) c.close();
      await server.stop();
    }
  });
});
