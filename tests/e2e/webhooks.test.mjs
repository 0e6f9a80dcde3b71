// The website's webhooks against a real HTTP receiver: the `report` action
// and the automatic reports, /api/profile, and endpoints that fail, hang,
// refuse, or answer garbage or too much. Each test starts its own server with
// the webhook URLs it needs.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { API_KEY, chatServerError, Server, settingsToml, signJwt } from './harness.mjs';
import { WebhookReceiver, webhooksToml } from './webhook_receiver.mjs';

const kTimeout = 10_000;  // the webhooks' timeout, as in the original

let receiver;
before(async () => { receiver = await WebhookReceiver.start(); });
after(async () => { await receiver.close(); });
beforeEach(() => { receiver.skipPending(); });

// A server whose webhooks post to the receiver's paths ({report:'/ok'}).
function serverWith(paths, { jwt = false, extra = '' } = {}) {
  const hooks = Object.fromEntries(Object.entries(paths).map(([n, p]) => [n, receiver.url(p)]));
  let settings = settingsToml(`${extra}\n${webhooksToml(hooks)}`);
  if (jwt) settings = settings.replace(/(\[JWT\]\n)Enabled = false/, '$1Enabled = true');
  return Server.start({ settings });
}

// A loopback port nothing listens on.
async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const report = (channel, username, extra = {}) => ({
  action: 'report', channel, username, timestamp: 'Thu Dec 03 2026 10:00:00',
  reason: 'Spam', message: '<p>buy & sell</p>', comment: 'see "this"', ...extra,
});

const dateLine = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;

