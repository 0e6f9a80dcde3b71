// The chat client's state and its protocol logic: frames in, state changes and
// frames out. No DOM here, so the unit tests drive it with a fake transport.
import { reactive, shallowReactive, shallowRef, markRaw, computed } from 'vue';
import type { PageConfig } from '../config';
import { ChatServer, Video, WantedExtensions, type Frame, type WhoEntry } from '../protocol/types';
import type { Transport, TransportEvents } from '../net/transport';
import { reconnectDelay } from '../net/backoff';
import { WhoRoster, type RosterChange } from './who';
import { clientLine, makeLine, parseTimestamp, serverLine, escapeHtml, stripTags, type Line } from './lines';
import { mentions } from '../lib/mentions';
import type { Settings, SoundEvent } from './settings';
import { ChannelStore, isDM, dmName } from './channels';
import { fetchHistory } from './history_api';

export type Phase = 'signin' | 'connecting' | 'online' | 'reconnecting' | 'ended';

export interface ChatDeps {
  config: PageConfig;
  settings: Settings;
  connect(ev: TransportEvents, polling: boolean): Transport;
  focused(): boolean;
  sound(ev: SoundEvent): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

// Frames for the webcam code (src/rtc), which owns peer connections.
export interface RtcListener {
  frame(f: Frame): void;
  whoChanged(): void;
  disconnected(): void;
}

const TypingShownMs = 6000;

export class Chat {
  readonly state = reactive({
    phase: 'signin' as Phase,
    username: '',
    signInError: '',
    connectionNote: '',
    reconnectAt: 0,
    jwt: '',
    rules: {} as Record<string, boolean>,
    extensions: [] as string[],
    status: 'online',
    video: 0,
    loggedInOnce: false,
  });
  readonly channels: ChannelStore;
  readonly who = shallowRef<readonly WhoEntry[]>([]);
  readonly roster = markRaw(new WhoRoster());
  // One reactive slot per name: a component that reads one person's entry
  // re-renders when that person changes, not when anyone does.
  private readonly entries = shallowReactive(new Map<string, WhoEntry>());
  private readonly me = computed(() => this.entries.get(this.state.username));
  readonly muted = reactive(new Set<string>());
  readonly booted = reactive(new Set<string>());
  readonly invited = reactive(new Set<string>());
  readonly blocked = reactive(new Set<string>());
  readonly watchers = reactive(new Set<string>());
  readonly typing = reactive(new Map<string, number>());
  readonly reactions = reactive(new Map<number, Map<string, string[]>>());
  readonly reported = reactive(new Set<number>()); // line keys

  rtc: RtcListener | null = null;

  private transport: Transport | null = null;
  private attempts = 0;
  private timer: unknown = null;
  private gotMe = false;
  private refused = '';
  private lastNotice = '';
  private lastTypingSent = 0;

  constructor(private deps: ChatDeps) {
    this.state.jwt = deps.config.jwtToken;
    this.state.rules = { ...deps.config.rules };
    for (const name of deps.config.blocklist) this.blocked.add(name);
    this.channels = new ChannelStore(deps.config, deps.settings);
    this.channels.add(clientLine(this.channels.first, 'Welcome to BareRTC!'));
  }

