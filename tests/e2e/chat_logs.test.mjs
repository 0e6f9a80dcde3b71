// [Logging] against the real binary: channel and DM log files, their lines,
// hostile names kept inside the directory, and a directory that cannot be
// written (the original crashed on it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Server, settingsToml, sleep } from './harness.mjs';

const logging = (dir) => settingsToml(`[Logging]
Enabled = true
Directory = '${dir}'
Channels = ['lobby']
Usernames = ['alice', '../../evil']
`);

const line = (who, text) => new RegExp(
  String.raw`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) \[${who}\] ${text}\n$`);

// The file's content once it has `lines` lines (the writer is a thread).
async function read(file, lines = 1) {
  for (let i = 0; i < 500; ++i) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.split('\n').length > lines) return text;
    await sleep(10);
  }
  throw new Error(`${file} never got ${lines} line(s)`);
}

test('channel and DM logs get the raw text, in files named safely', async () => {
  const server = await Server.start({ settings: logging('logs') });
  try {
    const alice = await server.guest('alice');
    const bob = await server.guest('bob');
    const evil = await server.guest('../../evil');
    alice.send({ action: 'message', channel: 'lobby', message: 'hello *all*' });
    alice.send({ action: 'message', channel: '@bob', message: 'psst' });
    evil.send({ action: 'message', channel: '@bob', message: 'boo' });
    await bob.next((m) => m.action === 'message' && m.username === '../../evil');
    const dir = path.join(server.dir, 'logs');
    assert.match(await read(path.join(dir, 'lobby.txt')), line('alice', String.raw`hello \*all\*`));
    assert.match(await read(path.join(dir, '@alice', 'bob.txt')), line('alice', 'psst'));
    assert.match(await read(path.join(dir, '@%2E.%2F..%2Fevil', 'bob.txt')), line(String.raw`\.\./\.\./evil`, 'boo'));
    assert.ok(!fs.existsSync(path.join(dir, '@bob')), 'bob is not monitored');
    assert.ok(!fs.existsSync(path.join(server.dir, '..', 'evil')), 'nothing outside the directory');
  } finally { await server.stop(); }
});

test('a log directory that cannot be written is logged and chat goes on', async () => {
  const server = await Server.start({ settings: logging('/proc/no-such-place') });
  try {
    const alice = await server.guest('alice');
    const bob = await server.guest('bob');
    alice.send({ action: 'message', channel: 'lobby', message: 'one' });
    alice.send({ action: 'message', channel: 'lobby', message: 'two' });
    assert.equal((await bob.next((m) => m.action === 'message' && m.message === '<p>two</p>')).username, 'alice');
    await server.waitForLog(/chat log \/proc\/no-such-place\/lobby\.txt: cannot open it/);
    assert.equal(server.log.match(/chat log .*lobby\.txt/g).length, 1, 'logged once');
  } finally { await server.stop(); }
});
