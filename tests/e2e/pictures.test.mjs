// Pictures (`file`) against the real binary: made here as PNGs, sent as a
// number array or base64, scaled by the server, sent back inline; refusals
// (not a picture, a bomb, no photos in that channel, an offline DM target)
// while the room keeps serving.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Server, settingsToml } from './harness.mjs';
import { png } from './png.mjs';

// The picture inside an <img> message: its attributes and decoded size.
function parseImg(html) {
  const m = html.match(/^<img src="data:(image\/\w+);base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)" onclick="setModalImage\(this\.src\)" style="cursor: pointer">$/);
  assert.ok(m, html.slice(0, 120));
  const bytes = Buffer.from(m[2], 'base64');
  const size = m[1] === 'image/png'
    ? { w: bytes.readUInt32BE(16), h: bytes.readUInt32BE(20) } : null;
  return { mime: m[1], bytes, width: Number(m[3]), height: Number(m[4]), size };
}

describe('pictures', () => {
  let server;
  before(async () => {
    server = await Server.start({ settings: settingsToml(`[[PublicChannels]]
ID = 'lobby'
Name = 'Lobby'
PermitPhotos = true
[[PublicChannels]]
ID = 'text-only'
Name = 'Text only'
PermitPhotos = false
`) });
  });
  afterEach(async () => { await server.leaveAll(); });
  after(async () => { await server.stop(); });

  test('a big PNG comes back scaled to MaxImageWidth with its preview size, to everyone', async () => {
    const alice = await server.guest('pic-alice');
    const bob = await server.guest('pic-bob');
    alice.send({ action: 'file', channel: 'lobby', message: 'big.png', bytes: [...png(2000, 1000)] });
    const got = await bob.next('message');
    assert.equal(got.username, 'pic-alice');
    assert.equal(got.channel, 'lobby');
    assert.ok(Number.isInteger(got.msgID));
    const img = parseImg(got.message);
    assert.equal(img.mime, 'image/png');
    assert.deepEqual(img.size, { w: 1280, h: 640 });
    assert.deepEqual([img.width, img.height], [360, 180]);
    assert.equal((await alice.next('message')).message, got.message);  // the sender too
  });

  test('base64 bytes work too; a small picture keeps its size; a DM reaches its two parties', async () => {
    const alice = await server.guest('pic-amy');
    const bob = await server.guest('pic-ben');
    const carol = await server.guest('pic-cat');
    alice.send({ action: 'file', channel: '@pic-ben', message: 'Small.PNG', bytes: png(100, 50).toString('base64') });
    const dm = await bob.next('message');
    assert.equal(dm.channel, '@pic-amy');
    const img = parseImg(dm.message);
    assert.deepEqual([img.width, img.height, img.size.w, img.size.h], [100, 50, 100, 50]);
    assert.equal((await alice.next('message')).channel, '@pic-ben');
    assert.ok(!(await carol.sync()).some((m) => m.action === 'message'));
  });

  test('refusals get the clear answers and the room keeps serving', async () => {
    const alice = await server.guest('pic-ann');
    const bob = await server.guest('pic-bo');
    const send = (channel, message, bytes) => alice.send({ action: 'file', channel, message, bytes });
    const answer = async () => (await alice.next('error')).message;
    send('lobby', 'notes.txt', [1, 2, 3]);
    assert.equal(await answer(), 'Unsupported image type, should be a jpeg, GIF or png.');
    send('lobby', 'fake.png', [...Buffer.from('this is not a picture')]);
    assert.equal(await answer(), 'Could not read your picture: it is not a JPEG, GIF or PNG image.');
    send('lobby', 'empty.png', []);
    assert.equal(await answer(), 'Your picture is empty.');
    const whole = png(300, 300);
    send('lobby', 'cut.png', [...whole.subarray(0, whole.length - 40)]);
    assert.equal(await answer(), 'Could not read your picture: it is damaged or incomplete.');
    send('lobby', 'bomb.png', [...png(50000, 50000, { bomb: true })]);
    assert.equal(await answer(), 'Your picture is too large: 50000 × 50000 pixels, 50 megapixels at most.');
    send('text-only', 'ok.png', [...png(10, 10)]);
    assert.equal(await answer(), 'Photo sharing in this channel is not available.');
    send('@nobody-here', 'ok.png', [...png(10, 10)]);
    assert.equal(await answer(), 'Could not deliver your message: @nobody-here appears not to be online.');
    // Meanwhile, and after, chat works.
    alice.send({ action: 'message', channel: 'lobby', message: 'still fine' });
    assert.equal((await bob.next('message')).message, '<p>still fine</p>');
    assert.ok(!(await bob.sync()).some((m) => m.action === 'message' && m.message.startsWith('<img')),
      'no picture was posted');
  });
});
