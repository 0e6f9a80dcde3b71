import { describe, expect, it } from 'vitest';
import { refusal, type Viewer } from '../src/rtc/permissions';
import { Video, type WhoEntry, parseFrame } from '../src/protocol/types';
import { highlightMentions, mentions } from '../src/lib/mentions';
import { loadSettings, loadSounds, Defaults } from '../src/state/settings';
import { reconnectDelay } from '../src/net/backoff';
import { averageBrightness } from '../src/rtc/dark_video';
import { siteURL, genderColor } from '../src/lib/format';

const cam = (video: number, extra: Partial<WhoEntry> = {}): WhoEntry => ({ username: 'bob', status: 'online', video, loginAt: 0, op: false, ...extra });
const viewer = (over: Partial<Viewer> = {}): Viewer => ({ me: 'ann', myFlags: 0, status: 'online', isOp: false, isVIP: false, muted: false, booted: false, noVideoRule: false, ...over });

describe('may I open this camera', () => {
  it('allows a plain camera and refuses an off one', () => {
    expect(refusal(cam(Video.Active), viewer())).toBe('');
    expect(refusal(cam(0), viewer())).toMatch(/not sharing/);
  });
  it('asks for my own camera when theirs requires mutual sharing, unless they invited me', () => {
    expect(refusal(cam(Video.Active | Video.MutualRequired), viewer())).toMatch(/share your own camera/);
    expect(refusal(cam(Video.Active | Video.MutualRequired), viewer({ myFlags: Video.Active }))).toBe('');
    expect(refusal(cam(Video.Active | Video.MutualRequired | Video.Invited), viewer())).toBe('');
  });
  it('keeps explicit and non-explicit cameras apart, both ways', () => {
    expect(refusal(cam(Video.Active | Video.NonExplicit), viewer({ myFlags: Video.Active | Video.NSFW }))).toMatch(/prefers not/);
    expect(refusal(cam(Video.Active | Video.NSFW), viewer({ myFlags: Video.Active | Video.NonExplicit }))).toMatch(/Explicit/);
  });
  it('refuses while hidden, muted or booted, and with the NoVideo rule; operators pass mutes', () => {
    expect(refusal(cam(Video.Active), viewer({ status: 'hidden' }))).toMatch(/hidden/);
    expect(refusal(cam(Video.Active), viewer({ muted: true }))).toMatch(/muted/);
    expect(refusal(cam(Video.Active), viewer({ muted: true, isOp: true }))).toBe('');
    expect(refusal(cam(Video.Active), viewer({ noVideoRule: true }))).not.toBe('');
    expect(refusal(cam(Video.Active, { username: 'ann' }), viewer())).toMatch(/own/);
  });
  it('a VIP-only broadcaster may only open VIP cameras', () => {
    expect(refusal(cam(Video.Active), viewer({ myFlags: Video.Active | Video.VipOnly }))).toMatch(/VIP/);
    expect(refusal(cam(Video.Active, { vip: true }), viewer({ myFlags: Video.Active | Video.VipOnly }))).toBe('');
  });
});

describe('mentions', () => {
  it('finds @me in text but not in attributes or longer names', () => {
    expect(mentions('<p>hi @Ann!</p>', 'ann')).toBe(true);
    expect(mentions('<p>hi @annie</p>', 'ann')).toBe(false);
    expect(mentions('<a href="/@ann">x</a>', 'ann')).toBe(false);
    expect(mentions('<p>mail ann@ann.org</p>', 'ann')).toBe(false);
  });
  it('highlights @me, @here and @all in text only', () => {
    const out = highlightMentions('<p title="@ann">@ann and @here</p>', 'ann');
    expect(out).toBe('<p title="@ann"><mark class="mention">@ann</mark> and <mark class="mention">@here</mark></p>');
    expect(highlightMentions('<p>a.b@ann</p>', 'a.b')).toBe('<p>a.b@ann</p>');
  });
});

describe('settings in localStorage', () => {
  const storage = (items: Record<string, string>) => ({ getItem: (k: string) => items[k] ?? null }) as Storage;
  it('reads the original client keys, JSON-encoded, and keeps defaults for bad values', () => {
    const s = loadSettings(storage({ theme: '"dark"', scrollback: '50', joinMessages: 'true', whoSort: '{"x":1}', debug: 'not json' }));
    expect(s.theme).toBe('dark');
    expect(s.scrollback).toBe(50);
    expect(s.joinMessages).toBe(true);
    expect(s.whoSort).toBe(Defaults.whoSort);
    expect(s.debug).toBe(false);
  });
  it('reads sounds as raw strings', () => {
    expect(loadSounds(storage({ 'sound:DM': 'Bird' })).DM).toBe('Bird');
    expect(loadSounds(undefined).Mentioned).toBe('Ping');
  });
});

describe('small helpers', () => {
  it('reconnect delays grow and stop growing at 30 s', () => {
    const mid = () => 0.5;
    expect(reconnectDelay(1, mid)).toBe(1000);
    expect(reconnectDelay(2, mid)).toBe(2000);
    expect(reconnectDelay(10, mid)).toBe(30000);
    expect(reconnectDelay(1, () => 0)).toBe(800);
  });
  it('a covered lens is dark, a picture is not', () => {
    expect(averageBrightness(new Uint8ClampedArray(4 * 64).fill(200), 1)).toBe(0);
    const px = new Uint8ClampedArray(4 * 64);
    for (let i = 0; i < px.length; i++) px[i] = (i * 37) % 256;
    expect(averageBrightness(px, 1)).toBeGreaterThan(10);
  });
  it('relative avatar URLs are the website\'s', () => {
    expect(siteURL('/u/a.png', 'https://site.example/')).toBe('https://site.example/u/a.png');
    expect(siteURL('https://cdn.example/a.png', 'https://site.example')).toBe('https://cdn.example/a.png');
    expect(siteURL('', 'x')).toBe('');
    expect(genderColor('Female')).toBe('#ff99ff');
  });
  it('drops frames that are not JSON objects with an action', () => {
    expect(parseFrame('[1]')).toBeNull();
    expect(parseFrame('{"x":1}')).toBeNull();
    expect(parseFrame('nope')).toBeNull();
    expect(parseFrame('{"action":"ping"}')).toEqual({ action: 'ping' });
  });
});