  get config(): PageConfig {
    return this.deps.config;
  }
  get isOp(): boolean {
    return this.deps.config.claims.op === true || this.me.value?.op === true;
  }
  get isVIP(): boolean {
    return this.deps.config.claims.vip === true || this.me.value?.vip === true;
  }
  // A who-list entry; a component that reads it re-renders when that person changes.
  lookup(name: string): WhoEntry | undefined {
    return this.entries.get(name);
  }
  online(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  has(ext: string): boolean {
    return this.state.extensions.includes(ext);
  }

  // ---- connection lifecycle -------------------------------------------------

  signIn(username: string): void {
    this.state.username = username.trim();
    this.state.signInError = '';
    this.attempts = 0;
    this.dial('connecting');
  }

  private dial(phase: Phase): void {
    this.state.phase = phase;
    this.gotMe = false;
    this.refused = '';
    this.lastNotice = '';
    this.transport?.close();
    this.transport = this.deps.connect(
      {
        open: () => this.onOpen(),
        frame: (f) => this.handle(f),
        close: (code, reason) => this.onClose(code, reason),
      },
      this.deps.settings.usePolling,
    );
  }

  reconnectNow(): void {
    this.deps.clearTimer(this.timer);
    this.dial(this.state.loggedInOnce ? 'reconnecting' : 'connecting');
  }

  private onOpen(): void {
    this.note('Connected to the chat server.', 'debug');
    this.sendPrivacyState();
    this.send({
      action: 'login',
      username: this.state.username,
      jwt: this.state.jwt,
      dnd: this.deps.settings.closeDMs,
      extensions: WantedExtensions,
    });
  }

  private onClose(code: number, reason: string): void {
    this.transport = null;
    this.clearWho();
    this.rtc?.disconnected();
    if (this.refused || this.state.phase === 'ended') return this.endAfterRefusal();
    if (this.state.phase === 'connecting' && !this.state.loggedInOnce && this.attempts >= 2) {
      this.state.phase = 'signin';
      this.state.signInError = 'Could not reach the chat server. Please try again in a moment.';
      return;
    }
    this.attempts++;
    const wait = reconnectDelay(this.attempts);
    this.state.reconnectAt = Date.now() + wait;
    this.state.connectionNote = `The connection to the chat server was lost${reason ? ` (${reason})` : ''}. Reconnecting…`;
    if (this.state.loggedInOnce) {
      this.note(`Disconnected from the chat server (code ${code}). Reconnecting in ${Math.round(wait / 1000)} s…`);
    }
    this.state.phase = this.state.loggedInOnce ? 'reconnecting' : 'connecting';
    this.timer = this.deps.setTimer(() => this.dial(this.state.phase), wait);
  }

  // A login the server refused (bad name, ban, bad token) goes back to the
  // sign-in form with the server's words, and is not retried by itself.
  private endAfterRefusal(): void {
    const why = this.refused || 'You have been disconnected from the chat.';
    this.transport?.close();
    this.transport = null;
    if (!this.state.loggedInOnce && !this.deps.config.jwtValid) {
      this.state.phase = 'signin';
      this.state.signInError = why;
    } else {
      this.state.phase = 'ended';
      this.state.connectionNote = why;
    }
  }

  send(f: Frame): boolean {
    if (this.transport?.send(f)) return true;
    this.note('You are not connected to the server.');
    return false;
  }

  // Sent before `login` so that people I block never see me arrive.
  private sendPrivacyState(): void {
    for (const name of this.blocked) this.muted.add(name);
    if (this.blocked.size) this.transport?.send({ action: 'blocklist', usernames: [...this.blocked] });
    for (const name of this.booted) this.transport?.send({ action: 'boot', username: name });
    for (const name of this.muted) {
      if (!this.blocked.has(name)) this.transport?.send({ action: 'mute', username: name });
    }
    if (this.invited.size) this.transport?.send({ action: 'video-invite', usernames: [...this.invited] });
  }

  // ---- incoming frames --------------------------------------------------------

  handle(f: Frame): void {
    switch (f.action) {
      case 'me':
        return this.onMe(f);
      case 'who':
        return this.whoChanged(this.roster.replace(f.whoList));
      case 'who-delta':
        return this.whoChanged(this.roster.applyDelta(f.set, f.remove));
      case 'message':
        return this.onMessage(f);
      case 'echo':
        for (const m of f.messages ?? []) this.onMessage(m, true);
        return;
      case 'presence':
        return this.onPresence(f);
      case 'takeback':
        if (typeof f.msgID === 'number') this.channels.removeMessage(f.msgID);
        return;
      case 'react':
        return this.onReact(f);
      case 'typing':
        if (f.username) this.typing.set(f.username, Date.now() + TypingShownMs);
        return;
      case 'error':
        return this.onError(f);
      case 'disconnect':
        // The server's last notice (a kick, a ban, a login elsewhere) is the reason.
        this.refused ||= this.lastNotice || 'You have been signed out of the chat room.';
        this.state.phase = 'ended';
        this.state.connectionNote = this.refused;
        return;
      case 'ping':
        if (f.jwt) this.state.jwt = f.jwt;
        if (f.jwtRules) this.state.rules = { ...f.jwtRules };
        this.attempts = 0;
        this.rtc?.frame(f);
        return;
      case 'block':
        if (f.username) {
          this.blocked.add(f.username);
          this.muted.add(f.username);
        }
        return this.rtc?.frame(f);
      case 'watch':
        return this.onWatch(f);
      case 'unwatch':
        if (f.username && this.watchers.delete(f.username)) this.deps.sound('Unwatch');
        return this.rtc?.frame(f);
      case 'open':
      case 'ring':
      case 'sdp':
      case 'candidate':
      case 'cut':
        return this.rtc?.frame(f);
      default:
        console.debug('barertc: unknown action', f.action);
    }
  }

  private onMe(f: Frame): void {
    if (f.username && f.username !== this.state.username) {
      if (this.gotMe || this.state.loggedInOnce) {
        this.channels.add(serverLine(this.channels.current, `Your username has been changed to ${escapeHtml(f.username)}.`));
      }
      this.state.username = f.username;
    }
    if (!this.gotMe) {
      this.gotMe = true;
      this.state.extensions = Array.isArray(f.extensions) ? f.extensions : [];
      this.state.phase = 'online';
      this.state.connectionNote = '';
      this.state.signInError = '';
      this.attempts = 0;
      this.state.loggedInOnce = true;
      this.sendMe();
    }
    if (typeof f.video === 'number' && (f.video & Video.NSFW) && (this.state.video & Video.Active)) {
      this.state.video |= Video.NSFW;
    }
    this.rtc?.frame(f);
  }

  private whoChanged(change: RosterChange): void {
    if (!change.changed.length && !change.removed.length) return;
    for (const name of change.removed) this.entries.delete(name);
    for (const name of change.changed) this.entries.set(name, this.roster.get(name)!);
    this.who.value = this.roster.list;
    this.rtc?.whoChanged();
  }

  private clearWho(): void {
    this.whoChanged(this.roster.clear());
  }

  private onMessage(f: Frame, fromEcho = false): void {
    if (!f.channel || typeof f.message !== 'string') return;
    const at = parseTimestamp(f.timestamp, new Date());
    const from = f.username ?? '';
    if (isDM(f.channel)) {
      const partner = dmName(f.channel);
      const mine = from === this.state.username;
      if (!mine && !this.channels.has(f.channel) && this.deps.settings.closeDMs && !this.roster.get(from)?.op) {
        return; // an unsolicited DM while "ignore unsolicited DMs" is on
      }
      this.dmThread(partner);
      if (!mine && !this.viewing(f.channel)) this.deps.sound('DM');
    } else if (!fromEcho && from !== this.state.username && !this.viewing(f.channel)) {
      this.deps.sound('Chat');
    }
    if (this.isBootNotice(f)) return;
    const line = makeLine(from === ChatServer ? 'server' : 'message', f.channel, from, f.message, at, f.msgID);
    const urgent = !fromEcho && !isDM(f.channel) && from !== this.state.username && mentions(f.message, this.state.username);
    if (urgent && !this.viewing(f.channel)) this.deps.sound('Mentioned');
    this.channels.add(line, { unread: !fromEcho && !this.viewing(f.channel) && line.kind === 'message', urgent });
    if (from && this.typing.has(from)) this.typing.delete(from);
  }

  // The booted user is not told (frontend.md §3): such lines are not shown.
  private isBootNotice(f: Frame): boolean {
    const t = f.message ?? '';
    return (
      f.username === ChatServer &&
      (t.endsWith('has booted you off of their camera!') || t.includes('had booted you off their camera before'))
    );
  }

  private onPresence(f: Frame): void {
    const name = f.username ?? '';
    const text = f.message ?? '';
    const exited = text.includes('has exited the room!');
    const joined = text.includes('has joined the room!');
    if (exited) {
      this.deps.sound('Leave');
      this.watchers.delete(name);
      this.typing.delete(name);
    }
    if (joined) this.deps.sound('Enter');
    const show = (joined && this.deps.settings.joinMessages) || (exited && this.deps.settings.exitMessages) || (!joined && !exited);
    const targets = new Set<string>();
    if (show) {
      targets.add(this.channels.first);
      if (!isDM(this.channels.current)) targets.add(this.channels.current);
    }
    if (this.channels.has(`@${name}`)) targets.add(`@${name}`);
    for (const ch of targets) this.channels.add(makeLine('presence', ch, name, escapeHtml(text)));
  }

  private onReact(f: Frame): void {
    if (typeof f.msgID !== 'number' || !f.message || !f.username) return;
    if (f.msgID === -451) return this.onNudge(f.message);
    let byEmoji = this.reactions.get(f.msgID);
    if (!byEmoji) {
      byEmoji = new Map();
      this.reactions.set(f.msgID, byEmoji);
    }
    const who = byEmoji.get(f.message) ?? [];
    const next = who.includes(f.username) ? who.filter((u) => u !== f.username) : [...who, f.username];
    if (next.length) byEmoji.set(f.message, next);
    else byEmoji.delete(f.message);
    if (!byEmoji.size) this.reactions.delete(f.msgID);
  }

  // Viewers of my blue camera think it should be marked Explicit (frontend.md
  // §5.8): worth a word only when more than one person is watching.
  private onNudge(target: string): void {
    const v = this.state.video;
    if (target !== this.state.username || !(v & Video.Active) || v & Video.NSFW) return;
    if (this.watchers.size < 2) return;
    this.channels.add(
      serverLine(
        this.channels.current,
        'Your webcam is hot! Some of your viewers think it should be marked Explicit: if it is, please click the <strong>Explicit</strong> button at the top of the page.',
      ),
    );
  }

  private onError(f: Frame): void {
    const text = f.message ?? '';
    this.lastNotice = stripTags(text);
    if (!this.gotMe && this.state.phase !== 'online') {
      this.refused = this.lastNotice;
      this.transport?.close();
      return this.onClose(1000, '');
    }
    const ch = f.channel && this.channels.has(f.channel) ? f.channel : this.channels.current;
    this.channels.add(serverLine(ch, text, f.username || ChatServer));
  }

  private onWatch(f: Frame): void {
    const name = f.username;
    if (!name) return;
    if (!this.watchers.has(name)) {
      this.watchers.add(name);
      this.deps.sound('Watch');
      if (this.deps.settings.watchNotif) {
        this.channels.add(serverLine(this.channels.current, `${escapeHtml(name)} is now watching your camera.`));
      }
    }
    this.rtc?.frame(f);
  }

  private viewing(channel: string): boolean {
    return this.channels.current === channel && this.deps.focused();
  }

  // ---- user actions -------------------------------------------------------------

  // A line only this page shows, in the current channel (or the debug log).
  note(text: string, where: 'current' | 'debug' = 'current'): void {
    if (where === 'debug' && !this.deps.settings.debug) return;
    this.channels.add(clientLine(where === 'debug' ? 'barertc-debug' : this.channels.current, text));
  }

  sendMe(): void {
    if (this.state.phase !== 'online') return;
    this.transport?.send({
      action: 'me',
      video: this.state.video,
      status: this.state.status,
      dnd: this.deps.settings.closeDMs,
    });
  }

  setStatus(status: string): void {
    this.state.status = status;
    this.sendMe();
  }

  // Text typed in the composer: a few commands are the page's own (frontend.md §2.4).
  sendText(raw: string): boolean {
    const text = raw.trim();
    if (!text) return false;
    if (this.state.phase !== 'online') {
      this.note('You are not connected to the server.');
      return false;
    }
    const channel = this.channels.current;
    if (this.localCommand(text)) return true;
    if (this.state.status === 'hidden' && !isDM(channel)) {
      this.note('You are hidden: you cannot post in public channels. Change your status first.');
      return false;
    }
    return this.send({ action: 'message', channel, message: text });
  }

  private localCommand(text: string): boolean {
    const [cmd, ...args] = text.split(/\s+/);
    switch (cmd) {
      case '/reconnect':
        this.reconnectNow();
        return true;
      case '/takeback': {
        const id = Number(args[0]);
        if (Number.isFinite(id)) this.takeback(id);
        return true;
      }
      case '/toggle-debug-settings':
        this.deps.settings.debug = !this.deps.settings.debug;
        this.note(`Debug settings are now ${this.deps.settings.debug ? 'on' : 'off'}.`);
        return true;
      default:
        return false;
    }
  }

  typingInDM(): void {
    const ch = this.channels.current;
    if (!isDM(ch) || !this.has('typing') || this.state.phase !== 'online') return;
    const now = Date.now();
    if (now - this.lastTypingSent < 3000) return;
    this.lastTypingSent = now;
    this.transport?.send({ action: 'typing', channel: ch });
  }

  typingUsers(channel: string, now: number): string[] {
    if (!isDM(channel)) return [];
    const name = dmName(channel);
    const until = this.typing.get(name);
    return until && until > now ? [name] : [];
  }

  takeback(msgID: number): void {
    this.send({ action: 'takeback', msgID });
  }

  react(msgID: number, emoji: string): void {
    this.send({ action: 'react', msgID, message: emoji });
  }

  // Pictures are for channels that permit them, and for DMs with an operator
  // on either side (frontend.md §8).
  canUpload(): boolean {
    if (this.state.rules.IsNoImageRule) return false;
    const id = this.channels.current;
    if (isDM(id)) return this.isOp || this.lookup(dmName(id))?.op === true;
    return this.deps.config.channels.find((c) => c.ID === id)?.PermitPhotos === true;
  }

  sendFile(name: string, bytes: Uint8Array): void {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    // Base64, not the original client's array of numbers: both servers read
    // it (Go decodes base64 into []byte) and it is a quarter of the bytes.
    this.send({ action: 'file', channel: this.channels.current, message: name, bytes: btoa(bin) });
  }

  mute(name: string, on: boolean): void {
    if (!on && this.blocked.has(name)) {
      this.note(`You have blocked ${name} on the website: unblock them there and reload this page.`);
      return;
    }
    if (on) this.muted.add(name);
    else this.muted.delete(name);
    this.send({ action: on ? 'mute' : 'unmute', username: name });
  }

  boot(name: string, on: boolean): void {
    if (on) {
      this.booted.add(name);
      this.watchers.delete(name);
    } else {
      this.booted.delete(name);
    }
    this.send({ action: on ? 'boot' : 'unboot', username: name });
  }

  invite(name: string): void {
    this.invited.add(name);
    this.send({ action: 'video-invite', usernames: [name] });
  }

  report(line: Line, reason: string, comment: string): void {
    this.reported.add(line.key);
    this.send({
      action: 'report',
      channel: line.channel,
      username: line.username,
      timestamp: line.at.toString(),
      reason,
      message: line.html,
      comment,
    });
  }

  // A DM thread, created on first use with the site's disclaimer and, for a
  // signed-in user, the first page of stored history.
  dmThread(partner: string): void {
    const id = `@${partner}`;
    if (this.channels.has(id)) return;
    this.channels.ensureDM(partner);
    if (this.deps.config.dmDisclaimer) {
      this.channels.add(makeLine('notification', id, '', this.deps.config.dmDisclaimer));
    }
    if (this.state.jwt) void this.loadOlder(id);
  }

  openDM(partner: string): void {
    if (partner === this.state.username) return;
    this.dmThread(partner);
    this.channels.select(`@${partner}`);
  }

  async loadOlder(id: string): Promise<void> {
    const ch = this.channels.get(id);
    if (!ch || ch.pager.loading || (ch.pager.loaded && ch.pager.remaining === 0)) return;
    ch.pager.loading = true;
    ch.pager.error = '';
    try {
      const page = await fetchHistory(this.state.jwt, dmName(id), ch.pager.beforeID);
      const msgs = page.Messages ?? [];
      const lines = msgs
        .map((m) => makeLine('message', id, m.username, m.message, parseTimestamp(m.timestamp, new Date()), m.msgID))
        .reverse();
      if (!ch.pager.loaded && lines.length) {
        lines.push(makeLine('separator', id, '', 'Messages from your past chat session are available above this line.'));
      }
      this.channels.prepend(id, lines);
      ch.pager.remaining = page.Remaining ?? 0;
      if (msgs.length) ch.pager.beforeID = msgs[msgs.length - 1].msgID;
    } catch (e) {
      ch.pager.error = e instanceof Error ? e.message : String(e);
    } finally {
      ch.pager.loaded = true;
      ch.pager.loading = false;
    }
  }

  // Closes the page's connection for good (the page is being left).
  close(): void {
    this.deps.clearTimer(this.timer);
    this.transport?.close();
    this.transport = null;
  }
}
