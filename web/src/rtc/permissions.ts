// "May I open this camera?" (frontend.md §5.6): the page's own checks, so a
// person gets a reason before asking; the server enforces the same rules.
import { Video, type WhoEntry } from '../protocol/types';

export interface Viewer {
  me: string;
  myFlags: number;
  status: string;
  isOp: boolean;
  isVIP: boolean;
  muted: boolean;
  booted: boolean;
  noVideoRule: boolean;
}

// An empty string when allowed; otherwise the reason, for the person.
export function refusal(them: WhoEntry, v: Viewer): string {
  const theirs = them.video;
  if (them.username === v.me) return 'That is your own camera.';
  if (!(theirs & Video.Active)) return `${them.username} is not sharing a camera.`;
  if (v.status === 'hidden') return 'You are hidden: show yourself before opening cameras.';
  if (v.noVideoRule) return 'You are not allowed to watch webcams.';
  if (!v.isOp && (v.muted || v.booted)) return `You have muted or booted ${them.username}.`;
  if (v.myFlags & Video.NSFW && theirs & Video.NonExplicit) {
    return `${them.username} prefers not to be watched by Explicit cameras.`;
  }
  if (v.myFlags & Video.NonExplicit && theirs & Video.NSFW) {
    return `${them.username}'s camera is Explicit, and you chose not to see Explicit cameras.`;
  }
  if (theirs & Video.Invited) return '';
  if (theirs & Video.MutualRequired && !(v.myFlags & Video.Active)) {
    return `${them.username} asks that you share your own camera before you open theirs.`;
  }
  if (!v.isOp && v.myFlags & Video.VipOnly && !them.vip) {
    return 'Your camera is for VIPs only, so you may only open the cameras of VIPs.';
  }
  return '';
}
