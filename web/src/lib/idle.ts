// After 5 minutes without a key press or mouse move, "online" becomes "idle";
// the next activity sets it back (frontend.md §11).
import type { Chat } from '../state/chat';

const IdleAfterMs = 300_000;

export function startIdleWatch(chat: Chat): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedAt = 0;
  const arm = () => {
    const now = Date.now();
    if (now - armedAt < 1000 && chat.state.status !== 'idle') return; // mouse moves come by the hundred
    armedAt = now;
    clearTimeout(timer);
    if (chat.state.status === 'idle') chat.setStatus('online');
    timer = setTimeout(() => {
      if (chat.state.status === 'online' && chat.state.phase === 'online') chat.setStatus('idle');
    }, IdleAfterMs);
  };
  for (const ev of ['keydown', 'mousemove', 'pointerdown', 'touchstart']) {
    window.addEventListener(ev, arm, { passive: true });
  }
  arm();
}
