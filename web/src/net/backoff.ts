// Reconnect delays: quick first retries, then slower, capped, with jitter so a
// restarted server is not hit by every client in the same millisecond.
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
