// @-mention detection and highlighting in server-rendered HTML: only text
// between tags is touched, so attributes and URLs are never rewritten.
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentionPattern(username: string): RegExp {
  return new RegExp(`(^|[^\\w@])(@(?:${escapeRegExp(username)}|here|all))(?![\\w])`, 'gi');
}

export function mentions(html: string, username: string): boolean {
  if (!username) return false;
  const re = new RegExp(`(^|[^\\w@])@${escapeRegExp(username)}(?![\\w])`, 'i');
  return html.split(/<[^>]*>/).some((text) => re.test(text));
}

export function highlightMentions(html: string, username: string): string {
  if (!username || !html.includes('@')) return html;
  const re = mentionPattern(username);
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : part.replace(re, '$1<mark class="mention">$2</mark>')))
    .join('');
}
