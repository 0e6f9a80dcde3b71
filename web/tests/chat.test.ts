import { describe, expect, it } from 'vitest';
import { harness, pageConfig } from './fake';

describe('signing in', () => {
  it('sends the privacy state before login, then login with the extensions', () => {
    const h = harness(pageConfig({ blocklist: ['troll'] }));
    h.chat.booted.add('creep');
    h.chat.muted.add('bore');
    h.chat.signIn(' alice ');
    h.last().ev.open();
    // The blocked user is covered by the blocklist, not re-sent as a mute.
    expect(h.last().sent.map((f) => f.action)).toEqual(['blocklist', 'boot', 'mute', 'login']);
    expect(h.last().sent[2]).toEqual({ action: 'mute', username: 'bore' });
    expect(h.last().sent[3]).toMatchObject({ username: 'alice', jwt: '', dnd: false, extensions: ['who-delta', 'typing'] });
    expect(h.chat.muted.has('troll')).toBe(true);
  });

  it('is online after the first me, and adopts the name the server gave', () => {
    const h = harness();
    h.chat.signIn('alice');
    h.last().ev.open();
    h.serve({ action: 'me', username: 'alice 2', extensions: ['who-delta'] });
    expect(h.chat.state.phase).toBe('online');
    expect(h.chat.state.username).toBe('alice 2');
    expect(h.chat.has('who-delta')).toBe(true);
    expect(h.chat.has('typing')).toBe(false);
    expect(h.last().sent.at(-1)).toMatchObject({ action: 'me', status: 'online' });
  });

  it('a refused login goes back to the form with the server text, and is not retried', () => {
    const h = harness();
    h.chat.signIn('bad name');
    h.last().ev.open();
    h.serve({ action: 'error', username: 'ChatServer', message: 'You are <b>banned</b>.' });
    expect(h.chat.state.phase).toBe('signin');
    expect(h.chat.state.signInError).toBe('You are banned.');
    expect(h.timers).toHaveLength(0);
  });

  it('an unreachable server is retried, then the form says so', () => {
    const h = harness();
    h.chat.signIn('alice');
    h.last().ev.close(1006, '');
    expect(h.chat.state.phase).toBe('connecting');
    h.timers.shift()!.fn();
    h.last().ev.close(1006, '');
    h.timers.shift()!.fn();
    h.last().ev.close(1006, '');
    expect(h.chat.state.phase).toBe('signin');
    expect(h.chat.state.signInError).toMatch(/Could not reach/);
  });
});

describe('the connection', () => {
  it('reconnects with growing delays and signs in again under the same name', () => {
    const h = harness();
    h.login('alice');
    h.serve({ action: 'who', whoList: [{ username: 'alice', status: 'online', video: 0, loginAt: 1, op: false }] });
    h.last().ev.close(1006, 'gone');
    expect(h.chat.state.phase).toBe('reconnecting');
    expect(h.chat.who.value).toHaveLength(0);
    const first = h.timers.shift()!;
    first.fn();
    h.last().ev.close(1006, '');
    const second = h.timers.shift()!;
    expect(second.ms).toBeGreaterThan(first.ms);
    second.fn();
    h.last().ev.open();
    expect(h.last().sent.find((f) => f.action === 'login')?.username).toBe('alice');
    h.serve({ action: 'me', username: 'alice' });
    expect(h.chat.state.phase).toBe('online');
  });

  it('a disconnect from the server ends the session without reconnecting', () => {
    const h = harness();
    h.login();
    h.serve({ action: 'error', username: 'ChatServer', message: 'You have been kicked.' });
    h.serve({ action: 'disconnect' });
    h.last().ev.close(1000, '');
    expect(h.chat.state.phase).toBe('ended');
    expect(h.timers).toHaveLength(0);
  });

  it('a ping refreshes the token and the rules', () => {
    const h = harness();
    h.login();
    h.serve({ action: 'ping', jwt: 'new.token', jwtRules: { IsNoImageRule: true } });
    expect(h.chat.state.jwt).toBe('new.token');
    expect(h.chat.state.rules.IsNoImageRule).toBe(true);
  });
});

