// What a channel's history holds: server messages, presence lines, and lines
// the page adds itself (frontend.md §3).
import { ChatClient, ChatServer } from '../protocol/types';

export type LineKind = 'message' | 'presence' | 'notification' | 'server' | 'client' | 'separator';

export interface Line {
  key: number;
  kind: LineKind;
  channel: string;
  username: string;
  html: string; // server-rendered HTML for messages; escaped text otherwise
  msgID?: number;
  at: Date;
}

let nextKey = 1;

// The text of server HTML, for places that show or compare plain words.
export function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function makeLine(kind: LineKind, channel: string, username: string, html: string, at = new Date(), msgID?: number): Line {
  return Object.freeze({ key: nextKey++, kind, channel, username, html, msgID, at });
}

// A line the page itself says ("ChatClient"), as plain text.
export function clientLine(channel: string, text: string): Line {
  return makeLine('client', channel, ChatClient, escapeHtml(text).replace(/\n/g, '<br>'));
}

// A notice from the server ("ChatServer"): the server sends HTML here.
export function serverLine(channel: string, html: string, username = ChatServer): Line {
  return makeLine('server', channel, username, html);
}

export function parseTimestamp(ts: string | undefined, fallback: Date): Date {
  if (!ts) return fallback;
  const d = new Date(ts.includes('T') ? ts : ts.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? fallback : d;
}
