// The built web client, served from memory: /static/ and /favicon.ico (types,
// HEAD, ETag, gzip, no way out of the directory), the chat page's tags for it,
// and where the server finds it (-web, or the default places).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { API_KEY, BIN, Server, rawExchange, pageConstant as constant } from './harness.mjs';

const APP_JS = 'export const greeting = "hello from app.js";\n'.repeat(40);

// A built client as the web build lays it out (see web/vite.config).
const CLIENT = {
  'static/app.js': APP_JS,
  'static/app.js.gz': zlib.gzipSync(APP_JS),
  'static/app.css': 'body { color: rebeccapurple; }\n',
  'static/chunks/vendor-AbC123xy.js': 'export default 42;\n',
  'static/img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'static/img/photo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
  'static/sfx/beep.mp3': Buffer.from([0xff, 0xfb, 0x90, 0x00]),
  'static/fonts/icons.woff2': Buffer.from('wOF2\0\0\0\0'),
  'static/data.bin': Buffer.from([0, 1, 2, 255]),
  'favicon.ico': Buffer.from([0, 0, 1, 0, 1, 0]),
  'index.html': '<!doctype html><title>vite page</title>',
};

const TYPES = {
  'static/app.js': 'text/javascript; charset=utf-8',
  'static/app.css': 'text/css; charset=utf-8',
  'static/chunks/vendor-AbC123xy.js': 'text/javascript; charset=utf-8',
  'static/img/logo.svg': 'image/svg+xml',
  'static/img/photo.png': 'image/png',
  'static/sfx/beep.mp3': 'audio/mpeg',
  'static/fonts/icons.woff2': 'font/woff2',
  'static/data.bin': 'application/octet-stream',
  'favicon.ico': 'image/x-icon',
};

function writeTree(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-web-'));

// A request sent exactly as written (fetch() would resolve "..", add
// Accept-Encoding and decompress). A dropped connection gives status 0.
function get(port, target, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', () => resolve({ status: 0, headers: {}, body: Buffer.alloc(0) }));
    req.end();
  });
}