describe('report webhook', () => {
  test('a report is posted as the exact JSON and the reporter is told it was delivered', async () => {
    const server = await serverWith({ report: '/ok' });
    try {
      const alice = await server.guest('alice');
      await server.guest('bob');
      alice.send(report('lobby', 'bob'));
      const req = await receiver.next('/ok');
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.body, `{"Action":"report","APIKey":"${API_KEY}","Report":{`
        + '"FromUsername":"alice","AboutUsername":"bob","Channel":"lobby",'
        + '"Timestamp":"Thu Dec 03 2026 10:00:00","Reason":"Spam",'
        + String.raw`"Message":"\u003cp\u003ebuy \u0026 sell\u003c/p\u003e","Comment":"see \"this\""}}`);
      assert.deepEqual(await alice.next('error'), chatServerError('Your report has been delivered successfully.'));
    } finally { await server.stop(); }
  });

  test('a DM report carries the recent conversation of the two', async () => {
    const server = await serverWith({ report: '/ok' });
    try {
      const alice = await server.guest('alice');
      const bob = await server.guest('bob');
      bob.send({ action: 'message', channel: '@alice', message: 'wanna buy?' });
      await alice.next('message');
      alice.send({ action: 'message', channel: '@bob', message: '  no thanks ' });
      await bob.next('message');
      alice.send(report('@bob', 'bob'));
      const { Report } = JSON.parse((await receiver.next('/ok')).body);
      assert.equal(Report.Channel, '@bob');
      assert.match(Report.Message, new RegExp(String.raw`^<p>buy & sell</p>\n\nRecent message context:\n\n`
        + `${dateLine} \\[bob\\] wanna buy\\?\n\n${dateLine} \\[alice\\] no thanks$`));
      await alice.next('error');
    } finally { await server.stop(); }
  });

  test('with the webhook off the reporter is told and nothing is posted', async () => {
    const server = await Server.start();
    try {
      const alice = await server.guest('alice');
      alice.send(report('lobby', 'bob'));
      assert.deepEqual(await alice.next('error'), chatServerError(
        'Unfortunately, the report webhook is not enabled so your report could not be received!'));
    } finally { await server.stop(); }
  });

  test('a failing, silent, refusing or redirecting endpoint: the reporter gets a clear answer', async () => {
    const failed = 'Error sending the report to the website: ';
    const cases = [
      ['/fail', `${failed}unexpected error from webhook URL`],
      ['/drop', null],  // a failure in curl's words
      ['/huge', 'Your report has been delivered successfully.'],  // the body of a 200 is not read
      ['/garbage', 'Your report has been delivered successfully.'],
      ['/redirect', 'Your report has been delivered successfully.'],
    ];
    const port = await closedPort();
    cases.push([`http://127.0.0.1:${port}/r`, null]);
    for (const [path, answer] of cases) {
      const url = path.startsWith('/') ? receiver.url(path) : path;
      const server = await Server.start({ settings: settingsToml(webhooksToml({ report: url })) });
      try {
        const alice = await server.guest('alice');
        alice.send(report('lobby', 'bob'));
        const got = await alice.next('error');
        if (answer) {
          assert.deepEqual(got, chatServerError(answer), path);
        } else {
          assert.ok(got.message.startsWith(failed) && got.message.length > failed.length, got.message);
          assert.ok(!got.message.includes('127.0.0.1') && !got.message.includes(String(url.split(':')[2])),
            'the URL is not shown to users');
          await server.waitForLog(new RegExp(`report about bob \\(Spam\\): POST ${url}`));
        }
        if (path === '/fail') await server.waitForLog(/report about bob \(Spam\): unexpected response .*code 500.*nope/);
        if (path === '/redirect') assert.equal((await receiver.next('/ok')).method, 'GET');  // as Go does
      } finally { await server.stop(); }
    }
  });

  test('a hanging endpoint holds up nobody, and the reporter hears after the timeout', async () => {
    const server = await serverWith({ report: '/hang', profile: '/hang' }, { jwt: true });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const bob = await server.jwtUser({ sub: 'bob' });
      const started = Date.now();
      alice.send(report('lobby', 'bob'));
      await receiver.next('/hang');
      // The profile card of someone hangs too, at the same time.
      const profile = server.postJson('/api/profile', { JWTToken: signJwt({ sub: 'bob' }), Username: 'alice' });
      profile.catch(() => {});  // awaited below
      await receiver.next('/hang');
      // Three more from the same user wait too; a fifth is refused at once.
      const more = [1, 2, 3].map(() => server.postJson('/api/profile', { JWTToken: signJwt({ sub: 'bob' }), Username: 'x' }));
      for (const p of more) p.catch(() => {});
      for (let i = 0; i < 3; ++i) await receiver.next('/hang');
      const refused = await server.postJson('/api/profile', { JWTToken: signJwt({ sub: 'bob' }), Username: 'x' });
      assert.equal(refused.status, 429);
      assert.deepEqual(await refused.json(),
        { OK: false, Error: 'Too many profile requests at once: try again in a moment.' });
      // Meanwhile the room and the API serve everybody, the reporter included.
      for (let i = 0; i < 5; ++i) {
        alice.send({ action: 'message', channel: 'lobby', message: `still here ${i}` });
        assert.equal((await bob.next((m) => m.action === 'message' && m.channel === 'lobby')).message,
          `<p>still here ${i}</p>`);
        bob.send({ action: 'message', channel: '@alice', message: `dm ${i}` });
        assert.equal((await alice.next((m) => m.action === 'message' && m.channel === '@bob')).message,
          `<p>dm ${i}</p>`);
      }
      assert.deepEqual((await server.usernames()).sort(), ['alice', 'bob']);
      assert.ok(!alice.parsed.some((m) => m.action === 'error' && /report/.test(m.message)),
        'all this while the webhook hung');
      const answer = await alice.next('error', kTimeout + 5000);
      assert.deepEqual(answer, chatServerError('Error sending the report to the website: Timeout was reached'));
      assert.ok(Date.now() - started >= kTimeout - 500);
      for (const res of [await profile, ...(await Promise.all(more))]) {
        assert.equal(res.status, 500);
        assert.deepEqual(await res.json(), {  // the original's text; the log says why
          OK: false, Error: 'Didn\'t get expected response for profile data: unexpected end of JSON input',
        });
      }
      await server.waitForLog(/profile webhook: POST .*\/hang: Operation timed out/);
    } finally { await server.stop(); }
  });

  test('a message filter reports its sender with the context; an operator is only told', async () => {
    const extra = `[[MessageFilters]]
Enabled = true
PublicChannels = true
PrivateChannels = true
KeywordPhrases = ['darn']
CensorMessage = true
ForwardMessage = false
ReportMessage = true
ChatServerResponse = 'Watch your language.'
`;
    const server = await serverWith({ report: '/ok' }, { jwt: true, extra });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const op = await server.jwtUser({ sub: 'op', op: true });
      op.send({ action: 'message', channel: 'lobby', message: 'hello <all>' });
      await alice.next('message');
      alice.send({ action: 'message', channel: 'lobby', message: 'oh darn' });
      const { Report } = JSON.parse((await receiver.next('/ok')).body);
      assert.equal(Report.FromUsername, 'alice');
      assert.equal(Report.AboutUsername, 'alice');
      assert.equal(Report.Channel, 'lobby');
      assert.match(Report.Timestamp, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [A-Z+\-0-9]+$/);
      assert.equal(Report.Reason, 'Server Side Message Filter');
      assert.equal(Report.Message, 'oh darn');
      assert.match(Report.Comment, new RegExp('^This is an automated report via server side chat filters.\n\n'
        + 'The recent context in this channel included the following conversation:\n\n'
        + `${dateLine} \\[op\\] hello <all>\n\n${dateLine} \\[alice\\] oh darn$`));
      op.send({ action: 'message', channel: 'lobby', message: 'darn' });
      assert.deepEqual(await op.next((m) => m.action === 'error' && m.message.startsWith('Your recent')),
        chatServerError('Your recent chat context would have been reported to your main website.'));
      alice.send({ action: 'message', channel: 'lobby', message: 'darn again' });
      const next = JSON.parse((await receiver.next('/ok')).body).Report;
      assert.equal(next.Message, 'darn again', 'the operator was not reported');
    } finally { await server.stop(); }
  });

  test('/nsfw is reported by the operator about the user', async () => {
    const server = await serverWith({ report: '/ok' }, { jwt: true });
    try {
      const alice = await server.jwtUser({ sub: 'alice' });
      const op = await server.jwtUser({ sub: 'op', op: true });
      alice.send({ action: 'me', video: 1 });
      await op.next((m) => m.action === 'who' && m.whoList.some((e) => e.username === 'alice' && e.video === 1));
      op.send({ action: 'message', channel: 'lobby', message: '/nsfw alice' });
      const { Report } = JSON.parse((await receiver.next('/ok')).body);
      assert.deepEqual({ ...Report, Timestamp: undefined }, {
        FromUsername: 'op', AboutUsername: 'alice', Channel: 'n/a', Timestamp: undefined,
        Reason: 'NSFW Command Issued',
        Message: 'An admin command was issued: @op marks @alice\'s camera as NSFW',
        Comment: 'An admin has marked their webcam as explicit.',
      });
    } finally { await server.stop(); }
  });
});

