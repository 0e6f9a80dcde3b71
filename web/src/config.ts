// The page constants the server renders before the app script (frontend.md §0).
// They are read defensively: a missing or malformed constant falls back to a
// default, so the page still works behind a server that renders fewer of them.
import type { JwtClaims } from './protocol/types';

export interface PublicChannel {
  ID: string;
  Name: string;
  Icon?: string;
  VIP?: boolean;
  PermitPhotos?: boolean;
  WelcomeMessages?: string[];
}

export interface PageConfig {
  branding: string;
  strings: Record<string, string>;
  channels: PublicChannel[];
  dmDisclaimer: string;
  websiteURL: string;
  permitNSFW: boolean;
  turn: { URLs: string[]; Username: string; Credential: string };
  webhooks: { Name: string; Enabled: boolean }[];
  vip: { Name: string; Branding: string; Icon: string };
  jwtToken: string;
  jwtValid: boolean;
  claims: JwtClaims;
  rules: Record<string, boolean>;
  blocklist: string[];
}

declare const Branding: unknown, BareRTCStrings: unknown, PublicChannels: unknown;
declare const DMDisclaimer: unknown, WebsiteURL: unknown, PermitNSFW: unknown, TURN: unknown;
declare const WebhookURLs: unknown, VIP: unknown, UserJWTToken: unknown, UserJWTValid: unknown;
declare const UserJWTClaims: unknown, UserJWTRules: unknown, CachedBlocklist: unknown;

// A classic script's top-level `const` is not on `window`; `typeof` reads it
// without throwing when the server did not define it.
function pick<T>(read: () => unknown, fallback: T, ok: (v: unknown) => boolean): T {
  try {
    const v = read();
    return ok(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}
const isString = (v: unknown) => typeof v === 'string';
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readPageConfig(): PageConfig {
  const channels = pick<PublicChannel[]>(() => PublicChannels, [], Array.isArray).filter(
    (c) => isObject(c) && isString(c.ID) && c.ID !== '',
  );
  return {
    branding: pick(() => Branding, 'BareRTC', isString),
    strings: pick(() => BareRTCStrings, {}, isObject),
    channels: channels.length ? channels : [{ ID: 'lobby', Name: 'Lobby' }],
    dmDisclaimer: pick(() => DMDisclaimer, '', isString),
    websiteURL: pick(() => WebsiteURL, '', isString),
    permitNSFW: pick(() => PermitNSFW, false, (v) => typeof v === 'boolean'),
    turn: pick(() => TURN, { URLs: [], Username: '', Credential: '' }, isObject),
    webhooks: pick(() => WebhookURLs, [], Array.isArray),
    vip: pick(() => VIP, { Name: 'VIP', Branding: 'VIP', Icon: '' }, isObject),
    jwtToken: pick(() => UserJWTToken, '', isString),
    jwtValid: pick(() => UserJWTValid, false, (v) => v === true),
    claims: pick(() => UserJWTClaims, {}, isObject),
    rules: pick(() => UserJWTRules, {}, isObject),
    blocklist: pick<string[]>(() => CachedBlocklist, [], Array.isArray).filter(isString),
  };
}

export function webhookEnabled(cfg: PageConfig, name: string): boolean {
  return cfg.webhooks.some((h) => h && h.Name === name && h.Enabled);
}
