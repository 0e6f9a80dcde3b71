// Every channel's history with its unread counts: the public channels of the
// settings, the debug log, and one thread per DM partner (`@name`).
import { reactive, shallowReactive } from 'vue';
import type { PageConfig } from '../config';
import type { Settings } from './settings';
import type { Line } from './lines';

export const DebugChannel = 'barertc-debug';

export const isDM = (id: string) => id.startsWith('@');
export const dmName = (id: string) => id.slice(1);

export interface HistoryPager {
  loaded: boolean; // the first page was asked for
  loading: boolean;
  remaining: number;
  beforeID: number;
  error: string;
}

export interface Channel {
  id: string;
  name: string;
  vip: boolean;
  lines: Line[];
  unread: number;
  urgent: boolean;
  updated: number;
  pager: HistoryPager;
}

export class ChannelStore {
  readonly state = reactive({ current: '', order: [] as string[] });
  private byID = new Map<string, Channel>();

  constructor(
    private config: PageConfig,
    private settings: Settings,
  ) {
    for (const c of config.channels) this.create(c.ID, c.Name, c.VIP === true);
    this.create(DebugChannel, 'Debug Log', false);
    this.state.current = config.channels[0].ID;
  }

  get current(): string {
    return this.state.current;
  }
  get first(): string {
    return this.config.channels[0].ID;
  }

  has(id: string): boolean {
    return this.byID.has(id);
  }
  get(id: string): Channel | undefined {
    return this.byID.get(id);
  }

  publicChannels(isVIP: boolean): Channel[] {
    return this.config.channels
      .filter((c) => !c.VIP || isVIP)
      .map((c) => this.byID.get(c.ID)!)
      .concat(this.settings.debug ? [this.byID.get(DebugChannel)!] : []);
  }

  // DM threads, the most recently active first.
  dms(): Channel[] {
    return this.state.order
      .filter(isDM)
      .map((id) => this.byID.get(id)!)
      .sort((a, b) => b.updated - a.updated);
  }

  private create(id: string, name: string, vip: boolean): Channel {
    const ch = reactive({
      id,
      name,
      vip,
      lines: shallowReactive([]) as Line[],
      unread: 0,
      urgent: false,
      updated: 0,
      pager: { loaded: false, loading: false, remaining: 0, beforeID: 0, error: '' },
    }) as Channel;
    this.byID.set(id, ch);
    this.state.order.push(id);
    return ch;
  }

  ensureDM(partner: string): Channel {
    const id = `@${partner}`;
    return this.byID.get(id) ?? this.create(id, partner, false);
  }

  closeDM(id: string): void {
    if (!isDM(id)) return;
    this.byID.delete(id);
    this.state.order = this.state.order.filter((x) => x !== id);
    if (this.state.current === id) this.state.current = this.first;
  }

  select(id: string): void {
    const ch = this.byID.get(id);
    if (!ch) return;
    this.state.current = id;
    ch.unread = 0;
    ch.urgent = false;
  }

  add(line: Line, opts: { unread?: boolean; urgent?: boolean } = {}): void {
    const ch = this.byID.get(line.channel) ?? (isDM(line.channel) ? this.ensureDM(dmName(line.channel)) : undefined);
    if (!ch) return;
    ch.lines.push(line);
    const max = this.settings.scrollback;
    if (max > 0 && ch.lines.length > max) ch.lines.splice(0, ch.lines.length - max);
    if (line.kind === 'message') ch.updated = Date.now();
    if (opts.unread && ch.id !== DebugChannel) ch.unread++;
    if (opts.urgent) ch.urgent = true;
  }

  // Older DM history goes on top, without counting as unread.
  prepend(id: string, lines: Line[]): void {
    const ch = this.byID.get(id);
    if (!ch || !lines.length) return;
    const known = new Set(ch.lines.map((l) => l.msgID).filter((x) => x !== undefined));
    ch.lines.unshift(...lines.filter((l) => l.msgID === undefined || !known.has(l.msgID)));
  }

  removeMessage(msgID: number): void {
    for (const ch of this.byID.values()) {
      const i = ch.lines.findIndex((l) => l.msgID === msgID);
      if (i >= 0) ch.lines.splice(i, 1);
    }
  }

  hideLine(channel: string, key: number): void {
    const ch = this.byID.get(channel);
    const i = ch ? ch.lines.findIndex((l) => l.key === key) : -1;
    if (ch && i >= 0) ch.lines.splice(i, 1);
  }

  totalUnreadDMs(): number {
    return this.dms().reduce((n, c) => n + c.unread, 0);
  }
  totalUnread(): number {
    let n = 0;
    for (const c of this.byID.values()) n += c.unread;
    return n;
  }
}
