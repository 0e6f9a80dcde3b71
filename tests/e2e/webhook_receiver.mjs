// A real HTTP server on a loopback port standing in for the website's
// webhooks. What it does with a request is chosen per path:
//   /ok        200 "OK"              /fail     500 "nope"
//   /garbage   200 "<html>..."       /huge     200 with a 5 MB body
//   /hang      never answers         /drop     closes the socket unanswered
//   /redirect  302 to /ok            /profile  answers with `profile(body)`
// Every request is recorded with its raw body.
import http from 'node:http';

export class WebhookReceiver {
  static async start() {
    const r = new WebhookReceiver();
    await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.port = r.server.address().port;
    return r;
  }

  constructor() {
    this.requests = [];
    this.waiters = new Set();
    // The profile webhook's answer: [status, body] from the parsed request.
    this.profile = () => [200, JSON.stringify({ StatusCode: 200, Data: { OK: true } })];
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString()));
    });
  }

  url(path) { return `http://127.0.0.1:${this.port}${path}`; }

  answer(req, res, body) {
    this.requests.push({ method: req.method, path: req.url, headers: req.headers, body });
    for (const w of [...this.waiters]) w();
    switch (req.url) {
      case '/ok': return res.end('OK');
      case '/fail': res.statusCode = 500; return res.end('nope');
      case '/garbage': return res.end('<html>not json at all');
      case '/huge': return res.end('x'.repeat(5 << 20));
      case '/hang': return undefined;
      case '/drop': return req.socket.destroy();
      case '/redirect': res.writeHead(302, { Location: '/ok' }); return res.end();
      case '/profile': {
        const [status, answer] = this.profile(JSON.parse(body));
        res.statusCode = status;
        return res.end(answer);
      }
      default: res.statusCode = 404; return res.end('no such hook');
    }
  }

  // Marks every request so far as taken: a test starts with none pending.
  skipPending() {
    for (const q of this.requests) q.taken = true;
  }

  // The next request to `path` not yet taken.
  next(path, timeout = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.requests.findIndex((q) => q.path === path && !q.taken);
        if (i < 0) return;
        this.requests[i].taken = true;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(this.requests[i]);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no request to ${path} within ${timeout} ms`));
      }, timeout);
      this.waiters.add(check);
      check();
    });
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

// [[WebhookURLs]] entries for settings.toml.
export function webhooksToml(hooks) {
  return Object.entries(hooks).map(([name, url]) => `[[WebhookURLs]]
Name = '${name}'
Enabled = true
URL = '${url}'
`).join('\n');
}
