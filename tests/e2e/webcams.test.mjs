// Webcams between real WebSocket clients: open/ring, the signaling relay
// inside a session, watch notices, every refusal, and the privacy rules.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Server, chatServerError, settingsToml } from './harness.mjs';

const cannot = (reason) => chatServerError(`Could not open that video: ${reason}`);
const NO_PERMISSION = cannot('You do not have permission to view that camera.');

describe('webcams', () => {
  let server;
  before(async () => {
    server = await Server.start({
      settings: settingsToml(`
[[ModerationRule]]
Username = 'nowatch'
NoVideo = true
`),
    });
  });
  // Each test's users have left (as the room sees it) before the next starts.
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  // A broadcaster with `video` flags, seen by the others.
  async function broadcaster(name, video) {
    const c = await server.guest(name);
    c.send({ action: 'me', video, status: 'online' });
    await c.next((m) => m.action === 'who' && m.whoList.some((u) => u.username === name && u.video === video));
    await c.sync();
    return c;
  }

  test('open rings the broadcaster; sdp and candidates flow between the two only', async () => {
    const bc = await broadcaster('bc1', 1);
    const vw = await server.guest('vw1');
    const other = await server.guest('other1');
    vw.send({ action: 'open', username: 'bc1' });
    const opened = await vw.next('open');
    const ring = await bc.next('ring');
    assert.equal(opened.username, 'bc1');
    assert.equal(ring.username, 'vw1');
    assert.match(opened.openSecret, /^[a-z]{16}$/);
    assert.equal(ring.openSecret, opened.openSecret);

    const offer = JSON.stringify({ type: 'offer', sdp: 'v=0' });
    vw.send({ action: 'sdp', username: 'bc1', description: offer });
    assert.deepEqual(await bc.next('sdp'), { action: 'sdp', username: 'vw1', description: offer });
    const cand = JSON.stringify({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' });
    bc.send({ action: 'candidate', username: 'vw1', candidate: cand });
    assert.deepEqual(await vw.next('candidate'), { action: 'candidate', username: 'bc1', candidate: cand });
    vw.send({ action: 'watch', username: 'bc1' });
    assert.deepEqual(await bc.next('watch'), { action: 'watch', username: 'vw1' });

    // A third user with no session can neither inject nor be reached.
    await bc.sync();
    await vw.sync();
    other.send({ action: 'sdp', username: 'bc1', description: offer });
    other.send({ action: 'candidate', username: 'vw1', candidate: cand });
    other.send({ action: 'watch', username: 'bc1' });
    await other.sync();  // the room has handled the three
    const seen = [...await bc.sync(), ...await vw.sync()];
    assert.ok(!seen.some((m) => ['sdp', 'candidate', 'watch'].includes(m.action)));
  });

  test('refusals: offline, camera off, mutual required, VIP only', async () => {
    await server.guest('off2');  // its camera is off
    const vw = await server.guest('vw2');
    vw.send({ action: 'open', username: 'ghost' });
    assert.deepEqual(await vw.next('error'), cannot('ghost appears to be offline.'));
    vw.send({ action: 'open', username: 'off2' });
    assert.deepEqual(await vw.next('error'), cannot('Their video is not currently enabled.'));
    const mutual = await broadcaster('mutual2', 1 | 16);
    vw.send({ action: 'open', username: 'mutual2' });
    assert.deepEqual(await vw.next('error'), cannot('mutual2 has requested that you should share your own camera too before opening theirs.'));
    mutual.send({ action: 'video-invite', usernames: ['vw2'] });
    const who = await vw.next((m) => m.action === 'who' && m.whoList.some((u) => u.username === 'mutual2' && u.video & 128));
    assert.equal(who.whoList.find((u) => u.username === 'mutual2').video, 1 | 16 | 128);
    vw.send({ action: 'open', username: 'mutual2' });
    assert.equal((await vw.next((m) => m.action === 'open' || m.action === 'error')).action, 'open');
    await broadcaster('viponly2', 1 | 64);
    vw.send({ action: 'open', username: 'viponly2' });
    assert.deepEqual(await vw.next('error'), NO_PERMISSION);
    const vip = await server.jwtUser({ sub: 'vip2', vip: true });
    vip.send({ action: 'open', username: 'viponly2' });
    assert.equal((await vip.next('open')).username, 'viponly2');
  });

  test('a boot hides the camera from that viewer and ends the session', async () => {
    const bc = await broadcaster('bc3', 1);
    const vw = await server.guest('vw3');
    vw.send({ action: 'open', username: 'bc3' });
    await vw.next('open');
    await bc.next('ring');
    bc.send({ action: 'boot', username: 'vw3' });
    const who = await vw.next((m) => m.action === 'who' && m.whoList.some((u) => u.username === 'bc3' && u.video === 0));
    assert.ok(who);
    await bc.sync();  // the first ring and the boot are behind
    vw.send({ action: 'candidate', username: 'bc3', candidate: '{}' });
    vw.send({ action: 'open', username: 'bc3' });
    assert.deepEqual(await vw.next('error'), NO_PERMISSION);
    assert.ok(!(await bc.sync()).some((m) => m.action === 'candidate' || m.action === 'ring'));
    bc.send({ action: 'unboot', username: 'vw3' });
    await vw.next((m) => m.action === 'who' && m.whoList.some((u) => u.username === 'bc3' && u.video === 1));
  });

  test('mute and block: the camera is off for them, and a block hides each from the other', async () => {
    const bc = await broadcaster('bc4', 1);
    const muted = await server.guest('muted4');
    const blocked = await server.guest('blocked4');
    bc.send({ action: 'mute', username: 'muted4' });
    bc.send({ action: 'block', username: 'blocked4' });
    await muted.next((m) => m.action === 'who' && m.whoList.find((u) => u.username === 'bc4')?.video === 0);
    await blocked.next((m) => m.action === 'who' && !m.whoList.some((u) => u.username === 'bc4'));
    await bc.next((m) => m.action === 'who' && !m.whoList.some((u) => u.username === 'blocked4'));
    for (const c of [muted, blocked]) {
      c.send({ action: 'open', username: 'bc4' });
      assert.deepEqual(await c.next('error'), NO_PERMISSION);
    }
  });

  test('moderation rules: NoVideo from the settings and novideo from a JWT refuse watching', async () => {
    const bc = await broadcaster('bc5', 1);
    const nowatch = await server.guest('nowatch');
    nowatch.send({ action: 'open', username: 'bc5' });
    assert.match((await nowatch.next('error')).message, /restricts your ability to watch webcams/);
    const jwt = await server.jwtUser({ sub: 'jwtnovideo', rules: ['novideo'] });
    jwt.send({ action: 'open', username: 'bc5' });
    assert.match((await jwt.next('error')).message, /watch webcams/);
    jwt.send({ action: 'me', video: 1 });
    assert.deepEqual(await jwt.next(), { action: 'cut' });
  });

  test('explicit cameras stay away from viewers who chose not to see them', async () => {
    const red = await broadcaster('red6', 1 | 2);
    const prude = await server.guest('prude6');
    // The room handles one connection's frames in order: no pause needed.
    prude.send({ action: 'me', video: 8 });
    prude.send({ action: 'open', username: 'red6' });
    assert.match((await prude.next('error')).message, /marked Explicit and you have chosen not to see explicit cameras/);
  });

  test('bad input: oversized SDP, flags outside the defined bits, unknown users, a flood of opens', async () => {
    const bc = await broadcaster('bc7', 1);
    const vw = await server.guest('vw7');
    const started = Date.now();
    vw.send({ action: 'open', username: 'bc7' });
    await vw.next('open');
    await bc.sync();  // its ring is behind
    vw.send({ action: 'sdp', username: 'bc7', description: 'x'.repeat(70000) });
    assert.deepEqual(await vw.next('error'), chatServerError('That WebRTC message is too large to relay.'));
    vw.send({ action: 'sdp', username: 'nobody', description: '{}' });
    vw.send({ action: 'watch', username: 'nobody' });
    vw.send({ action: 'me', video: 0xffff | 128 });
    // Its own entry shows what was kept: the defined bits, without the server's Invited.
    const who = await vw.next((m) => m.action === 'who' && m.whoList.find((u) => u.username === 'vw7')?.video > 0);
    assert.equal(who.whoList.find((u) => u.username === 'vw7').video, 511 & ~128);
    await vw.sync();
    for (let i = 0; i < 40; i++) vw.send({ action: 'open', username: 'bc7' });
    const replies = await vw.sync();  // the answers to all 40
    const seconds = (Date.now() - started) / 1000;
    const opened = replies.filter((m) => m.action === 'open').length;
    const refused = replies.filter((m) => m.action === 'error' && /too quickly/.test(m.message)).length;
    assert.equal(opened + refused, 40);
    // A burst of 20 (the first open took one), then 2 a second since.
    assert.ok(opened <= 19 + Math.ceil(2 * seconds), `opened ${opened} in ${seconds} s`);
    assert.ok(refused >= 1, `refused ${refused}`);
    const rings = (await bc.sync()).filter((m) => m.action === 'ring').length;
    assert.equal(rings, opened);
  });
});

describe('TURN settings', () => {
  test('reach the browser in the page, as the original sends them', async () => {
    const server = await Server.start({
      settings: settingsToml() + `
[TURN]
URLs = ['stun:stun.example:3478', 'turn:turn.example:3478']
Username = 'turnuser'
Credential = 'turnpass'
`,
    });
    const page = await (await server.fetch('/')).text();
    const turn = JSON.parse(page.match(/const TURN = (.*);\n/)[1]);
    assert.deepEqual(turn, { URLs: ['stun:stun.example:3478', 'turn:turn.example:3478'], Username: 'turnuser', Credential: 'turnpass' });
    await server.stop();
  });
});
