// The wire format (protocol.md §2): one JSON object per frame, every field
// optional, zero values omitted by the server.

export interface WhoEntry {
  username: string;
  nickname?: string;
  status: string;
  video: number;
  dnd?: boolean;
  loginAt: number;
  op: boolean;
  vip?: boolean;
  avatar?: string;
  profileURL?: string;
  emoji?: string;
  gender?: string;
}

export interface Frame {
  action: string;
  channel?: string;
  username?: string;
  message?: string;
  jwt?: string;
  whoList?: WhoEntry[];
  video?: number;
  status?: string;
  dnd?: boolean;
  msgID?: number;
  openSecret?: string;
  usernames?: string[];
  timestamp?: string;
  reason?: string;
  comment?: string;
  messages?: Frame[];
  jwtRules?: Record<string, boolean>;
  candidate?: string;
  description?: string;
  extensions?: string[];
  set?: WhoEntry[];
  remove?: string[];
  bytes?: number[] | string;
}

export interface JwtClaims {
  sub?: string;
  op?: boolean;
  vip?: boolean;
  nick?: string;
  img?: string;
  url?: string;
  gender?: string;
  emoji?: string;
  [k: string]: unknown;
}

// Video flag bits of `me` and `who` (protocol.md §6).
export const Video = {
  Active: 1,
  NSFW: 2,
  Muted: 4,
  NonExplicit: 8,
  MutualRequired: 16,
  MutualOpen: 32,
  VipOnly: 64,
  Invited: 128,
  NoWatermark: 256,
} as const;

export const ChatServer = 'ChatServer';
export const ChatClient = 'ChatClient';

// The extensions this client asks for (docs/protocol-extensions.md).
export const WantedExtensions = ['who-delta', 'typing'];

// Parses one text frame; anything that is not a JSON object with a string
// `action` is dropped rather than trusted.
export function parseFrame(text: string): Frame | null {
  try {
    const v = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    if (typeof v.action !== 'string') return null;
    return v as Frame;
  } catch {
    return null;
  }
}
