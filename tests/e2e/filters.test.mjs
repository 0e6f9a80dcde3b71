// [[MessageFilters]] against the real binary: censoring, keeping a message
// to its sender, and a pattern that does not compile refused at start-up
// and on reload with an error naming the filter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, chatServerError, Server, settingsToml } from './harness.mjs';

const filters = (phrases) => settingsToml(`[[MessageFilters]]
Enabled = true
PublicChannels = true
PrivateChannels = true
KeywordPhrases = [${phrases.map((p) => `'${p}'`).join(', ')}]
CensorMessage = true
ForwardMessage = true
ReportMessage = false
ChatServerResponse = 'Watch your language.'
`);

describe('message filters', () => {
  let server;
  before(async () => { server = await Server.start({ settings: filters(['(?i)\\bdarn\\b']) }); });
  after(async () => { await server.stop(); });

  test('a forwarded match reaches everyone censored, and the sender is told', async () => {
    const a = await server.guest('fa');
    const b = await server.guest('fb');
    a.send({ action: 'message', channel: 'lobby', message: 'oh **DARN** it' });
    const m = await b.next('message');
    assert.equal(m.message, '<p>oh <strong>****</strong> it</p>');
    assert.deepEqual(await a.next('error'), chatServerError('Watch your language.'));
    await server.leave([a, b]);
  });

  test('a bad pattern on reload is refused naming the filter; the old filters stay', async () => {
    const op = await server.jwtUser({ sub: 'fop', op: true });
    fs.writeFileSync(path.join(server.dir, 'settings.toml'), filters(['ok', '(unclosed']));
    op.send({ action: 'message', channel: 'lobby', message: '/reconfigure' });
    const reply = await op.next('error');
    assert.match(reply.message, /^Error reloading the server config: MessageFilters\[0\]\.KeywordPhrases: '\(unclosed' is not a valid regular expression/);
    const b = await server.guest('fb2');
    op.send({ action: 'message', channel: 'lobby', message: 'darn' });
    assert.equal((await b.next('message')).message, '<p>****</p>');
    await server.leave([op, b]);
  });
});

test('a bad pattern at start-up stops the server with the reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-e2e-'));
  fs.writeFileSync(path.join(dir, 'settings.toml'), filters(['a[']));
  const proc = spawn(BIN, ['-address', '127.0.0.1:0'], { cwd: dir });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  proc.stdout.on('data', (d) => { log += d; });
  const code = await new Promise((resolve) => proc.on('exit', resolve));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.notEqual(code, 0);
  assert.match(log, /MessageFilters\[0\]\.KeywordPhrases: 'a\[' is not a valid regular expression/);
});
