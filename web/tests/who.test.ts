import { describe, expect, it } from 'vitest';
import { WhoRoster } from '../src/state/who';
import { sortWho, filterWho } from '../src/state/sort';
import type { WhoEntry } from '../src/protocol/types';

const e = (username: string, extra: Partial<WhoEntry> = {}): WhoEntry => ({ username, status: 'online', video: 0, loginAt: 0, op: false, ...extra });
const names = (l: readonly WhoEntry[]) => l.map((x) => x.username);

describe('WhoRoster', () => {
  it('keeps a full list in the server order (byte-wise, uppercase first)', () => {
    const r = new WhoRoster();
    r.replace([e('bob'), e('alice'), e('Zed'), e('alice 2')]);
    expect(names(r.list)).toEqual(['Zed', 'alice', 'alice 2', 'bob']);
  });

  it('applies deltas: removes, then upserts, staying sorted', () => {
    const r = new WhoRoster();
    r.replace([e('alice'), e('bob'), e('carol')]);
    r.applyDelta([e('bob', { video: 1 }), e('aaron'), e('dave')], ['carol', 'nobody']);
    expect(names(r.list)).toEqual(['aaron', 'alice', 'bob', 'dave']);
    expect(r.get('bob')?.video).toBe(1);
    expect(r.has('carol')).toBe(false);
  });

  it('returns a new array after a delta, so a shallow ref notices', () => {
    const r = new WhoRoster();
    r.replace([e('alice')]);
    const before = r.list;
    r.applyDelta([e('bob')], undefined);
    expect(r.list).not.toBe(before);
    expect(before.length).toBe(1);
  });

  it('a full list replaces whatever deltas built', () => {
    const r = new WhoRoster();
    r.replace([e('alice')]);
    r.applyDelta([e('bob')], []);
    r.replace(undefined);
    expect(r.size).toBe(0);
  });

  it('matches a from-scratch sort after random deltas', () => {
    const r = new WhoRoster();
    const truth = new Map<string, WhoEntry>();
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let step = 0; step < 300; step++) {
      const set: WhoEntry[] = [];
      const remove: string[] = [];
      for (let k = 0; k < 5; k++) {
        const name = `u${rnd(60)}`;
        if (set.some((x) => x.username === name) || remove.includes(name)) continue;
        if (rnd(3) === 0) remove.push(name);
        else set.push(e(name, { video: rnd(4) }));
      }
      r.applyDelta(set, remove);
      for (const n of remove) truth.delete(n);
      for (const s of set) truth.set(s.username, s);
    }
    expect(names(r.list)).toEqual([...truth.keys()].sort());
  });
});

describe('sorting and filtering the who list', () => {
  const list = [e('a', { loginAt: 5 }), e('b', { video: 1, loginAt: 9 }), e('c', { video: 3, op: true, loginAt: 1 })];
  it('sorts by camera, red camera, login time, operators', () => {
    expect(names(sortWho(list, 'z-a'))).toEqual(['c', 'b', 'a']);
    expect(names(sortWho(list, 'broadcasting'))).toEqual(['b', 'c', 'a']);
    expect(names(sortWho(list, 'nsfw'))).toEqual(['c', 'a', 'b']);
    expect(names(sortWho(list, 'blue'))).toEqual(['b', 'a', 'c']);
    expect(names(sortWho(list, 'login'))).toEqual(['b', 'a', 'c']);
    expect(names(sortWho(list, 'op'))).toEqual(['c', 'a', 'b']);
  });
  it('filters by name and nickname, case-insensitively', () => {
    const l = [e('alice', { nickname: 'Wonder' }), e('bob')];
    expect(names(filterWho(l, 'WON'))).toEqual(['alice']);
    expect(names(filterWho(l, ' B '))).toEqual(['bob']);
    expect(filterWho(l, '')).toBe(l);
  });
});

describe('WhoRoster keeps what did not change', () => {
  it('a full list equal to the held one changes nothing and keeps the objects', () => {
    const r = new WhoRoster();
    r.replace([e('alice'), e('bob')]);
    const before = r.list;
    const alice = r.get('alice');
    const change = r.replace([e('bob'), e('alice')]);
    expect(change).toEqual({ changed: [], removed: [] });
    expect(r.list).toBe(before);
    expect(r.get('alice')).toBe(alice);
  });
  it('a full list with one difference reports that one, and keeps the others', () => {
    const r = new WhoRoster();
    r.replace([e('alice'), e('bob'), e('carol')]);
    const alice = r.get('alice');
    const change = r.replace([e('alice'), e('bob', { status: 'away' }), e('dave')]);
    expect(change).toEqual({ changed: ['bob', 'dave'], removed: ['carol'] });
    expect(r.get('alice')).toBe(alice);
    expect(names(r.list)).toEqual(['alice', 'bob', 'dave']);
  });
  it('a delta that repeats the held entry changes nothing', () => {
    const r = new WhoRoster();
    r.replace([e('alice')]);
    expect(r.applyDelta([e('alice')], ['nobody'])).toEqual({ changed: [], removed: [] });
  });
});
