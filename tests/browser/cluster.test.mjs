// The web client on a room served by two nodes through Redis: each person's
// page comes from a different node; they chat, DM and open each other's
// camera (signaling crosses the nodes, video goes browser to browser).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, WEB_DIR, launchBrowser } from './browser.mjs';
import { Cluster } from '../e2e/cluster_harness.mjs';

let cluster;
let browser;
before(async () => {
  // A 5 s heartbeat: Chromium's WebRTC on two busy cores must not get a node reaped.
  cluster = await Cluster.start(2, { room: 'browser', heartbeat: 5, args: ['-web', WEB_DIR] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await cluster?.stop();
});

// Frames are arriving when the video has a size and its clock moves on.
async function playing(page, label) {
  await page.waitForFunction((l) => {
    const v = document.querySelector(`video[aria-label="${l}"]`);
    return v && v.videoWidth > 0 && v.currentTime > 0.5;
  }, label, { timeout: 20000 });
}

test('people on two nodes chat, DM and watch each other\'s camera', async () => {
  const [n1, n2] = cluster.nodes;
  const ann = await Person.open(browser, n1.url);
  const bob = await Person.open(browser, n2.url);
  await ann.signIn('ann');
  await bob.signIn('bob');
  await ann.page.getByRole('button', { name: 'Message bob' }).waitFor();

  await ann.say('hello from the first node');
  await bob.history().getByText('hello from the first node').waitFor();
  await bob.page.getByRole('button', { name: 'Message ann' }).click();
  await bob.say('and back from the second');
  await ann.page.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: /bob/ }).click();
  await ann.history().getByText('and back from the second').waitFor();

  await ann.page.getByRole('button', { name: 'Start my camera' }).click();
  await bob.page.getByRole('button', { name: "Open ann's camera" }).click();
  await playing(bob.page, "ann's camera");
  await ann.page.getByRole('button', { name: '1 watching my camera' }).waitFor();
  await ann.screenshot('cluster-1-broadcaster-node1');
  await bob.screenshot('cluster-2-viewer-node2');

  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.close();
  await bob.close();
});
