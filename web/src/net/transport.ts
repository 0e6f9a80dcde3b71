// The two ways of talking to the server (frontend.md §2.1): a WebSocket, or
// HTTP polling for networks that break WebSockets. Both hand parsed frames up.
import { parseFrame, type Frame } from '../protocol/types';

export interface TransportEvents {
  open(): void;
  frame(f: Frame): void;
  close(code: number, reason: string): void;
}

export interface Transport {
  send(f: Frame): boolean;
  close(): void;
}

export function socketURL(loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws`;
}

export class WsTransport implements Transport {
  private ws: WebSocket;
  private closed = false;

  constructor(url: string, ev: TransportEvents) {
    this.ws = new WebSocket(url);
    this.ws.onopen = () => ev.open();
    this.ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      const f = parseFrame(e.data);
      if (f) ev.frame(f);
      else console.warn('barertc: ignored a frame that is not a JSON message');
    };
    this.ws.onclose = (e) => {
      if (this.closed) return;
      this.closed = true;
      ev.close(e.code, e.reason);
    };
  }

  send(f: Frame): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(f));
    return true;
  }

  close(): void {
    this.closed = true;
    this.ws.onopen = this.ws.onmessage = this.ws.onclose = null;
    this.ws.close(1000);
  }
}

// POST /poll with {username, session_id, msg}; the answer carries every frame
// queued for us (polling.md). A ping every 5 s collects what arrives between.
export class PollTransport implements Transport {
  private session = '';
  private username = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private ev: TransportEvents) {
    setTimeout(() => {
      if (this.closed) return;
      ev.open();
      this.timer = setInterval(() => this.send({ action: 'ping' }), 5000);
    }, 0);
  }

  send(f: Frame): boolean {
    if (this.closed) return false;
    // One request at a time keeps our frames in the order they were sent.
    this.queue = this.queue.then(() => this.post(f));
    return true;
  }

  private async post(msg: Frame): Promise<void> {
    if (this.closed) return;
    try {
      const body = JSON.stringify({ username: this.username, session_id: this.session, msg });
      const r = await fetch('/poll', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      const reply = await r.json();
      if (reply.session_id) this.session = reply.session_id;
      if (reply.username) this.username = reply.username;
      for (const m of reply.messages ?? []) if (!this.closed) this.ev.frame(m);
      if (r.status >= 400 && !this.closed) this.fail(1011, reply.error ?? `HTTP ${r.status}`);
    } catch (e) {
      this.fail(1006, String(e));
    }
  }

  private fail(code: number, reason: string): void {
    if (this.closed) return;
    this.close();
    this.ev.close(code, reason);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
