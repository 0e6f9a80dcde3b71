// One room across several barertc processes through a real redis-server:
// chat, DMs, who lists, webcams, operator commands and the admin API across
// nodes; a node killed with SIGKILL, a node joining and restarting, and Redis
// going away and coming back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { API_KEY, chatServerError, sleep } from './harness.mjs';
import { Cluster, clusterSettings } from './cluster_harness.mjs';

const say = (message, channel = 'lobby') => ({ action: 'message', channel, message });
const said = (text) => (m) => m.action === 'message' && m.message.includes(text);
const lists = (names) => (m) => m.action === 'who' &&
  names.every((n) => m.whoList.some((u) => u.username === n));

// Says "<prefix> <n>" again until the node takes it (no refusal notice): once
// its Redis is back.
async function sayUntilTaken(client, prefix) {
  for (let i = 0; ; ++i) {
    client.send(say(`${prefix} ${i}`));
    const m = await client.next((f) => (f.action === 'message' && f.message.includes(`${prefix} ${i}`)) ||
      f.action === 'error', 10000);
    if (m.action === 'message') return;
    assert.ok(i < 100, 'messages never flowed again');
    await sleep(100);
  }
}

describe('a room on two nodes', () => {
  let cluster, n1, n2;
  before(async () => {
    cluster = await Cluster.start(2);
    [n1, n2] = cluster.nodes;
  });
  afterEach(async () => {
    await n1.leaveAll();
    await n2.leaveAll();
    await cluster.everyoneSees([]);
  });
  after(async () => { await cluster.stop(); });

  test('users on different nodes chat, DM and see one who list', async () => {
    const ann = await n1.guest('ann');
    const bob = await n2.guest('bob');
    await cluster.everyoneSees(['ann', 'bob']);
    // Bob's first list (read at his login) had Ann; Ann's next one has Bob.
    await ann.next(lists(['ann', 'bob']));

    ann.send(say('hello from node 1'));
    const got = await bob.next(said('hello from node 1'));
    assert.equal(got.username, 'ann');
    assert.equal(got.channel, 'lobby');
    bob.send(say('a secret', '@ann'));
    const dm = await ann.next(said('a secret'));
    assert.equal(dm.username, 'bob');
    assert.equal(dm.channel, '@bob');
    // Message IDs agree across nodes: a reaction from the other node lands.
    ann.send({ action: 'react', msgID: got.msgID, message: '👍' });
    const react = await bob.next('react');
    assert.equal(react.msgID, got.msgID);
    assert.equal(react.username, 'ann');
  });

  test('who deltas and full lists agree across nodes', async () => {
    const full = await n1.guest('full-viewer');
    const delta = await n2.client();
    delta.send({ action: 'login', username: 'delta-viewer', extensions: ['who-delta'] });
    await delta.next('me');
    await delta.next(lists(['full-viewer', 'delta-viewer']));
    full.send({ action: 'me', video: 1, status: 'away' });
    const change = await delta.next((m) => m.action === 'who-delta' &&
      m.set?.some((u) => u.username === 'full-viewer' && u.video === 1));
    const entry = change.set.find((u) => u.username === 'full-viewer');
    assert.equal(entry.video, 1);
    assert.equal(entry.status, 'away');
    const list = await full.next((m) => m.action === 'who' &&
      m.whoList.some((u) => u.username === 'delta-viewer'));
    assert.ok(list.whoList.some((u) => u.username === 'full-viewer'));
  });

  test('a webcam opens across nodes and signaling flows between them', async () => {
    const cam = await n1.guest('cam');
    cam.send({ action: 'me', video: 1, status: 'online' });
    await cam.next((m) => m.action === 'who' &&
      m.whoList.some((u) => u.username === 'cam' && u.video === 1));
    const viewer = await n2.guest('viewer');
    const seen = viewer.parsed.find((m) => m.action === 'who');
    assert.equal(seen.whoList.find((u) => u.username === 'cam').video, 1);
    viewer.send({ action: 'open', username: 'cam' });
    const opened = await viewer.next('open');
    const ring = await cam.next('ring');
    assert.equal(ring.username, 'viewer');
    assert.equal(ring.openSecret, opened.openSecret);
    const offer = JSON.stringify({ type: 'offer', sdp: 'v=0' });
    viewer.send({ action: 'sdp', username: 'cam', description: offer });
    assert.deepEqual(await cam.next('sdp'), { action: 'sdp', username: 'viewer', description: offer });
    const cand = JSON.stringify({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' });
    cam.send({ action: 'candidate', username: 'viewer', candidate: cand });
    assert.deepEqual(await viewer.next('candidate'),
      { action: 'candidate', username: 'cam', candidate: cand });
  });

  test('an operator on one node kicks and bans a user on the other', async () => {
    const op = await n1.jwtUser({ sub: 'op1', op: true });
    const victim = await n2.guest('victim');
    await cluster.everyoneSees(['op1', 'victim']);
    op.send(say('/kick victim'));
    assert.deepEqual(await victim.next('error'),
      chatServerError('You have been kicked from the chat room by op1'));
    await victim.next('disconnect');
    await victim.closed;
    await cluster.everyoneSees(['op1']);

    const back = await n2.guest('victim');
    op.send(say('/ban victim 2'));
    assert.deepEqual(await op.next((m) => m.action === 'error' && /banned/.test(m.message)),
      chatServerError('victim has been banned from the room for 2 hours.'));
    await back.closed;
    for (const node of [n1, n2]) {
      const again = await node.client();
      again.send({ action: 'login', username: 'victim' });
      const refusal = await again.next('error');
      assert.match(refusal.message, /^You are currently banned from entering the chat room\./);
      await again.closed;
    }
    op.send(say('/unban victim'));
    await op.next((m) => m.action === 'error' && /lifted/.test(m.message));
    const free = await n2.guest('victim');
    assert.equal(free.username, 'victim');
  });

  test('the admin API on one node reaches users on the other, and counts everyone', async () => {
    const far = await n2.guest('far-away');
    await n1.guest('near-by');
    await cluster.everyoneSees(['far-away', 'near-by']);
    const stats = await (await n2.fetch('/api/statistics')).json();
    assert.deepEqual(stats.Usernames, ['far-away', 'near-by']);
    assert.equal(stats.UserCount, 2);

    const res = await n1.postJson('/api/disconnect/now',
      { APIKey: API_KEY, Usernames: ['far-away'], Message: 'Bye', Kick: true });
    assert.deepEqual(await res.json(), { OK: true, Removed: 1 });
    assert.deepEqual(await far.next('error'), chatServerError('Bye'));
    await far.next('disconnect');
    await far.closed;
    await cluster.everyoneSees(['near-by']);
  });

  test('/metrics and /healthz say the node is in a cluster', async () => {
    for (const node of [n1, n2]) {
      const health = await (await node.fetch('/healthz')).json();
      assert.equal(health.status, 'ok');
      assert.equal(health.cluster.redis, 'connected');
      const metrics = await (await node.fetch('/metrics')).text();
      assert.match(metrics, /^barertc_cluster_enabled 1$/m);
      assert.match(metrics, /^barertc_event_log_connected 1$/m);
      assert.match(metrics, /^barertc_event_log_lag_seconds \d/m);
      assert.match(metrics, /^barertc_event_log_applied_total [1-9]\d*$/m);
    }
  });
});

describe('nodes coming and going', () => {
  test('a killed node\'s users leave everyone\'s list; a new node joins the running room', async () => {
    const cluster = await Cluster.start(2);
    try {
      const [n1, n2] = cluster.nodes;
      const stay = await n1.guest('stayer');
      await n2.guest('doomed');
      await cluster.everyoneSees(['doomed', 'stayer']);
      const killedAt = Date.now();
      n2.proc.kill('SIGKILL');
      await n2.exited;
      await stay.next((m) => m.action === 'presence' && m.username === 'doomed' &&
        m.message === 'has timed out!', 10000);
      assert.ok(Date.now() - killedAt < 10000);
      assert.deepEqual(await n1.usernames(), ['stayer']);

      // A third node starts from the room's state as the others hold it.
      const n3 = await cluster.addNode('node3');
      assert.deepEqual(await n3.usernames(), ['stayer']);
      const late = await n3.guest('latecomer');
      const first = late.parsed.find((m) => m.action === 'who');
      assert.deepEqual(first.whoList.map((u) => u.username), ['latecomer', 'stayer']);
      await stay.next(lists(['stayer', 'latecomer']));
      stay.send(say('welcome, latecomer'));
      await late.next(said('welcome, latecomer'));
    } finally {
      await cluster.stop();
    }
  });

  test('a restarted node signs out its previous users at once and rejoins', async () => {
    const cluster = await Cluster.start(2, { heartbeat: 30 });
    try {
      const [n1, n2] = cluster.nodes;
      const stay = await n1.guest('stays');
      await n2.guest('restarted');
      await cluster.everyoneSees(['restarted', 'stays']);
      n2.proc.kill('SIGKILL');
      await n2.exited;
      cluster.nodes.pop();
      // The heartbeat timeout is 30 s: only the restart can explain a quick exit.
      const again = await cluster.addNode('node2');
      await stay.next((m) => m.action === 'presence' && m.username === 'restarted' &&
        m.message === 'has timed out!', 5000);
      const back = await again.guest('restarted');
      assert.equal(back.username, 'restarted');
      await cluster.everyoneSees(['restarted', 'stays']);
    } finally {
      await cluster.stop();
    }
  });
});

describe('reloading settings.toml in a cluster', () => {
  test('/reconfigure on one node makes every node read its file', async () => {
    const cluster = await Cluster.start(2, { heartbeat: 5 });
    try {
      const [n1, n2] = cluster.nodes;
      const op = await n1.jwtUser({ sub: 'rc-op', op: true });
      const user = await n2.guest('rc-user');
      await cluster.everyoneSees(['rc-op', 'rc-user']);
      const channels = `[[PublicChannels]]
ID = 'lobby'
Name = 'Lobby'
[[PublicChannels]]
ID = 'added'
Name = 'Added'
`;
      for (const n of [n1, n2]) {
        fs.writeFileSync(path.join(n.dir, 'settings.toml'),
          clusterSettings(cluster.redis, n.name, { heartbeat: 5, extra: channels }));
      }
      op.send(say('/reconfigure'));
      assert.deepEqual(await op.next('error'),
        chatServerError('The server config file has been reloaded successfully!'));
      await n2.waitForLog(/settings\.toml reloaded/);
      // Only the operator's node answers him.
      assert.ok(!user.parsed.some((m) => m.action === 'error' && /reloaded/.test(m.message)));
      // The channel exists on both nodes: the user's own node echoes his
      // message, and the operator's delivers it.
      user.send(say('in the new channel', 'added'));
      const reply = (m) => m.action === 'message' || m.action === 'error';
      for (const c of [user, op]) {
        const got = await c.next(reply);
        assert.equal(got.action, 'message', JSON.stringify(got));
        assert.equal(got.channel, 'added');
      }
    } finally {
      await cluster.stop();
    }
  });
});

describe('a node stopped cleanly', () => {
  test('its users leave everyone\'s list at once', async () => {
    const cluster = await Cluster.start(2, { heartbeat: 30 });
    try {
      const [n1, n2] = cluster.nodes;
      const stay = await n1.guest('remains');
      await n2.guest('goes');
      await cluster.everyoneSees(['goes', 'remains']);
      await n2.stop();
      cluster.nodes.pop();
      // The heartbeat timeout is 30 s: only the node's own goodbye explains this.
      await stay.next((m) => m.action === 'presence' && m.username === 'goes', 5000);
      assert.deepEqual(await n1.usernames(), ['remains']);
    } finally {
      await cluster.stop();
    }
  });
});

describe('Redis going away', () => {
  test('nodes keep their connections, refuse what they cannot order, and resume', async () => {
    const cluster = await Cluster.start(2);
    try {
      const [n1, n2] = cluster.nodes;
      const ann = await n1.guest('r-ann');
      const bob = await n2.guest('r-bob');
      await cluster.everyoneSees(['r-ann', 'r-bob']);

      await cluster.redis.stop({ keepDir: true });
      ann.send(say('lost in the outage'));
      const refusal = await ann.next('error', 10000);
      assert.match(refusal.message, /cannot reach its message log/);
      let health;
      for (let i = 0; i < 100; ++i) {
        health = await n1.fetch('/healthz');
        if (health.status === 503) break;
        await sleep(50);
      }
      assert.equal(health.status, 503);
      assert.equal((await health.json()).cluster.redis, 'unreachable');
      assert.ok(ann.isOpen() && bob.isOpen(), 'the clients stay connected');

      await cluster.redis.restart();
      // Once the node can write again, messages flow between the nodes.
      await sayUntilTaken(ann, 'back');
      const got = await bob.next((m) => m.action === 'message' && /back \d+/.test(m.message), 10000);
      assert.equal(got.username, 'r-ann');
      for (let i = 0; (await n1.fetch('/healthz')).status !== 200; ++i) {
        assert.ok(i < 100, '/healthz never said ok again');
        await sleep(50);
      }
      // Nobody was signed out by the outage.
      await cluster.everyoneSees(['r-ann', 'r-bob']);
    } finally {
      await cluster.stop();
    }
  });
});

// SIGSTOP, and wait until the kernel has stopped every thread of it.
async function pause(node) {
  node.proc.kill('SIGSTOP');
  const state = (task) => {
    const stat = fs.readFileSync(`/proc/${node.proc.pid}/task/${task}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  };
  for (let i = 0; ; ++i) {
    if (fs.readdirSync(`/proc/${node.proc.pid}/task`).every((t) => state(t) === 't' || state(t) === 'T')) return;
    assert.ok(i < 200, 'the node did not stop');
    await sleep(5);
  }
}

// A node whose copy of the room can no longer match the others' exits with
// status 3, closing its clients' sockets, rather than serve a room of its own.
async function exitsToStartAnew(node, timeout = 10000) {
  const ended = await Promise.race([node.exited, sleep(timeout).then(() => null)]);
  assert.ok(ended, `node ${node.name} is still running:\n${node.log}`);
  assert.equal(ended.code, 3, node.log);
  assert.match(node.log, /leaves the room/);
}

describe('Redis restarting with a large data set', () => {
  test('nodes wait while it loads, and nobody is signed out', async () => {
    const cluster = await Cluster.start(2);
    try {
      const [n1, n2] = cluster.nodes;
      const ann = await n1.guest('big-ann');
      const bob = await n2.guest('big-bob');
      await cluster.everyoneSees(['big-ann', 'big-bob']);
      // Two million keys take Redis a second or two to load, during which it
      // answers every command with LOADING.
      await cluster.redis.cli('DEBUG', 'POPULATE', '2000000');
      await cluster.redis.cli('BGREWRITEAOF');
      for (let i = 0; /aof_rewrite_(in_progress|scheduled):1/.test(await cluster.redis.cli('INFO', 'persistence')); ++i) {
        assert.ok(i < 600, 'the AOF rewrite did not finish');
        await sleep(50);
      }
      await cluster.redis.stop({ keepDir: true });
      await cluster.redis.restart();
      assert.match(n1.log + n2.log, /LOADING/, 'the nodes met Redis while it loaded');
      await cluster.everyoneSees(['big-ann', 'big-bob']);
      await sayUntilTaken(ann, 'loaded');
      await bob.next((m) => m.action === 'message' && /loaded \d+/.test(m.message), 10000);
      assert.equal(n1.proc.exitCode, null);
      assert.equal(n2.proc.exitCode, null);
    } finally {
      await cluster.stop();
    }
  });
});

describe('a node that lost track of the room', () => {
  test('a node paused past its heartbeat, its sign-out trimmed away, exits when it wakes', async () => {
    const cluster = await Cluster.start(2);
    try {
      const [n1, n2] = cluster.nodes;
      const stay = await n1.guest('awake');
      const frozen = await n2.guest('frozen');
      await cluster.everyoneSees(['awake', 'frozen']);
      await pause(n2);
      await stay.next((m) => m.action === 'presence' && m.username === 'frozen' &&
        m.message === 'has timed out!', 10000);
      // Its NodeLeft entry and everything before it go before it can read them.
      await cluster.redis.cli('XTRIM', 'e2e:log', 'MAXLEN', '0');
      n2.proc.kill('SIGCONT');
      await exitsToStartAnew(n2);
      await frozen.closed;
      // The node that stayed serves on.
      stay.send(say('still here'));
      await stay.next(said('still here'));
      assert.deepEqual(await n1.usernames(), ['awake']);
    } finally {
      await cluster.stop();
    }
  });

  test('a node that fell behind the trimming exits before applying past the gap', async () => {
    // A 30 s heartbeat: nobody reaps the paused node; only the gap can stop it.
    const cluster = await Cluster.start(2, { heartbeat: 30 });
    try {
      const [n1, n2] = cluster.nodes;
      const talker = await n1.guest('talker');
      const behind = await n2.guest('behind');
      await cluster.everyoneSees(['behind', 'talker']);
      await pause(n2);
      // One at a time: the read it was blocked in when paused may hold the
      // first; the others are past the gap.
      for (let i = 0; i < 5; ++i) {
        talker.send(say(`unseen ${i}`));
        await talker.next(said(`unseen ${i}`));
      }
      await cluster.redis.cli('XTRIM', 'e2e:log', 'MAXLEN', '0');
      n2.proc.kill('SIGCONT');
      await exitsToStartAnew(n2);
      const got = behind.parsed.filter(said('unseen')).map((m) => m.message);
      assert.ok(got.every((m) => m.includes('unseen 0')), `its client got ${got}`);
      assert.match(n2.log, /trimmed before this node read them/);
    } finally {
      await cluster.stop();
    }
  });

  test('Redis losing its data makes every node start anew', async () => {
    const cluster = await Cluster.start(2);
    try {
      const [n1, n2] = cluster.nodes;
      const ann = await n1.guest('l-ann');
      const bob = await n2.guest('l-bob');
      await cluster.everyoneSees(['l-ann', 'l-bob']);
      await cluster.redis.cli('FLUSHALL');
      await Promise.all([exitsToStartAnew(n1), exitsToStartAnew(n2)]);
      await Promise.all([ann.closed, bob.closed]);
    } finally {
      await cluster.stop();
    }
  });

  test('the log is trimmed by age, and a node keeps serving', async () => {
    // StreamMaxAge is raised to twice the heartbeat timeout (2 s) and at least 10 s.
    const cluster = await Cluster.start(1, { cluster: 'StreamMaxAge = 1' });
    try {
      const [n1] = cluster.nodes;
      // Trimming with ~ removes whole stream nodes: make them small.
      await cluster.redis.cli('CONFIG', 'SET', 'stream-node-max-entries', '10');
      const talker = await n1.guest('talker');
      for (let i = 0; i < 50; ++i) talker.send(say(`old ${i}`));
      await talker.next(said('old 49'));
      const before = Number(await cluster.redis.cli('XLEN', 'e2e:log'));
      assert.ok(before >= 50, `${before} entries`);
      // The node's ticks (one a second) go on being appended meanwhile.
      let now = before;
      for (let i = 0; now > before - 30; ++i) {
        assert.ok(i < 400, `${now} entries after 20 s, ${before} at first`);
        await sleep(50);
        now = Number(await cluster.redis.cli('XLEN', 'e2e:log'));
      }
      talker.send(say('new'));
      await talker.next(said('new'));
      assert.equal(n1.proc.exitCode, null);
    } finally {
      await cluster.stop();
    }
  });
});
