// The who-is-online roster: full lists replace it, `who-delta` frames patch it
// (docs/protocol-extensions.md). Kept as a Map plus an array sorted the way
// the server sorts (byte-wise by username), rebuilt only for what changed.
import type { WhoEntry } from '../protocol/types';

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Index of the first entry whose username is >= name.
function lowerBound(list: WhoEntry[], name: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].username < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class WhoRoster {
  private byName = new Map<string, WhoEntry>();
  private sorted: WhoEntry[] = [];

  get list(): readonly WhoEntry[] {
    return this.sorted;
  }
  get size(): number {
    return this.sorted.length;
  }
  get(name: string): WhoEntry | undefined {
    return this.byName.get(name);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }

  replace(entries: WhoEntry[] | undefined): void {
    this.byName.clear();
    for (const e of entries ?? []) {
      if (e && typeof e.username === 'string') this.byName.set(e.username, e);
    }
    this.sorted = [...this.byName.values()].sort((a, b) => byteCompare(a.username, b.username));
  }

  // Returns a new array (so a shallow ref sees the change); the work is
  // O(k log n) searches plus one copy, not a sort of the whole list.
  applyDelta(set: WhoEntry[] | undefined, remove: string[] | undefined): void {
    const next = this.sorted.slice();
    for (const name of remove ?? []) {
      if (!this.byName.delete(name)) continue;
      const i = lowerBound(next, name);
      if (next[i]?.username === name) next.splice(i, 1);
    }
    for (const e of set ?? []) {
      if (!e || typeof e.username !== 'string') continue;
      const i = lowerBound(next, e.username);
      if (next[i]?.username === e.username) next[i] = e;
      else next.splice(i, 0, e);
      this.byName.set(e.username, e);
    }
    this.sorted = next;
  }

  clear(): void {
    this.replace([]);
  }
}
