// A cluster for tests: Debian's redis-server on a free loopback port in a
// temp dir, and barertc nodes that share one room through it.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Server, settingsToml, sleep } from './harness.mjs';

const running = new Set();
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class Redis {
  // Append-only file, synced on every write: a restarted Redis has every
  // entry it acknowledged (README: what the cluster guarantees).
  static async start() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barertc-redis-'));
    const redis = new Redis(dir, await freePort());
    await redis.launch();
    return redis;
  }

  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
  }

  get url() { return `redis://127.0.0.1:${this.port}/0`; }

  async launch() {
    const args = ['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir,
      '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no',
      '--protected-mode', 'yes', '--enable-debug-command', 'local'];
    this.proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.proc);
    this.exited = new Promise((resolve) => this.proc.on('exit', () => {
      running.delete(this.proc);
      resolve();
    }));
    let log = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis did not start:\n${log}`)), 10000);
      const onData = (d) => {
        log += d.toString();
        if (/Ready to accept connections/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', onData);
      this.proc.on('exit', () => reject(new Error(`redis exited:\n${log}`)));
    });
  }

  // SIGTERM: a clean stop (the AOF is already synced).
  async stop({ keepDir = false } = {}) {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      await this.exited;
    }
    if (!keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  restart() { return this.launch(); }

  // One command through redis-cli; its output, trimmed.
  cli(...args) {
    return new Promise((resolve, reject) => {
      execFile('redis-cli', ['-p', String(this.port), ...args], (err, stdout) =>
        (err ? reject(err) : resolve(stdout.trim())));
    });
  }
}

// settings.toml for one node of the room `room` on `redis`.
// `cluster` adds lines to the [Cluster] section.
export function clusterSettings(redis, name,
  { extra = '', room = 'e2e', heartbeat = 2, cluster = '' } = {}) {
  return settingsToml(`${extra}
[Cluster]
Enabled = true
RedisURL = '${redis.url}'
NodeName = '${name}'
Room = '${room}'
HeartbeatTimeout = ${heartbeat}
${cluster}
`);
}

export class Cluster {
  // options: those of clusterSettings, and `args` for every node's command line.
  static async start(count, options = {}) {
    const redis = await Redis.start();
    const cluster = new Cluster(redis, options);
    for (let i = 0; i < count; ++i) await cluster.addNode();
    return cluster;
  }

  constructor(redis, options) {
    this.redis = redis;
    this.options = options;
    this.nodes = [];
  }

  async addNode(name = `node${this.nodes.length + 1}`) {
    const node = await Server.start({
      settings: clusterSettings(this.redis, name, this.options),
      args: this.options.args,
    });
    node.name = name;
    this.nodes.push(node);
    return node;
  }

  // Every node lists exactly these users in /api/statistics.
  async everyoneSees(names, timeout = 10000) {
    const want = JSON.stringify([...names].sort());
    const deadline = Date.now() + timeout;
    for (;;) {
      const seen = await Promise.all(this.nodes.filter((n) => n.proc.exitCode === null &&
        n.proc.signalCode === null).map(async (n) => JSON.stringify(await n.usernames())));
      if (seen.every((s) => s === want)) return;
      if (Date.now() > deadline) throw new Error(`nodes list ${seen.join(' / ')}, not ${want}`);
      await sleep(25);
    }
  }

  async stop() {
    for (const n of this.nodes) {
      if (n.proc.exitCode === null && n.proc.signalCode === null) {
        n.proc.kill('SIGKILL');
        await n.exited;
      }
      fs.rmSync(n.dir, { recursive: true, force: true });
    }
    await this.redis.stop();
  }
}
