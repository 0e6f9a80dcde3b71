// The chat page and its template constants, the JWT gate, /about and /logout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Server, settingsToml, signJwt, pageConstant as constant } from './harness.mjs';

describe('chat page', () => {
  let server;
  before(async () => {
    server = await Server.start({
      settings: settingsToml(`Title = '</title><script>alert(1)</script>'
Branding = '<b>Brand</b></script><script>alert(2)</script>'`),
    });
  });
  after(async () => { await server.stop(); });

  test('carries the settings as JavaScript constants', async () => {
    const res = await server.fetch('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const page = await res.text();
    assert.deepEqual(constant(page, 'PublicChannels').map((c) => c.ID), ['lobby', 'offtopic', 'vip']);
    assert.equal(constant(page, 'PublicChannels')[0].Icon, '');
    assert.deepEqual(constant(page, 'TURN'), { URLs: ['stun:stun.l.google.com:19302'], Username: '', Credential: '' });
    assert.deepEqual(constant(page, 'WebhookURLs').map((w) => [w.Name, w.Enabled]), [['report', false], ['profile', false]]);
    assert.equal(constant(page, 'PermitNSFW'), false);
    assert.equal(constant(page, 'UserJWTValid'), false);
    assert.deepEqual(constant(page, 'UserJWTClaims'), {});
    assert.deepEqual(constant(page, 'CachedBlocklist'), []);
    assert.equal(Object.keys(constant(page, 'UserJWTRules')).length, 5);
    assert.match(constant(page, 'CacheHash'), /^[a-z]{8}$/);
    assert.match(page, /function setModalImage\(url\)/);
    assert.match(page, /<div id="app">/);
  });

  test('no settings text can break out of the title or the script', async () => {
    // The web client's module script (when there is a built client) aside.
    const page = (await (await server.fetch('/')).text())
      .replace(/<script type="module" src="\/static\/app\.js\?\w+"><\/script>/, '');
    assert.equal(page.match(/<script/g).length, 1);
    assert.equal(page.match(/<\/script>/g).length, 1);
    assert.equal(constant(page, 'Branding'), '<b>Brand</b></script><script>alert(2)</script>');
    assert.match(page, /<title>&lt;\/title&gt;&lt;script&gt;/);
  });

  test('a valid token is carried with its claims and rules', async () => {
    const token = signJwt({ sub: 'pageuser', op: true, rules: ['redcam'] });
    const page = await (await server.fetch(`/?jwt=${token}`)).text();
    assert.equal(constant(page, 'UserJWTToken'), token);
    assert.equal(constant(page, 'UserJWTValid'), true);
    assert.equal(constant(page, 'UserJWTClaims').sub, 'pageuser');
    assert.equal(constant(page, 'UserJWTRules').IsRedCamRule, true);
  });

  test('the token may come in a POSTed form', async () => {
    const token = signJwt({ sub: 'formuser' });
    const res = await server.fetch('/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `jwt=${encodeURIComponent(token)}`,
    });
    assert.equal(constant(await res.text(), 'UserJWTClaims').sub, 'formuser');
  });

  test('a bad token is refused with the parser\'s reason', async () => {
    const res = await server.fetch('/?jwt=garbage');
    assert.equal(res.status, 403);
    assert.equal(await res.text(), 'Error parsing your JWT token: token contains an invalid number of segments');
    const wrong = await server.fetch(`/?jwt=${signJwt({ sub: 'x' }, { secret: 'nope' })}`);
    assert.equal(await wrong.text(), 'Error parsing your JWT token: signature is invalid');
  });

  test('unknown paths render the chat page; /about and /logout have their own', async () => {
    // /favicon.ico is the web client's (static_files.test.mjs).
    for (const path of ['/api/unknown', '/some/where', '/static', '/about/']) {
      assert.match(await (await server.fetch(path)).text(), /const PublicChannels/, path);
    }
    const about = await (await server.fetch('/about')).text();
    assert.match(about, /About &lt;\/title&gt;/);
    const logout = await (await server.fetch('/logout')).text();
    assert.match(logout, /Logged out/);
    assert.match(logout, /window\.close\(\)/);
  });
});

describe('chat page in strict JWT mode', () => {
  test('without a token: 403, or a redirect to the landing page', async () => {
    const strict = settingsToml().replace('Enabled = false', 'Enabled = true');
    const server = await Server.start({ settings: strict });
    const res = await server.fetch('/');
    assert.equal(res.status, 403);
    assert.equal(await res.text(), 'Authentication denied. Please go back and try again.');
    const ok = await server.fetch(`/?jwt=${signJwt({ sub: 'member' })}`);
    assert.equal(ok.status, 200);
    await server.stop();

    const landing = await Server.start({ settings: strict.replace("LandingPageURL = ''", '') + "LandingPageURL = 'https://site.example/login'\n" });
    const redirect = await landing.fetch('/', { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), 'https://site.example/login');
    await landing.stop();
  });
});
