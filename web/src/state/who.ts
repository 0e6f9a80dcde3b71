// The who-is-online roster: full lists replace it, `who-delta` frames patch it
// (docs/protocol-extensions.md). Kept as a Map plus an array sorted the way
// the server sorts (byte-wise by username), rebuilt only for what changed.
//
// An entry equal to the one held keeps the held object, so a full list that
// changes one person re-renders one row, not two thousand.
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

const Fields = ['username', 'nickname', 'status', 'video', 'dnd', 'loginAt', 'op', 'vip', 'avatar', 'profileURL', 'emoji', 'gender'] as const;

export function sameEntry(a: WhoEntry | undefined, b: WhoEntry): boolean {
  return a !== undefined && Fields.every((f) => a[f] === b[f]);
}

// What an update changed: names whose entry is new or different, and names gone.
export interface RosterChange {
  changed: string[];
  removed: string[];
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

  replace(entries: WhoEntry[] | undefined): RosterChange {
    const next = new Map<string, WhoEntry>();
    const changed: string[] = [];
    for (const e of entries ?? []) {
      if (!e || typeof e.username !== 'string') continue;
      const held = this.byName.get(e.username);
      if (sameEntry(held, e)) next.set(e.username, held!);
      else {
        next.set(e.username, e);
        changed.push(e.username);
      }
    }
    const removed = [...this.byName.keys()].filter((n) => !next.has(n));
    if (changed.length || removed.length) {
      this.byName = next;
      this.sorted = [...next.values()].sort((a, b) => byteCompare(a.username, b.username));
    }
    return { changed, removed };
  }

  // Returns a new array (so a shallow ref sees the change); the work is
  // O(k log n) searches plus one copy, not a sort of the whole list.
  applyDelta(set: WhoEntry[] | undefined, remove: string[] | undefined): RosterChange {
    const next = this.sorted.slice();
    const change: RosterChange = { changed: [], removed: [] };
    for (const name of remove ?? []) {
      if (!this.byName.delete(name)) continue;
      const i = lowerBound(next, name);
      if (next[i]?.username === name) next.splice(i, 1);
      change.removed.push(name);
    }
    for (const e of set ?? []) {
      if (!e || typeof e.username !== 'string' || sameEntry(this.byName.get(e.username), e)) continue;
      const i = lowerBound(next, e.username);
      if (next[i]?.username === e.username) next[i] = e;
      else next.splice(i, 0, e);
      this.byName.set(e.username, e);
      change.changed.push(e.username);
    }
    if (change.changed.length || change.removed.length) this.sorted = next;
    return change;
  }

  clear(): RosterChange {
    return this.replace([]);
  }
}
