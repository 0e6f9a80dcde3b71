// A stream of pictures for the server's picture worker while another load
// runs: one user sends a picture by DM to another, either one every
// INTERVAL ms or (INTERVAL 0) back to back, keeping two in processing (the
// most a user may have), until SIGINT or SIGTERM; then prints how many were
// processed. DMs, so that the load is the processing, not a broadcast.
//
// usage: node bench/picture_load.mjs PORT FILE [INTERVAL_MS]
import fs from 'node:fs';
import { Client } from '../tests/e2e/harness.mjs';

const [port, file, interval = '0'] = process.argv.slice(2);
if (!port || !file) {
  console.error('usage: node bench/picture_load.mjs PORT FILE');
  process.exit(2);
}
// Encoded once: the generator's own work per picture stays small.
const frame = JSON.stringify({
  action: 'file', channel: '@picture-load-b', message: 'load.jpg',
  bytes: fs.readFileSync(file).toString('base64'),
});
const url = `ws://127.0.0.1:${port}/ws`;

async function login(name) {
  const c = new Client(url);
  await c.opened;
  c.send({ action: 'login', username: name });
  const me = await c.next('me', 10000);
  c.username = me.username;
  return c;
}

const sender = await login('picture-load-a');
await login('picture-load-b');
await sender.sync();  // past the welcome messages
const started = Date.now();
let processed = 0;
let refused = 0;
let pending = 0;
const send = () => {
  if (pending >= 2) return;
  ++pending;
  sender.send(frame);
};
// The sender hears of each picture: its own copy of the DM, or an error.
sender.ws.on('message', (data) => {
  const m = JSON.parse(data.toString());
  if (m.action === 'message' && m.username === sender.username) ++processed;
  else if (m.action === 'error') ++refused;
  else return;
  --pending;
  if (Number(interval) === 0) send();
});
if (Number(interval) === 0) {
  send();
  send();
} else {
  setInterval(send, Number(interval));
}

const stop = () => {
  const s = (Date.now() - started) / 1000;
  console.log(`pictures: ${processed} processed, ${refused} refused in ${s.toFixed(1)} s`
    + ` (${(processed / s).toFixed(2)}/s)`);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
