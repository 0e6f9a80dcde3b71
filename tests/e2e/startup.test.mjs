// Start-up as an existing deployment sees it: settings.toml written or
// upgraded in the working directory, the original's flags, clear failures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BIN, Server } from './harness.mjs';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-start-'));

describe('start-up', () => {
  test('a first start writes settings.toml with Version 17 and a random admin key', async () => {
    const dir = tempDir();
    const server = await Server.start({ settings: null, cwd: dir });
    const text = fs.readFileSync(path.join(dir, 'settings.toml'), 'utf8');
    assert.match(text, /^Version = 17$/m);
    assert.match(text, /^AdminAPIKey = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'$/m);
    assert.equal(text.match(/^\[\[PublicChannels\]\]$/gm).length, 3);
    await server.stop();
  });

  test('an existing file is read, not rewritten', async () => {
    const dir = tempDir();
    const mine = "# my comment\nVersion = 17\nTitle = 'Mine'\n";
    fs.writeFileSync(path.join(dir, 'settings.toml'), mine);
    const server = await Server.start({ settings: null, cwd: dir });
    const page = await (await server.fetch('/')).text();
    assert.match(page, /<title>Mine<\/title>/);
    assert.equal(fs.readFileSync(path.join(dir, 'settings.toml'), 'utf8'), mine);
    await server.stop();
  });

  test('an older file is upgraded with every key, keeping its values and lists', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.toml'), `Version = 7
Title = 'Old Room'
AdminAPIKey = 'kept-key'
[[PublicChannels]]
ID = 'main'
Name = 'Main'
`);
    const server = await Server.start({ settings: null, cwd: dir });
    await server.waitForLog(/New options are available for your settings\.toml file/);
    const text = fs.readFileSync(path.join(dir, 'settings.toml'), 'utf8');
    assert.match(text, /^Version = 17$/m);
    assert.match(text, /^Title = 'Old Room'$/m);
    assert.match(text, /^AdminAPIKey = 'kept-key'$/m);
    assert.equal(text.match(/^\[\[PublicChannels\]\]$/gm).length, 1, 'lists are replaced, never duplicated');
    assert.match(text, /^\[DMLinkSpamProtection\]$/m);
    await server.stop();
  });

  test('a broken settings file stops the start with its position, and is left alone', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.toml'), 'Title = [\n');
    const r = spawnSync(BIN, ['-address', '127.0.0.1:0'], { cwd: dir, encoding: 'utf8', timeout: 5000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr + r.stdout, /Error loading settings\.toml: .*line/);
    assert.equal(fs.readFileSync(path.join(dir, 'settings.toml'), 'utf8'), 'Title = [\n');
    fs.rmSync(dir, { recursive: true });
  });

  test('Go-style flags: -address=, --address, -debug', async () => {
    for (const args of [['-address=127.0.0.1:0', '-debug'], ['--address', '127.0.0.1:0', '-debug=true']]) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'settings.toml'), 'Version = 17\n');
      const r = spawnSync(BIN, [...args, '-h'], { cwd: dir, encoding: 'utf8', timeout: 5000 });
      assert.equal(r.status, 0, r.stderr);
      fs.rmSync(dir, { recursive: true });
    }
    const bad = spawnSync(BIN, ['-nosuchflag'], { encoding: 'utf8', timeout: 5000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /address/);
  });

  test('a port in use is a clear start-up failure', async () => {
    const first = await Server.start();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.toml'), 'Version = 17\n');
    const r = spawnSync(BIN, ['-address', `127.0.0.1:${first.port}`], { cwd: dir, encoding: 'utf8', timeout: 5000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr + r.stdout, /Cannot serve on 127\.0\.0\.1:\d+: .*in use/i);
    await first.stop();
    fs.rmSync(dir, { recursive: true });
  });
});
