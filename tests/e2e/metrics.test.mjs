// /metrics (Prometheus text format) and /healthz on a single server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Server } from './harness.mjs';

// The samples of a Prometheus text exposition, by name and labels.
function parseMetrics(text) {
  const samples = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (-?[0-9.e+]+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    assert.ok(types.has(m[1]), `sample without a TYPE: ${line}`);
    samples.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return samples;
}

describe('metrics and health', () => {
  let server;
  before(async () => { server = await Server.start(); });
  after(async () => { await server.stop(); });

  const scrape = async () => {
    const res = await server.fetch('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    return parseMetrics(await res.text());
  };

  test('/healthz answers ok with the room size', async () => {
    const res = await server.fetch('/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = await res.json();
    assert.equal(body.status, 'ok');
    assert.equal(typeof body.uptimeSeconds, 'number');
    assert.equal(body.users, 0);
  });

  test('/metrics counts connections, users, messages, deliveries and who bytes', async () => {
    const before = await scrape();
    assert.equal(before.get('barertc_cluster_enabled'), 0);
    assert.equal(before.get('barertc_connections{transport="websocket"}'), 0);
    assert.equal(before.get('barertc_room_users'), 0);

    const a = await server.guest('mia');
    const b = await server.guest('max');
    a.send({ action: 'message', channel: 'lobby', message: 'hello metrics' });
    await b.next((m) => m.action === 'message' && m.message.includes('hello metrics'));
    const during = await scrape();
    assert.equal(during.get('barertc_connections{transport="websocket"}'), 2);
    assert.equal(during.get('barertc_room_users'), 2);
    const delta = (name) => during.get(name) - before.get(name);
    // Two logins and a message at least; the harness may send more.
    assert.ok(delta('barertc_messages_received_total') >= 3);
    // The message went to both users, and each got a who list.
    assert.ok(delta('barertc_deliveries_total') >= 4);
    assert.ok(delta('barertc_who_deliveries_total') >= 2);
    assert.ok(delta('barertc_who_bytes_total') > 2 * '{"action":"who"}'.length);
    assert.ok(delta('barertc_messages_sent_total') >= 4);
    assert.ok(delta('barertc_sent_bytes_total') > delta('barertc_who_bytes_total'));
    assert.ok(during.get('barertc_room_events_total') > before.get('barertc_room_events_total'));

    await server.leave([a, b]);
    let after;
    for (let i = 0; i < 50; ++i) {
      after = await scrape();
      if (after.get('barertc_connections{transport="websocket"}') === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(after.get('barertc_connections{transport="websocket"}'), 0);
    assert.equal(after.get('barertc_room_users'), 0);
  });
});
