// Who-list sort and filter options (frontend.md §1.5).
import { Video, type WhoEntry } from '../protocol/types';

export const SortOptions = [
  { value: 'a-z', label: 'Username (a-z)' },
  { value: 'z-a', label: 'Username (z-a)' },
  { value: 'broadcasting', label: 'Broadcasting' },
  { value: 'nsfw', label: 'Red cameras', nsfw: true },
  { value: 'blue', label: 'Blue cameras', nsfw: true },
  { value: 'login', label: 'Login time' },
  { value: 'status', label: 'Status' },
  { value: 'emoji', label: 'Emoji/country flag' },
  { value: 'gender', label: 'Gender' },
  { value: 'op', label: 'Operators first' },
] as const;
export type SortOption = (typeof SortOptions)[number]['value'];

const onCam = (e: WhoEntry) => (e.video & Video.Active) !== 0;
const red = (e: WhoEntry) => onCam(e) && (e.video & Video.NSFW) !== 0;
const blue = (e: WhoEntry) => onCam(e) && (e.video & Video.NSFW) === 0;

// Entries first when `key` is true, each group keeping the server's order.
function partition(list: readonly WhoEntry[], key: (e: WhoEntry) => boolean): WhoEntry[] {
  return [...list.filter(key), ...list.filter((e) => !key(e))];
}

function byString(list: readonly WhoEntry[], key: (e: WhoEntry) => string): WhoEntry[] {
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return 0;
    if (ka === '') return 1;
    if (kb === '') return -1;
    return ka < kb ? -1 : 1;
  });
}

export function sortWho(list: readonly WhoEntry[], how: string): readonly WhoEntry[] {
  switch (how) {
    case 'z-a':
      return [...list].reverse();
    case 'broadcasting':
      return partition(list, onCam);
    case 'nsfw':
      return partition(list, red);
    case 'blue':
      return partition(list, blue);
    case 'login':
      return [...list].sort((a, b) => b.loginAt - a.loginAt);
    case 'status':
      return byString(list, (e) => (e.status === 'online' ? '' : e.status));
    case 'emoji':
      return byString(list, (e) => e.emoji ?? '');
    case 'gender':
      return byString(list, (e) => (e.gender ?? '').toLowerCase());
    case 'op':
      return partition(list, (e) => e.op);
    default:
      return list;
  }
}

export function filterWho(list: readonly WhoEntry[], query: string): readonly WhoEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return list;
  return list.filter(
    (e) => e.username.toLowerCase().includes(q) || (e.nickname ?? '').toLowerCase().includes(q),
  );
}
