// Operator commands against the real binary: the kick and ban sequences as a
// client sees them, a ban refused at login, the socket closed after
// `disconnect`, a non-operator's command posted as text, and arguments the
// original crashed on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chatServerError, Server, settingsToml } from './harness.mjs';

const say = (message) => ({ action: 'message', channel: 'lobby', message });

describe('operator commands', () => {
  let server;
  before(async () => { server = await Server.start(); });
  after(async () => { await server.stop(); });

  test('/kick: presence for all, notice and disconnect for the target, its socket closed', async () => {
    const op = await server.jwtUser({ sub: 'kop', op: true });
    const victim = await server.guest('kvictim');
    const watcher = await server.guest('kwatcher');
    op.send(say('/kick "kvictim"'));
    assert.deepEqual(await op.next('error'), chatServerError('kvictim has been kicked from the room'));
    assert.deepEqual(await watcher.next((m) => m.action === 'presence' && m.username === 'kvictim'
      && m.message === 'has been kicked from the room!'), {
      action: 'presence', username: 'kvictim', message: 'has been kicked from the room!',
    });
    assert.deepEqual(await victim.next('error'),
      chatServerError('You have been kicked from the chat room by kop'));
    await victim.next('disconnect');
    const closed = await victim.closed;  // the server does not wait for the client
    assert.equal(closed.code, 1000);
    assert.ok(!(await server.usernames()).includes('kvictim'));
    const seen = await watcher.sync();
    assert.ok(!seen.some((m) => m.action === 'message'), 'the command is not posted');
    await server.leave([op, watcher]);
  });

  test('/ban: the name is refused at login with the time left', async () => {
    const op = await server.jwtUser({ sub: 'bop', op: true });
    const victim = await server.guest('bvictim');
    op.send(say('/ban bvictim 3'));
    assert.deepEqual(await op.next('error'),
      chatServerError('bvictim has been banned from the room for 3 hours.'));
    assert.deepEqual(await victim.next('error'), chatServerError(
      'You have been banned from the chat room by bop. You may come back after 3 hours.'));
    await victim.closed;
    const again = await server.client();
    again.send({ action: 'login', username: 'bvictim' });
    const refusal = await again.next('error');
    assert.match(refusal.message, /^You are currently banned from entering the chat room\. .*Your ban expires in: 2h59m5\d(\.\d+)?s$/);
    await again.next('disconnect');
    await again.closed;
    op.send(say('/unban bvictim'));
    assert.deepEqual(await op.next('error'), chatServerError('The ban on bvictim has been lifted.'));
    const back = await server.guest('bvictim');
    assert.equal(back.username, 'bvictim');
    await server.leave([op, back]);
  });

  test("a non-operator's /kick is an ordinary message", async () => {
    const a = await server.guest('plain1');
    const b = await server.guest('plain2');
    a.send(say('/kick plain2'));
    const m = await b.next('message');
    assert.equal(m.username, 'plain1');
    assert.match(m.message, /\/kick plain2/);
    assert.ok((await server.usernames()).includes('plain2'));
    await server.leave([a, b]);
  });

  test('commands the original crashed on, and hostile arguments, get replies', async () => {
    const op = await server.jwtUser({ sub: 'hop', op: true });
    for (const [line, reply] of [
      ['/nsfw', /^Usage: `\/nsfw username`/],
      ['/cut', /^Usage: `\/cut username`/],
      ['/nsfw "no such user"', /^\/nsfw: username not found: no such user$/],
      ['/kick @', /<code>\/kick username<\/code>/],
      ['/op', /<code>\/op username<\/code>/],
      ['/ban "<script>" 1e9', /^&lt;script&gt; has been banned from the room for 24 hours\.$/],
    ]) {
      op.send(say(line));
      const m = await op.next('error');
      assert.match(m.message, reply, line);
    }
    op.send(say('/bans'));
    const bans = await op.next('error');
    assert.match(bans.message, /The listing of banned users currently includes:/);
    assert.ok(server.proc.exitCode === null, 'still running');
    await server.leave([op]);
  });
});

describe('/shutdown', () => {
  test('everybody gets the notice, then the process exits with status 1', async () => {
    const server = await Server.start();
    const op = await server.jwtUser({ sub: 'sop', op: true });
    const other = await server.guest('sother');
    op.send(say('/shutdown'));
    assert.deepEqual(await other.next('error'),
      chatServerError('The chat server is going down for a reboot NOW!'));
    assert.deepEqual(await server.exited, { code: 1, signal: null });
  });
});

describe('bans across a restart', () => {
  test('a ban survives the server restarting in the same place', async () => {
    const first = await Server.start();
    const op = await first.jwtUser({ sub: 'rop', op: true });
    op.send(say('/ban rvictim 5'));
    await op.next('error');
    await first.stop({ keepDir: true });
    const second = await Server.start({ cwd: first.dir });
    try {
      const c = await second.client();
      c.send({ action: 'login', username: 'rvictim' });
      const refusal = await c.next('error');
      assert.match(refusal.message, /Your ban expires in: 4h59m\d+(\.\d+)?s$/);
      await c.next('disconnect');
      const op2 = await second.jwtUser({ sub: 'rop', op: true });
      op2.send(say('/bans'));
      assert.match((await op2.next('error')).message, /<code>rvictim<\/code> banned until .* \(4h59m\d+s left\)/);
    } finally {
      await second.stop();
    }
  });
});

describe('reloading settings.toml', () => {
  const withChannel = (id) => settingsToml(`[[PublicChannels]]
ID = 'lobby'
Name = 'Lobby'
[[PublicChannels]]
ID = '${id}'
Name = 'Added'
`);
  const post = async (c, channel) => {
    c.send({ action: 'message', channel, message: 'hello' });
    return c.next((m) => m.action === 'message' || m.action === 'error');
  };

  test('/reconfigure applies the file; a broken file is refused with its line and changes nothing', async () => {
    const server = await Server.start();
    try {
      const op = await server.jwtUser({ sub: 'cop', op: true });
      const user = await server.guest('cuser');
      assert.equal((await post(user, 'added')).action, 'error');  // no such channel yet
      fs.writeFileSync(path.join(server.dir, 'settings.toml'), withChannel('added'));
      op.send(say('/reconfigure'));
      assert.deepEqual(await op.next('error'),
        chatServerError('The server config file has been reloaded successfully!'));
      assert.equal((await post(user, 'added')).action, 'message');

      fs.writeFileSync(path.join(server.dir, 'settings.toml'), 'Version = 17\nTitle = "unterminated\n');
      op.send(say('/reconfigure'));
      const refusal = await op.next('error');
      assert.match(refusal.message, /^Error reloading the server config: .*\(line 2, column \d+\)/);
      await server.waitForLog(/reloading settings\.toml: .*line 2/);
      assert.equal((await post(user, 'added')).action, 'message');  // old settings kept
      assert.ok(user.isOpen() && op.isOpen());
      await server.leave([op, user]);
    } finally {
      await server.stop();
    }
  });

  test('SIGHUP reloads it too, without dropping anyone', async () => {
    const server = await Server.start();
    try {
      const user = await server.guest('huser');
      fs.writeFileSync(path.join(server.dir, 'settings.toml'), withChannel('hupchan'));
      server.proc.kill('SIGHUP');
      await server.waitForLog(/settings\.toml reloaded/);
      assert.equal((await post(user, 'hupchan')).action, 'message');
      assert.ok(user.isOpen());
      await server.leave([user]);
    } finally {
      await server.stop();
    }
  });
});
