// Status choices of the who list (frontend.md §11).
export interface StatusOption {
  name: string;
  label: string;
  emoji: string;
  group: 'status' | 'mood';
  nsfw?: boolean;
  opOnly?: boolean;
  hiddenUnlessCurrent?: boolean;
}

export const StatusOptions: StatusOption[] = [
  { name: 'online', label: 'Active', emoji: '☀️', group: 'status' },
  { name: 'away', label: 'Away', emoji: '🕒', group: 'status' },
  { name: 'brb', label: 'Be right back', emoji: '⏰', group: 'status' },
  { name: 'afk', label: 'Away from keyboard', emoji: '⌨️', group: 'status' },
  { name: 'lunch', label: 'Out to lunch', emoji: '🍴', group: 'status' },
  { name: 'call', label: 'On the phone', emoji: '📞', group: 'status' },
  { name: 'busy', label: 'Working', emoji: '💼', group: 'status' },
  { name: 'book', label: 'Studying', emoji: '📖', group: 'status' },
  { name: 'gaming', label: 'Gaming', emoji: '🎮', group: 'status' },
  { name: 'movie', label: 'Watching a movie', emoji: '🎞️', group: 'status' },
  { name: 'workout', label: 'Working out', emoji: '🏋️', group: 'status' },
  { name: 'travel', label: 'Traveling', emoji: '✈️', group: 'status' },
  { name: 'idle', label: 'Idle', emoji: '🕒', group: 'status', hiddenUnlessCurrent: true },
  { name: 'hidden', label: 'Hidden', emoji: '🕵️', group: 'status', opOnly: true },
  { name: 'chatty', label: 'Chatty and sociable', emoji: '🗨️', group: 'mood' },
  { name: 'introverted', label: 'Introverted and quiet', emoji: '🥄', group: 'mood' },
  { name: 'horny', label: 'Horny', emoji: '🔥', group: 'mood', nsfw: true },
  { name: 'exhibitionist', label: 'Watch me', emoji: '👀', group: 'mood', nsfw: true },
];

export function statusInfo(name: string): { label: string; emoji: string } {
  const s = StatusOptions.find((o) => o.name === name);
  if (s) return s;
  if (name === '') return { label: 'Online', emoji: '☀️' };
  return { label: name, emoji: '🕒' };
}
