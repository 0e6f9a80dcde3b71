// Webcams between two real browsers: one goes live with Chromium's fake
// camera, the other opens it and frames arrive; a boot closes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, launchBrowser, startServer, settingsToml } from './browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ settings: settingsToml('PermitNSFW = true') });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Frames are arriving when the video has a size and its clock moves on.
async function playing(page, label) {
  const video = page.locator(`video[aria-label="${label}"]`);
  await video.waitFor();
  await page.waitForFunction((l) => {
    const v = document.querySelector(`video[aria-label="${l}"]`);
    return v && v.videoWidth > 0 && v.currentTime > 0;
  }, label, { timeout: 20000 });
  const t0 = await video.evaluate((v) => v.currentTime);
  await page.waitForFunction(([l, t]) => document.querySelector(`video[aria-label="${l}"]`).currentTime > t + 0.5, [label, t0], { timeout: 20000 });
  return video.evaluate((v) => ({ width: v.videoWidth, height: v.videoHeight }));
}

test('a camera opened by another person streams, and a boot closes it', async () => {
  const ann = await Person.open(browser, server.url);
  const bob = await Person.open(browser, server.url);
  await ann.signIn('ann');
  await bob.signIn('bob');

  await ann.page.getByRole('button', { name: 'Start my camera' }).click();
  await ann.page.getByRole('button', { name: 'Stop my camera' }).waitFor();
  const mine = await playing(ann.page, 'My camera');
  assert.ok(mine.width > 0, 'my own preview plays');

  await bob.page.getByRole('button', { name: "Open ann's camera" }).click();
  const seen = await playing(bob.page, "ann's camera");
  assert.ok(seen.width > 0 && seen.height > 0, `bob receives ann's frames (${seen.width}x${seen.height})`);
  const bytes = await bob.page.evaluate(async () => {
    const pcs = window.barertc.cams.describe();
    return pcs.join(';');
  });
  assert.match(bytes, /ann: offerer=connected/);

  // Ann sees her watcher, and boots him from the Watching tab.
  await ann.page.getByRole('button', { name: '1 watching my camera' }).waitFor();
  await ann.screenshot('desktop-5-webcam-broadcaster');
  await bob.screenshot('desktop-6-webcam-viewer');
  await ann.page.getByRole('button', { name: '1 watching my camera' }).click();
  await ann.page.getByRole('button', { name: 'Boot bob off my camera' }).click();
  await ann.page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await bob.page.locator('video[aria-label="ann\'s camera"]').waitFor({ state: 'detached', timeout: 10000 });
  await ann.page.getByRole('button', { name: '0 watching my camera' }).waitFor();

  // Stopping the camera takes the button away from the others.
  await ann.page.getByRole('button', { name: 'Stop my camera' }).click();
  await bob.page.getByRole('button', { name: "Open ann's camera" }).waitFor({ state: 'detached' });

  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.close();
  await bob.close();
});

test('several cameras at once, with the warning before an Explicit one', async () => {
  const [cat, dan, eve] = await Promise.all([0, 1, 2].map(() => Person.open(browser, server.url)));
  await cat.signIn('cat');
  await dan.signIn('dan');
  await eve.signIn('eve');
  await cat.page.getByRole('button', { name: 'Start my camera' }).click();
  await dan.page.getByRole('button', { name: 'Start my camera' }).click();
  await dan.page.getByRole('button', { name: 'Explicit' }).click();
  await eve.page.waitForFunction(() => (window.barertc.chat.lookup('dan')?.video & 3) === 3);

  await eve.page.getByRole('button', { name: "Open cat's camera" }).click();
  await eve.page.getByRole('button', { name: "Open dan's camera" }).click();
  const warning = eve.page.getByRole('dialog', { name: 'This camera is Explicit' });
  await warning.getByRole('button', { name: 'Open the camera' }).click();
  const [a, b] = await Promise.all([playing(eve.page, "cat's camera"), playing(eve.page, "dan's camera")]);
  assert.ok(a.width > 0 && b.width > 0);
  assert.equal(await eve.page.locator('video').count(), 2);

  // Closing one leaves the other playing.
  await eve.page.getByRole('button', { name: "Close cat's camera" }).click();
  await eve.page.locator('video[aria-label="cat\'s camera"]').waitFor({ state: 'detached' });
  await playing(eve.page, "dan's camera");
  await dan.page.getByRole('button', { name: '1 watching my camera' }).waitFor();
  await cat.page.getByRole('button', { name: '0 watching my camera' }).waitFor();

  for (const p of [cat, dan, eve]) {
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test('two people on camera open each other at the same moment', async () => {
  const [fay, gus] = await Promise.all([0, 1].map(() => Person.open(browser, server.url)));
  await fay.signIn('fay');
  await gus.signIn('gus');
  for (const p of [fay, gus]) await p.page.getByRole('button', { name: 'Start my camera' }).click();
  await fay.page.getByRole('button', { name: "Open gus's camera" }).waitFor();
  await gus.page.getByRole('button', { name: "Open fay's camera" }).waitFor();
  // Both requests cross on the wire: each side has an offering and an
  // answering connection to the other, and signals must reach the right one.
  await Promise.all([
    fay.page.getByRole('button', { name: "Open gus's camera" }).click(),
    gus.page.getByRole('button', { name: "Open fay's camera" }).click(),
  ]);
  await Promise.all([playing(fay.page, "gus's camera"), playing(gus.page, "fay's camera")]);
  await fay.page.getByRole('button', { name: '1 watching my camera' }).waitFor();
  await gus.page.getByRole('button', { name: '1 watching my camera' }).waitFor();
  for (const p of [fay, gus]) {
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});