describe('web client files', () => {
  let server;
  let web;
  before(async () => {
    const dir = tempDir();
    web = path.join(dir, 'client');
    writeTree(web, CLIENT);
    fs.symlinkSync('app.css', path.join(web, 'static/alias.css'));
    fs.symlinkSync('../../settings.toml', path.join(web, 'static/leak.txt'));
    server = await Server.start({ cwd: dir, args: ['-web', web] });
  });
  after(async () => { await server.stop(); });

  test('the start-up log names the directory served', () => {
    assert.match(server.log, new RegExp(`\\[info\\] Serving the web client from ${fs.realpathSync(web)} \\(`));
    assert.match(server.log, /leak\.txt links out of/);
  });

  test('every file with its content and type', async () => {
    for (const [rel, type] of Object.entries(TYPES)) {
      const res = await get(server.port, `/${rel}`);
      assert.equal(res.status, 200, rel);
      assert.equal(res.headers['content-type'], type, rel);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', rel);
      assert.equal(res.headers['cache-control'], 'no-cache', rel);
      assert.deepEqual(res.body, Buffer.from(CLIENT[rel]), rel);
      assert.equal(res.headers['content-encoding'], undefined, rel);
    }
  });

  test('the query string (the page\'s cache buster) does not matter', async () => {
    const res = await get(server.port, '/static/app.css?abcdefgh');
    assert.equal(res.body.toString(), CLIENT['static/app.css']);
  });

  test('a link to a file inside the directory is served; one out of it is not', async () => {
    assert.equal((await get(server.port, '/static/alias.css')).body.toString(), CLIENT['static/app.css']);
    const leak = await get(server.port, '/static/leak.txt');
    assert.equal(leak.status, 404);
    assert.ok(!leak.body.includes(API_KEY));
  });

  test('HEAD: the headers with the length, no body, the connection goes on', async () => {
    const head = await get(server.port, '/static/app.css', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(CLIENT['static/app.css'].length));
    assert.equal(head.headers['content-type'], 'text/css; charset=utf-8');
    assert.ok(head.headers.etag);
    // A body sent after a HEAD answer would be read as the next response.
    const both = await rawExchange(server.port,
      'HEAD /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n' +
      'GET /static/img/logo.svg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(both.match(/HTTP\/1\.1 200 OK/g).length, 2);
    assert.ok(!both.includes('rebeccapurple'));
    assert.ok(both.endsWith(CLIENT['static/img/logo.svg']));
  });

  test('ETag: If-None-Match gets a 304 with no body', async () => {
    const first = await get(server.port, '/static/app.css');
    const etag = first.headers.etag;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get(server.port, '/static/app.css', { headers: { 'If-None-Match': inm } });
      assert.equal(again.status, 304, inm);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
    }
    const other = await get(server.port, '/static/app.css', { headers: { 'If-None-Match': '"other"' } });
    assert.equal(other.status, 200);
    // Derived from the content: another file, another tag.
    assert.notEqual((await get(server.port, '/static/img/logo.svg')).headers.etag, etag);
  });

  test('gzip: the .gz next to a file goes to clients that accept it', async () => {
    const gz = await get(server.port, '/static/app.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.deepEqual(gz.body, Buffer.from(CLIENT['static/app.js.gz']));
    assert.equal(zlib.gunzipSync(gz.body).toString(), APP_JS);

    for (const ae of [undefined, 'gzip;q=0', 'br, deflate', 'identity', '*, gzip;q=0']) {
      const plain = await get(server.port, '/static/app.js', { headers: ae ? { 'Accept-Encoding': ae } : {} });
      assert.equal(plain.headers['content-encoding'], undefined, ae);
      assert.equal(plain.headers.vary, 'Accept-Encoding', ae);
      assert.equal(plain.body.toString(), APP_JS, ae);
      assert.notEqual(plain.headers.etag, gz.headers.etag);
    }
    for (const ae of ['GZIP', 'x-gzip', '*', 'br;q=1.0, gzip;q=0.5']) {
      const res = await get(server.port, '/static/app.js', { headers: { 'Accept-Encoding': ae } });
      assert.equal(res.headers['content-encoding'], 'gzip', ae);
    }
    // The plain tag does not validate the gzip bytes.
    const cross = await get(server.port, '/static/app.js', {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': (await get(server.port, '/static/app.js')).headers.etag },
    });
    assert.equal(cross.status, 200);
    const same = await get(server.port, '/static/app.js', {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag },
    });
    assert.equal(same.status, 304);
    assert.equal(same.headers['content-encoding'], 'gzip');

    // A file without a .gz: never encoded, no Vary.
    const css = await get(server.port, '/static/app.css', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(css.headers['content-encoding'], undefined);
    assert.equal(css.headers.vary, undefined);
  });

  test('fetch() (which asks for gzip) reads the script as written', async () => {
    const res = await server.fetch('/static/app.js');
    assert.equal(await res.text(), APP_JS);
  });

  test('missing files are 404, not the chat page', async () => {
    for (const target of ['/static/missing.js', '/static/img/', '/static/img', '/static/index.html',
      '/static/app.js/', '/static/APP.JS']) {
      const res = await get(server.port, target);
      assert.equal(res.status, 404, target);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8', target);
      assert.equal(res.body.toString(), '404 page not found\n', target);
    }
    // Vite's own index.html is not a route: other paths stay the chat page.
    const page = (await get(server.port, '/index.html')).body.toString();
    assert.match(page, /const PublicChannels/);
  });

  test('other methods: 405', async () => {
    const res = await get(server.port, '/static/app.js', { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
    assert.equal((await get(server.port, '/favicon.ico', { method: 'DELETE' })).status, 405);
  });

  test('no spelling of a path leads out of the directory', async () => {
    const attempts = [
      '/static/../settings.toml', '/static/../../settings.toml', '/static/%2e%2e/settings.toml',
      '/static/%2E%2E/%2e%2e/settings.toml', '/static/..%2fsettings.toml', '/static/..%2F..%2Fsettings.toml',
      '/static/%2e%2e%2f%2e%2e%2fsettings.toml', '/static/..%5c..%5csettings.toml', '/static/..\\..\\settings.toml',
      '/static/..%252f..%252fsettings.toml', '/static//settings.toml', '/static///../../settings.toml',
      '/static/./app.css', '/static/img/../app.css', '/static/img/%2e%2e/app.css', '/static/app.css%00.png',
      '/static/%00', '/static/%', '/static/%zz', '/static/..', '/static/.', '/static/', '//static/../settings.toml',
      '/static/%2fetc%2fpasswd', '/static//etc/passwd', '/favicon.ico/../settings.toml',
    ];
    for (const target of attempts) {
      const res = await get(server.port, target);
      const body = res.body.toString();
      assert.ok(!body.includes(API_KEY) && !body.includes('AdminAPIKey'), target);
      assert.ok(!body.includes('root:'), target);
      if (target.startsWith('/static/')) assert.ok([0, 400, 404].includes(res.status), `${target}: ${res.status}`);
    }
  });

  test('the chat page loads the client under a version that changes only with its content', async () => {
    const page = await (await server.fetch('/')).text();
    const css = page.match(/<link rel="stylesheet" href="\/static\/app\.css\?(\w+)">/);
    const js = page.match(/<script type="module" src="\/static\/app\.js\?(\w+)"><\/script>/);
    assert.ok(css && js, page);
    assert.notEqual(css[1], js[1], 'each file has its own version');
    const again = await (await server.fetch('/')).text();
    assert.ok(again.includes(js[0]) && again.includes(css[0]), 'the same on every load, so browsers cache it');
    assert.ok(!page.includes('chat.css'));
    assert.ok(!page.includes('not built'));
    // After the classic script that defines the constants.
    assert.ok(page.indexOf('const CacheHash') < page.indexOf('<script type="module"'));
    assert.match(page, /<div id="app"><noscript>[^<]*<\/noscript><\/div>/);
  });
});

describe('without a web client', () => {
  test('the page says the client is not built; its files are 404', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'empty'));
    const server = await Server.start({ cwd: dir, args: ['-web', 'empty'] });
    assert.match(server.log, /\[warning\] No web client in .*empty \(no static\/app\.js there\)/);
    const page = await (await server.fetch('/')).text();
    assert.match(page, /<div id="app"><noscript>.*<\/noscript><p>The web client is not built: run <code>make run<\/code>\.<\/p><\/div>/);
    assert.ok(!page.includes('/static/app.'));
    assert.equal(constant(page, 'PublicChannels')[0].ID, 'lobby');
    for (const target of ['/static/app.js', '/favicon.ico']) {
      assert.equal((await get(server.port, target)).status, 404, target);
    }
    await server.stop();
  });

  test('a -web directory that does not exist is warned about, and the server runs', async () => {
    const server = await Server.start({ args: ['-web', '/nonexistent/barertc-web'] });
    assert.match(server.log, /\[warning\] No web client in \/nonexistent\/barertc-web/);
    assert.equal((await server.fetch('/')).status, 200);
    await server.stop();
  });
});

