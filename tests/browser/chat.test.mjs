// Two people chat in a channel and by DM, in real Chromium, through the real
// server; the main screens are photographed at desktop and phone widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, launchBrowser, startServer } from './browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('two guests chat in a channel and by DM, with the keyboard', async () => {
  const ann = await Person.open(browser, server.url);
  const bob = await Person.open(browser, server.url);
  await ann.signIn('ann');
  await bob.signIn('bob');

  // Enter sends; Shift+Enter adds a line to the same message.
  await ann.composer().fill('hello *everyone*');
  await ann.composer().press('Shift+Enter');
  await ann.composer().pressSequentially('second line');
  await ann.composer().press('Enter');
  await bob.history().getByText('second line').waitFor();
  assert.equal(await bob.history().locator('em', { hasText: 'everyone' }).count(), 1, 'Markdown is rendered');
  assert.equal(await ann.composer().inputValue(), '', 'the composer is emptied once sent');

  // Bob opens a DM with Ann from the who list and answers there.
  await bob.page.getByRole('button', { name: 'Message ann' }).click();
  await bob.say('just between us');
  await ann.page.getByRole('button', { name: /^bob/ }).filter({ hasText: '1' }).waitFor();
  await ann.page.getByRole('navigation', { name: 'Channels' }).getByRole('button', { name: /bob/ }).click();
  await ann.history().getByText('just between us').waitFor();
  await ann.say('got it');
  await bob.history().getByText('got it').waitFor();
  assert.equal(await bob.history().getByText('hello').count(), 0, 'the DM pane shows only the DM');

  assert.deepEqual(ann.errors, []);
  assert.deepEqual(bob.errors, []);
  await ann.close();
  await bob.close();
});

test('the main screens at 1280 px and 390 px', async () => {
  for (const [width, height, tag] of [[1280, 800, 'desktop'], [390, 844, 'phone']]) {
    const ann = await Person.open(browser, server.url, { width, height });
    await ann.screenshot(`${tag}-1-signin`);
    await ann.signIn(`ann_${tag}`);
    const bob = await Person.open(browser, server.url);
    await bob.signIn(`bob_${tag}`);
    await bob.say(`Hi ann_${tag}, welcome! Here is a [link](https://example.com) and some **bold** text.`);
    await ann.history().getByText(`Hi ann_${tag}, welcome!`).waitFor();
    await ann.say('Thanks! Glad to be here.');
    await ann.screenshot(`${tag}-2-channel`);
    if (tag === 'phone') {
      await ann.page.getByRole('button', { name: 'Who is online' }).click();
      await ann.page.getByRole('button', { name: `Message bob_${tag}` }).waitFor();
      await ann.screenshot(`${tag}-3-who`);
      await ann.page.getByRole('button', { name: `Message bob_${tag}` }).click();
    } else {
      await ann.page.getByRole('button', { name: `Message bob_${tag}` }).click();
    }
    await ann.say('A private hello');
    await ann.screenshot(`${tag}-4-dm`);
    assert.deepEqual(ann.errors, []);
    await ann.close();
    await bob.close();
  }
});
