// The website's webhooks from the page: a profile card filled by the
// `profile` webhook, and a message reported through the `report` one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Person, launchBrowser, startServer, settingsToml, signJwt } from './browser.mjs';
import { WebhookReceiver, webhooksToml } from '../e2e/webhook_receiver.mjs';

let receiver;
let server;
let browser;
before(async () => {
  receiver = await WebhookReceiver.start();
  const hooks = webhooksToml({ profile: receiver.url('/profile'), report: receiver.url('/ok') });
  server = await startServer({
    settings: settingsToml(hooks).replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true').replace('Strict = true', 'Strict = false'),
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

const open = async (sub) => {
  const p = await Person.open(browser, `${server.url}/?jwt=${signJwt({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })}`);
  await p.page.waitForFunction(() => window.barertc?.chat.state.phase === 'online');
  return p;
};

test('a profile card shows what the website says about someone', async () => {
  receiver.profile = (body) => [200, JSON.stringify({
    StatusCode: 200,
    Data: { OK: true, Headline: `All about ${body.Username}`, ProfileFields: [{ Name: 'Age', Value: '30yo' }, { Name: 'City', Value: 'Lyon' }] },
  })];
  const ann = await open('card_ann');
  const bob = await open('card_bob');
  await ann.page.getByRole('button', { name: 'Profile of card_bob', exact: true }).click();
  const card = ann.page.getByRole('dialog', { name: 'card_bob' });
  await card.getByText('All about card_bob').waitFor();
  assert.equal(await card.locator('dt', { hasText: 'City' }).count(), 1);
  assert.equal(await card.locator('dd', { hasText: 'Lyon' }).count(), 1);
  await ann.page.keyboard.press('Escape');
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(ann.errors, []);
  await ann.close();
  await bob.close();
});

test('reporting a message reaches the website, and the reporter is told', async () => {
  receiver.skipPending();
  const ann = await open('rep_ann');
  const bob = await open('rep_bob');
  await bob.say('this is very rude');
  const line = ann.history().locator('article', { hasText: 'this is very rude' });
  await line.hover();
  await line.getByRole('button', { name: 'Report this message' }).click();
  const dialog = ann.page.getByRole('dialog', { name: 'Report a message' });
  await dialog.getByLabel('Why?').selectOption('It is abusive (racist, homophobic, etc.)');
  await dialog.getByLabel('Comment (optional)').fill('please look');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  const req = await receiver.next('/ok');
  const body = JSON.parse(req.body);
  assert.equal(body.Action, 'report');
  assert.equal(body.Report.AboutUsername, 'rep_bob');
  assert.equal(body.Report.FromUsername, 'rep_ann');
  assert.equal(body.Report.Comment, 'please look');
  assert.equal(body.Report.Reason, 'It is abusive (racist, homophobic, etc.)');
  await ann.history().getByText('Your report has been delivered successfully.').waitFor();
  await line.hover();
  await line.getByRole('button', { name: 'Reported: report again' }).waitFor();
  assert.deepEqual(ann.errors, []);
  await ann.close();
  await bob.close();
});