// Without -web: the first of <binary's dir>/../web/dist, ./web/dist and
// ./dist that holds static/app.js. The binary is copied into a temporary
// tree so that the source tree's own web/dist does not decide.
describe('default web directory', () => {
  let root;
  let bin;
  before(() => {
    root = tempDir();
    bin = path.join(root, 'bin', 'barertc');
    fs.mkdirSync(path.dirname(bin));
    fs.copyFileSync(BIN, bin);
    fs.chmodSync(bin, 0o755);
  });
  after(() => { fs.rmSync(root, { recursive: true, force: true }); });

  async function startCopy(cwd) {
    fs.writeFileSync(path.join(cwd, 'settings.toml'), `Version = 17\nAdminAPIKey = '${API_KEY}'\n`);
    const proc = spawn(bin, ['-address', '127.0.0.1:0', '-presence-quiet', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Server(proc, cwd);
    server.port = Number((await server.waitForLog(/Listening at 127\.0\.0\.1:(\d+)/, 10000))[1]);
    return server;
  }

  const marker = (name) => ({ 'static/app.js': `// ${name}\n` });
  const served = async (server) => (await get(server.port, '/static/app.js')).body.toString();

  test('./dist, when it is the only one with static/app.js', async () => {
    const cwd = fs.mkdtempSync(path.join(root, 'run-'));
    writeTree(path.join(cwd, 'dist'), marker('dist'));
    fs.mkdirSync(path.join(cwd, 'web', 'dist'), { recursive: true });  // no client in it
    const server = await startCopy(cwd);
    assert.equal(await served(server), '// dist\n');
    assert.match(server.log, new RegExp(`Serving the web client from ${fs.realpathSync(cwd)}/dist `));
    await server.stop();
  });

  test('./web/dist before ./dist', async () => {
    const cwd = fs.mkdtempSync(path.join(root, 'run-'));
    writeTree(path.join(cwd, 'dist'), marker('dist'));
    writeTree(path.join(cwd, 'web', 'dist'), marker('web/dist'));
    const server = await startCopy(cwd);
    assert.equal(await served(server), '// web/dist\n');
    await server.stop();
  });

  test('an original BareRTC\'s ./dist (no static/app.js) is not taken for the client', async () => {
    const cwd = fs.mkdtempSync(path.join(root, 'run-'));
    writeTree(path.join(cwd, 'dist'), { 'index.html': '<html>', 'static/css/chat.css': 'body{}' });
    const server = await startCopy(cwd);
    assert.match(server.log, /\[warning\] No web client found \(looked in .*web\/dist, web\/dist, dist\)/);
    assert.equal((await get(server.port, '/static/css/chat.css')).status, 404);
    await server.stop();
  });

  test('<binary\'s dir>/../web/dist before the working directory\'s', async () => {
    writeTree(path.join(root, 'web', 'dist'), marker('next to the binary'));
    const cwd = fs.mkdtempSync(path.join(root, 'run-'));
    writeTree(path.join(cwd, 'web', 'dist'), marker('web/dist'));
    const server = await startCopy(cwd);
    assert.equal(await served(server), '// next to the binary\n');
    assert.match(server.log, new RegExp(`Serving the web client from ${fs.realpathSync(root)}/web/dist `));
    await server.stop();
  });
});