describe('/api/profile', () => {
  const ask = (server, body) => server.postJson('/api/profile', body);
  const card = { StatusCode: 200, Data: { OK: true, Headline: 'Hello <b>', ProfileFields: [{ Name: 'Age', Value: '30yo' }] } };

  test('the website\'s card comes back re-encoded; the webhook got the exact JSON', async () => {
    const server = await serverWith({ profile: '/profile' }, { jwt: true });
    try {
      receiver.profile = () => [200, JSON.stringify({ ...card, Extra: 'dropped' })];
      const res = await ask(server, { JWTToken: signJwt({ sub: 'viewer' }), Username: 'bob<1>' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(await res.text(), '{\n  "OK": true,\n  "Headline": "Hello \\u003cb\\u003e",\n'
        + '  "ProfileFields": [\n    {\n      "Name": "Age",\n      "Value": "30yo"\n    }\n  ]\n}\n');
      const req = await receiver.next('/profile');
      assert.equal(req.body, `{"Action":"profile","APIKey":"${API_KEY}","Username":"bob\\u003c1\\u003e"}`);
      assert.equal(req.headers['content-type'], 'application/json');
    } finally { await server.stop(); }
  });

  test('the StatusCode field decides; errors and unreadable answers are a 500 that says why', async () => {
    const server = await serverWith({ profile: '/profile' }, { jwt: true });
    const token = signJwt({ sub: 'viewer' });
    try {
      const cases = [
        [[500, JSON.stringify(card)], 200, null],  // the HTTP status is not what counts
        [[200, JSON.stringify({ StatusCode: 404, Data: { OK: false, Error: 'No such user' } })], 500,
          { OK: false, Error: 'No such user' }],
        [[200, ''], 500, { OK: false, Error: 'Didn\'t get expected response for profile data: unexpected end of JSON input' }],
        [[200, '<html>oops'], 500, null],
        [[200, '{"StatusCode":"200"}'], 500,
          { OK: false, Error: 'Didn\'t get expected response for profile data: "StatusCode" must be an integer' }],
        [[200, JSON.stringify({ StatusCode: 200, Data: 'x'.repeat(2 << 20) })], 500,
          { OK: false, Error: 'Didn\'t get expected response for profile data: unexpected end of JSON input' }],
      ];
      for (const [[status, body], want, json] of cases) {
        receiver.profile = () => [status, body];
        const res = await ask(server, { JWTToken: token, Username: 'bob' });
        assert.equal(res.status, want, body.slice(0, 40));
        const got = await res.json();
        if (json) assert.deepEqual(got, json);
        if (want === 500) {
          assert.equal(got.OK, false);
          assert.ok(got.Error.length > 0);
        }
      }
    } finally { await server.stop(); }
  });

  test('the caller needs a valid chat JWT; the webhook must be on', async () => {
    const server = await serverWith({ report: '/ok' }, { jwt: true });
    const plain = await Server.start();
    const before = receiver.requests.length;
    try {
      const expectError = async (res, status, error) => {
        assert.equal(res.status, status);
        assert.deepEqual(await res.json(), { OK: false, Error: error });
      };
      await expectError(await ask(plain, { JWTToken: signJwt({ sub: 'a' }), Username: 'b' }), 400,
        'JWT authentication is not available.');
      await expectError(await ask(server, { Username: 'b' }), 400, 'JWT authentication is not available.');
      await expectError(await ask(server, { JWTToken: signJwt({ sub: 'a' }, { secret: 'wrong' }), Username: 'b' }),
        400, 'signature is invalid');
      await expectError(await ask(server, { JWTToken: 'not.a.token', Username: 'b' }), 400,
        (await (await ask(server, { JWTToken: 'not.a.token' })).json()).Error);
      await expectError(await ask(server, { JWTToken: signJwt({ sub: 'a' }), Username: 'b' }), 500,
        'Didn\'t get expected response for profile data: unexpected end of JSON input');
      await server.waitForLog(/the profile webhook is not enabled/);
      const bad = await server.postJson('/api/profile', '{"JWTToken": 3}');
      assert.equal(bad.status, 400);
      assert.equal(receiver.requests.length, before, 'nothing was posted to the website');
    } finally {
      await server.stop();
      await plain.stop();
    }
  });
});
