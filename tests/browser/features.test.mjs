// The chat's features as people use them, in real Chromium against the real
// server: pictures, reactions, take-back, typing, DM history, an operator's
// kick from a profile card, settings that survive a reload, the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, launchBrowser, startServer, settingsToml, signJwt } from './browser.mjs';
import { png } from '../e2e/png.mjs';

const settings = settingsToml(`[[PublicChannels]]
ID = 'lobby'
Name = 'Lobby'
PermitPhotos = true
[[PublicChannels]]
ID = 'offtopic'
Name = 'Off Topic'
[DirectMessageHistory]
Enabled = true
SQLiteDatabase = 'history.sqlite'
RetentionDays = 90
DisclaimerMessage = 'DMs are kept for 90 days.'
`).replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true').replace('Strict = true', 'Strict = false');

let server;
let browser;
before(async () => {
  server = await startServer({ settings });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const token = (claims) => signJwt({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims });
const messageLine = (person, text) => person.history().locator('article', { hasText: text });

test('pictures, reactions, take-back and typing between two people', async () => {
  const ann = await Person.open(browser, server.url);
  const bob = await Person.open(browser, server.url);
  await ann.signIn('pic_ann');
  await bob.signIn('pic_bob');

  // A picture goes through the preview, and opens full size on click.
  const chooser = ann.page.waitForEvent('filechooser');
  await ann.page.getByRole('button', { name: 'Share a picture' }).click();
  await (await chooser).setFiles({ name: 'square.png', mimeType: 'image/png', buffer: png(64, 48) });
  await ann.page.getByRole('dialog', { name: 'Share a picture' }).getByRole('button', { name: 'Share' }).click();
  await bob.page.getByRole('button', { name: /Image attachment/ }).click();
  const img = bob.history().locator('img[src^="data:image/png;base64,"]');
  await img.click();
  await bob.page.locator('#photo-modal.is-active #modalImage[src^="data:image/png"]').waitFor();
  await bob.page.keyboard.press('Escape');
  await bob.page.locator('#photo-modal .modal-close').click();

  // Bob reacts to Ann's words; Ann sees the count and who.
  await ann.say('react to this please');
  const line = messageLine(bob, 'react to this please');
  await line.hover();
  await line.getByRole('button', { name: 'React', exact: true }).click();
  await line.getByRole('button', { name: 'React 👍' }).click();
  await messageLine(ann, 'react to this please').getByRole('button', { name: '👍 1: pic_bob' }).waitFor();

  // Ann takes it back: it disappears for Bob.
  const mine = messageLine(ann, 'react to this please');
  await mine.hover();
  await mine.getByRole('button', { name: 'Message actions' }).click();
  await mine.getByRole('menuitem', { name: 'Take back' }).click();
  await ann.page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await line.waitFor({ state: 'detached' });

  // @-mentions are offered from the who list, and chosen with the keyboard.
  await ann.composer().pressSequentially('thanks @pic_b');
  await ann.page.getByRole('option', { name: '@pic_bob' }).waitFor();
  await ann.composer().press('Enter');
  assert.equal(await ann.composer().inputValue(), 'thanks @pic_bob ');
  await ann.composer().press('Enter');
  await bob.history().locator('mark.mention', { hasText: '@pic_bob' }).waitFor();

  // Typing in a DM shows on the other side, and a sent message clears it.
  await ann.page.getByRole('button', { name: 'Message pic_bob' }).click();
  await bob.page.getByRole('button', { name: 'Message pic_ann' }).click();
  await bob.composer().pressSequentially('thinking');
  await ann.page.getByText('pic_bob is typing…').waitFor();
  await bob.composer().press('Enter');
  await ann.history().getByText('thinking').waitFor();
  assert.equal(await ann.page.getByText('pic_bob is typing…').count(), 0);

  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.close();
  await bob.close();
});

test('a DM thread shows the stored history, with older pages on request', async () => {
  const alice = await server.jwtUser({ sub: 'hist_alice' });
  const carolBot = await server.jwtUser({ sub: 'hist_carol' });
  for (let i = 1; i <= 25; ++i) {
    alice.send({ action: 'message', channel: '@hist_carol', message: `old message ${i}` });
    await carolBot.next((m) => m.action === 'message' && m.message.includes(`old message ${i}<`));
  }
  await server.leave([carolBot]);

  const carol = await Person.open(browser, `${server.url}/?jwt=${token({ sub: 'hist_carol' })}`);
  await carol.page.waitForFunction(() => window.barertc?.chat.state.phase === 'online');
  await carol.page.getByRole('button', { name: 'Message hist_alice' }).click();
  await carol.history().getByText('DMs are kept for 90 days.').waitFor();
  await carol.history().getByText('old message 25').waitFor();
  assert.equal(await carol.history().getByText('old message 5', { exact: true }).count(), 0);
  await carol.page.getByRole('button', { name: 'Load older messages (5 remaining)' }).click();
  await carol.history().getByText('old message 1', { exact: true }).waitFor();
  assert.equal(await carol.history().locator('article').count(), 25);
  assert.equal(await carol.page.getByRole('button', { name: /Load older/ }).count(), 0);
  assert.deepEqual(carol.errors, []);
  await carol.close();
  await server.leave([alice]);
});

test('an operator kicks someone from their profile card', async () => {
  const mod = await Person.open(browser, `${server.url}/?jwt=${token({ sub: 'kick_mod', op: true })}`);
  await mod.page.waitForFunction(() => window.barertc?.chat.state.phase === 'online');
  const bob = await Person.open(browser, server.url);
  await bob.signIn('kick_bob');
  await mod.page.getByRole('button', { name: 'Profile of kick_bob', exact: true }).click();
  const card = mod.page.getByRole('dialog', { name: 'kick_bob' });
  await card.getByRole('button', { name: 'Kick from the room' }).click();
  await mod.page.getByRole('dialog', { name: 'Kick' }).getByRole('button', { name: 'OK' }).click();
  await bob.page.getByRole('alert').filter({ hasText: /kicked/i }).waitFor();
  await mod.page.getByRole('button', { name: 'Profile of kick_bob', exact: true }).waitFor({ state: 'detached' });
  assert.deepEqual(mod.errors, []);
  assert.deepEqual(bob.errors, []);
  await mod.close();
  await bob.close();
});

test('keyboard only: sign in, open a DM, change a setting that survives a reload', async () => {
  const other = await server.guest('kb_other');
  const p = await Person.open(browser, server.url);
  const kb = p.page.keyboard;
  await kb.type('kb_user'); // the name field has the focus
  await kb.press('Enter');
  await p.composer().waitFor();

  // Tab until the DM button of the other person has the focus, then Enter.
  let found = false;
  for (let i = 0; i < 60 && !found; ++i) {
    await kb.press('Tab');
    found = await p.page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Message kb_other');
  }
  assert.ok(found, 'the DM button is reachable with Tab');
  await kb.press('Enter');
  await p.page.getByRole('heading', { name: '@kb_other' }).waitFor();
  // Opening a conversation puts the cursor in its message box.
  await kb.type('hello by keyboard');
  await kb.press('Enter');
  const got = await other.next('message');
  assert.match(got.message, /hello by keyboard/);

  // Dark mode from the settings, kept in localStorage across a reload.
  await p.page.getByRole('button', { name: 'Menu' }).click();
  await p.page.getByRole('menuitem', { name: 'Chat settings' }).click();
  await p.page.getByLabel('Theme').selectOption('dark');
  await kb.press('Escape');
  assert.equal(await p.page.getByRole('dialog').count(), 0, 'Escape closes the settings');
  await p.screenshot('desktop-7-dark');
  await p.page.reload();
  assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(p.errors, []);
  await p.close();
  await server.leave([other]);
});

test('a who list of 2,000 people draws only the rows in view, and follows deltas', async () => {
  const p = await Person.open(browser, server.url);
  await p.signIn('big_viewer');
  await p.page.evaluate(() => {
    const whoList = [];
    for (let i = 0; i < 2000; ++i) {
      whoList.push({ username: `user${String(i).padStart(4, '0')}`, status: 'online', video: i % 7 === 0 ? 1 : 0, loginAt: 1, op: false });
    }
    window.barertc.chat.handle({ action: 'who', whoList });
  });
  const list = p.page.getByRole('list', { name: 'People online' });
  await p.page.getByRole('tab', { name: 'Online (2000)' }).waitFor();
  const rows = await list.getByRole('listitem').count();
  assert.ok(rows > 5 && rows < 80, `${rows} rows in the DOM`);

  // Scrolling to the end brings the last people into the DOM.
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await p.page.getByRole('button', { name: 'Message user1999' }).waitFor();

  // A delta: one leaves, one arrives at the end; the count follows.
  await p.page.evaluate(() => window.barertc.chat.handle({
    action: 'who-delta', remove: ['user1999'], set: [{ username: 'zz_new', status: 'online', video: 0, loginAt: 2, op: false }],
  }));
  await p.page.getByRole('button', { name: 'Message zz_new' }).waitFor();
  assert.equal(await p.page.getByRole('button', { name: 'Message user1999' }).count(), 0);
  await p.page.getByLabel('Find someone').fill('user0007');
  await p.page.getByRole('button', { name: "Open user0007's camera" }).waitFor();
  assert.equal(await list.getByRole('listitem').count(), 1);
  assert.deepEqual(p.errors, []);
  await p.close();
});
