// Sign-in outcomes and the connection's ends as a person sees them: a JWT
// page signs in by itself, a refused name and a ban are explained, and after
// the server restarts the page reconnects without losing the typed text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, launchBrowser, startServer, settingsToml, signJwt } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a page opened with a JWT signs in by itself, and drops the token from the address bar', async () => {
  const server = await startServer({ settings: settingsToml().replace('Enabled = false', 'Enabled = true') });
  try {
    const token = signJwt({ sub: 'jwtuser', nick: 'J. User', exp: Math.floor(Date.now() / 1000) + 3600 });
    const p = await Person.open(browser, `${server.url}/?jwt=${token}`);
    await p.page.waitForFunction(() => window.barertc?.chat.state.phase === 'online');
    assert.equal(await p.page.getByLabel('Username').count(), 0, 'no sign-in form');
    assert.equal(new URL(p.page.url()).search, '');
    await p.page.getByRole('log').getByText('Welcome to the chat server!').first().waitFor();
    assert.equal(await p.page.evaluate(() => window.barertc.chat.state.username), 'jwtuser');
    assert.deepEqual(p.errors, []);
    await p.close();
  } finally {
    await server.stop();
  }
});

test('a refused name and a ban are explained on the sign-in form', async () => {
  const server = await startServer({
    settings: settingsToml().replace('Enabled = false', 'Enabled = true').replace('Strict = true', 'Strict = false'),
  });
  try {
    const p = await Person.open(browser, server.url);
    await p.page.getByLabel('Username').fill('   ');
    await p.page.getByLabel('Username').press('Enter');
    assert.equal(await p.page.getByRole('alert').count(), 0, 'an empty name is not sent');

    // A name the server refuses comes back with its reason.
    await p.page.getByLabel('Username').fill('ChatServer');
    await p.page.getByRole('button', { name: 'Join chat' }).click();
    await p.page.getByRole('alert').waitFor();
    assert.match(await p.page.getByRole('alert').innerText(), /\S/);
    assert.equal(await p.page.getByLabel('Username').inputValue(), 'ChatServer', 'the typed name is kept');

    // A banned person is told so, and is not retried in a loop.
    const op = await server.jwtUser({ sub: 'mod', op: true });
    const victim = await Person.open(browser, server.url);
    await victim.signIn('victim');
    op.send({ action: 'message', channel: 'lobby', message: '/ban victim 2' });
    await victim.page.getByRole('alert').filter({ hasText: /ban/i }).waitFor();
    await victim.page.reload();
    await victim.page.getByLabel('Username').fill('victim');
    await victim.page.getByRole('button', { name: 'Join chat' }).click();
    await victim.page.getByRole('alert').filter({ hasText: /ban/i }).waitFor();
    assert.equal(await victim.page.getByLabel('Message', { exact: true }).count(), 0, 'still outside the room');
    assert.deepEqual(p.errors, []);
    await p.close();
    await victim.close();
  } finally {
    await server.stop();
  }
});

test('after the server restarts, the page reconnects and keeps the text being typed', async () => {
  let server = await startServer();
  const port = server.port;
  // While the server is down Chromium itself reports each refused attempt.
  const refused = [/WebSocket connection to .* failed/];
  const ann = await Person.open(browser, server.url, { allowed: refused });
  await ann.signIn('ann');
  await ann.composer().fill('half-written thought');
  await server.stop({ keepDir: true });
  await ann.page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
  assert.equal(await ann.composer().inputValue(), 'half-written thought');

  server = await startServer({ cwd: server.dir, address: `127.0.0.1:${port}` });
  try {
    await ann.page.waitForFunction(() => window.barertc.chat.state.phase === 'online', null, { timeout: 40000 });
    assert.equal(await ann.composer().inputValue(), 'half-written thought');
    const bob = await server.guest('bob');
    await ann.composer().press('Enter');
    const m = await bob.next('message');
    assert.equal(m.username, 'ann');
    assert.match(m.message, /half-written thought/);
    assert.deepEqual(ann.errors, []);
    await ann.close();
  } finally {
    await server.stop();
  }
});

test('the polling transport chats like a WebSocket', async () => {
  const server = await startServer();
  try {
    const p = await Person.open(browser, server.url);
    await p.page.evaluate(() => localStorage.setItem('usePolling', 'true'));
    await p.page.reload();
    await p.signIn('poller');
    const ws = await server.guest('socketeer');
    await p.say('hello from polling');
    const m = await ws.next('message');
    assert.equal(m.username, 'poller');
    ws.send({ action: 'message', channel: 'lobby', message: 'hello back' });
    await p.history().getByText('hello back').waitFor({ timeout: 15000 });
    assert.equal(await p.page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/ws'))), false);
    assert.deepEqual(p.errors, []);
    await p.close();
  } finally {
    await server.stop();
  }
});
