// A client of the polling API (POST /poll), as a bot or the original's
// polling client uses it: it logs in, keeps the username and session ID of
// each answer, and polls with `ping`.
import assert from 'node:assert/strict';
import { sleep } from './harness.mjs';

export class PollClient {
  constructor(server) {
    this.server = server;
    this.username = '';
    this.sessionId = '';
    this.queue = [];  // messages received and not yet consumed by next()
  }

  // Sends one message; returns the HTTP status, the raw text and the body.
  async send(msg, { username = this.username, sessionId = this.sessionId } = {}) {
    const request = { msg };
    if (username) request.username = username;
    if (sessionId) request.session_id = sessionId;
    const res = await this.server.postJson('/poll', request);
    const text = await res.text();
    const body = JSON.parse(text);
    this.queue.push(...body.messages);
    return { status: res.status, text, body, type: res.headers.get('content-type') };
  }

  async login(username, extra = {}) {
    const answer = await this.send({ action: 'login', username, ...extra });
    this.username = answer.body.username ?? '';
    this.sessionId = answer.body.session_id ?? '';
    return answer;
  }

  poll() { return this.send({ action: 'ping' }); }

  // Polls until a message matching `match` (an action name or a predicate)
  // has arrived; returns it and drops the ones before it.
  async next(match, timeout = 3000) {
    const pred = typeof match === 'function' ? match : (m) => m.action === match;
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.queue.findIndex(pred);
      if (i >= 0) return this.queue.splice(0, i + 1).at(-1);
      assert.ok(Date.now() < deadline, `no ${match} within ${timeout} ms: ${JSON.stringify(this.queue)}`);
      await sleep(25);
      await this.poll();
    }
  }

  // What reached the client before a round trip through the room (the room
  // answers an unknown action in the same response, after what was queued).
  async sync() {
    const action = `e2e-poll-sync-${Math.random().toString(36).slice(2)}`;
    const { body } = await this.send({ action });
    const end = body.messages.findIndex((m) => m.message === `Unsupported message type: ${action}`);
    assert.ok(end >= 0, JSON.stringify(body));
    const before = this.queue.slice(0, this.queue.length - body.messages.length + end);
    this.queue = [];
    return before;
  }
}
