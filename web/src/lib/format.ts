// Small display helpers.

// Formatters are made once: toLocaleTimeString() builds a new one per call,
// a hundred times the cost of formatting (0.3 ms per history line).
let short: Intl.DateTimeFormat | null = null;
let full: Intl.DateTimeFormat | null = null;

export function shortTime(d: Date): string {
  short ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
  return short.format(d);
}

export function fullTime(d: Date): string {
  full ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return full.format(d);
}

// The first formatter loads the browser's locale data (~70 ms): done while
// the sign-in form waits, not when the first message arrives.
export function warmUpFormats(): void {
  shortTime(new Date());
  fullTime(new Date());
}

// Relative avatar and profile URLs are the website's (WebsiteURL).
export function siteURL(url: string | undefined, base: string): string {
  if (!url) return '';
  if (/^https?:\/\//i.test(url) || url.startsWith('data:')) return url;
  if (!base) return url;
  return base.replace(/\/+$/, '') + (url.startsWith('/') ? url : `/${url}`);
}

export function initials(name: string): string {
  const letters = [...name.replace(/[^\p{L}\p{N}]/gu, '')];
  return (letters[0] ?? '?').toUpperCase();
}

// A stable colour per name for the letter avatars.
export function nameHue(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return h % 360;
}

export function genderColor(gender: string | undefined): string {
  const g = (gender ?? '').toLowerCase();
  if (!g) return '';
  if (g.startsWith('m')) return '#0099ff';
  if (g.startsWith('f')) return '#ff99ff';
  return '#cc00cc';
}
