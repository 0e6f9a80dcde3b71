// A transport and timers under the test's control, for driving Chat.
import { Chat } from '../src/state/chat';
import { Defaults, type Settings } from '../src/state/settings';
import type { PageConfig } from '../src/config';
import type { Frame } from '../src/protocol/types';
import type { Transport, TransportEvents } from '../src/net/transport';

export class FakeTransport implements Transport {
  sent: Frame[] = [];
  closed = false;
  constructor(public ev: TransportEvents) {}
  send(f: Frame): boolean {
    if (this.closed) return false;
    this.sent.push(structuredClone(f));
    return true;
  }
  close(): void {
    this.closed = true;
  }
}

export function pageConfig(over: Partial<PageConfig> = {}): PageConfig {
  return {
    branding: 'Test',
    strings: {},
    channels: [
      { ID: 'lobby', Name: 'Lobby' },
      { ID: 'offtopic', Name: 'Off Topic' },
    ],
    dmDisclaimer: '',
    websiteURL: '',
    permitNSFW: true,
    turn: { URLs: [], Username: '', Credential: '' },
    webhooks: [],
    vip: { Name: 'VIP', Branding: 'VIP', Icon: '' },
    jwtToken: '',
    jwtValid: false,
    claims: {},
    rules: {},
    blocklist: [],
    ...over,
  };
}

export function harness(config = pageConfig(), settings: Partial<Settings> = {}) {
  const transports: FakeTransport[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const sounds: string[] = [];
  let focused = true;
  const chat = new Chat({
    config,
    settings: { ...structuredClone(Defaults), ...settings },
    connect: (ev) => {
      const t = new FakeTransport(ev);
      transports.push(t);
      return t;
    },
    focused: () => focused,
    sound: (ev) => sounds.push(ev),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  const last = () => transports[transports.length - 1];
  return {
    chat,
    transports,
    timers,
    sounds,
    last,
    setFocused: (f: boolean) => (focused = f),
    // Signs in as `name`: the socket opens and the server answers `me`.
    login(name = 'alice', extensions: string[] = ['who-delta', 'typing']) {
      chat.signIn(name);
      last().ev.open();
      chat.handle({ action: 'me', username: name, extensions });
      return last();
    },
    serve(f: Frame) {
      last().ev.frame(f);
    },
  };
}
