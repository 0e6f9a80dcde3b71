// Small display helpers.
export function shortTime(d: Date): string {
  return d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

export function fullTime(d: Date): string {
  return d.toLocaleString();
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