describe('messages', () => {
  it('files public messages, echo history and DMs into their channels with unread counts', () => {
    const h = harness();
    h.login('alice');
    h.serve({ action: 'echo', messages: [{ action: 'message', channel: 'offtopic', username: 'bob', message: '<p>old</p>', msgID: 1, timestamp: '2026-01-01T10:00:00Z' }] });
    h.serve({ action: 'message', channel: 'offtopic', username: 'bob', message: '<p>hi @alice</p>', msgID: 2 });
    h.serve({ action: 'message', channel: '@bob', username: 'bob', message: '<p>psst</p>', msgID: 3 });
    const off = h.chat.channels.get('offtopic')!;
    expect(off.lines.map((l) => l.msgID)).toEqual([1, 2]);
    expect(off.lines[0].at.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(off.unread).toBe(1);
    expect(off.urgent).toBe(true);
    expect(h.chat.channels.get('@bob')!.unread).toBe(1);
    expect(h.sounds).toEqual(['Chat', 'Mentioned', 'DM']);
    h.chat.channels.select('offtopic');
    expect(off.unread).toBe(0);
  });

  it('drops unsolicited DMs when DMs are closed, but not from operators', () => {
    const h = harness(pageConfig(), { closeDMs: true });
    h.login('alice');
    h.serve({ action: 'who', whoList: [{ username: 'mod', status: 'online', video: 0, loginAt: 1, op: true }] });
    h.serve({ action: 'message', channel: '@spammer', username: 'spammer', message: 'hi', msgID: 1 });
    h.serve({ action: 'message', channel: '@mod', username: 'mod', message: 'hello', msgID: 2 });
    expect(h.chat.channels.has('@spammer')).toBe(false);
    expect(h.chat.channels.has('@mod')).toBe(true);
  });

  it('takes back a message everywhere, and toggles reactions', () => {
    const h = harness();
    h.login('alice');
    h.serve({ action: 'message', channel: 'lobby', username: 'bob', message: 'x', msgID: 9 });
    h.serve({ action: 'react', msgID: 9, username: 'bob', message: '❤️' });
    h.serve({ action: 'react', msgID: 9, username: 'carol', message: '❤️' });
    h.serve({ action: 'react', msgID: 9, username: 'bob', message: '❤️' });
    expect(h.chat.reactions.get(9)?.get('❤️')).toEqual(['carol']);
    h.serve({ action: 'takeback', msgID: 9 });
    expect(h.chat.channels.get('lobby')!.lines.some((l) => l.msgID === 9)).toBe(false);
  });

  it('shows join lines only when asked, and always in an open DM with that person', () => {
    const h = harness(pageConfig(), { joinMessages: false });
    h.login('alice');
    h.chat.openDM('bob');
    const before = h.chat.channels.get('lobby')!.lines.length;
    h.serve({ action: 'presence', username: 'bob', message: 'has joined the room!' });
    expect(h.chat.channels.get('lobby')!.lines.length).toBe(before);
    expect(h.chat.channels.get('@bob')!.lines.at(-1)?.kind).toBe('presence');
  });

  it('keeps the typed text when sending fails, and handles its own commands', () => {
    const h = harness();
    expect(h.chat.sendText('hello')).toBe(false); // not connected
    h.login('alice');
    expect(h.chat.sendText('  hello  ')).toBe(true);
    expect(h.last().sent.at(-1)).toEqual({ action: 'message', channel: 'lobby', message: 'hello' });
    h.chat.sendText('/takeback 42');
    expect(h.last().sent.at(-1)).toEqual({ action: 'takeback', msgID: 42 });
  });

  it('sends typing notices in DMs only when the server offers them, at most every 3 s', () => {
    const h = harness();
    const t = h.login('alice', ['who-delta', 'typing']);
    h.chat.openDM('bob');
    h.chat.typingInDM();
    h.chat.typingInDM();
    expect(t.sent.filter((f) => f.action === 'typing')).toEqual([{ action: 'typing', channel: '@bob' }]);
    const h2 = harness();
    const t2 = h2.login('alice', ['who-delta']);
    h2.chat.openDM('bob');
    h2.chat.typingInDM();
    expect(t2.sent.some((f) => f.action === 'typing')).toBe(false);
  });

  it('caps each channel at the scrollback setting', () => {
    const h = harness(pageConfig(), { scrollback: 3 });
    h.login('alice');
    for (let i = 1; i <= 5; i++) h.serve({ action: 'message', channel: 'offtopic', username: 'bob', message: `${i}`, msgID: i });
    expect(h.chat.channels.get('offtopic')!.lines.map((l) => l.msgID)).toEqual([3, 4, 5]);
  });
});

describe('the Explicit nudge', () => {
  it('tells a blue camera with two viewers, and nobody else', () => {
    const h = harness();
    h.login('alice');
    const lines = () => h.chat.channels.get('lobby')!.lines.filter((l) => l.html.includes('Explicit')).length;
    h.serve({ action: 'react', msgID: -451, username: 'x', message: 'alice' });
    expect(lines()).toBe(0); // not on camera
    h.chat.state.video = 1;
    h.serve({ action: 'watch', username: 'v1' });
    h.serve({ action: 'react', msgID: -451, username: 'x', message: 'alice' });
    expect(lines()).toBe(0); // one viewer
    h.serve({ action: 'watch', username: 'v2' });
    h.serve({ action: 'react', msgID: -451, username: 'x', message: 'bob' });
    expect(lines()).toBe(0); // about someone else
    h.serve({ action: 'react', msgID: -451, username: 'x', message: 'alice' });
    expect(lines()).toBe(1);
    expect(h.chat.reactions.size).toBe(0);
  });
});

describe('who-list reactivity', () => {
  it('reading one person re-runs only when that person changes', async () => {
    const { watchEffect } = await import('vue');
    const h = harness();
    h.login('alice');
    const entry = (username: string, video = 0) => ({ username, status: 'online', video, loginAt: 1, op: false });
    h.serve({ action: 'who', whoList: [entry('alice'), entry('bob')] });
    let runs = 0;
    const stop = watchEffect(() => { void h.chat.lookup('alice'); void h.chat.isOp; runs++; }, { flush: 'sync' });
    const base = runs;
    h.serve({ action: 'who-delta', set: [entry('bob', 1)] });
    h.serve({ action: 'who', whoList: [entry('alice'), entry('bob', 1), entry('carol')] });
    expect(runs).toBe(base);
    h.serve({ action: 'who-delta', set: [entry('alice', 1)] });
    expect(runs).toBe(base + 1);
    stop();
  });
});
