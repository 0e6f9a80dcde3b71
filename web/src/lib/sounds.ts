// Notification sounds, synthesised with Web Audio: no sound files to ship.
// Browsers only allow audio after a user gesture, so the context is created on
// the first click or key press.
export const SoundNames = ['Quiet', 'Trill', 'Beep', 'Bird', 'Ping', 'Sonar', 'Up Chime', 'Down Chime'] as const;

type Note = [freq: number, start: number, length: number];
const Tunes: Record<string, Note[]> = {
  Trill: [[1318, 0, 0.07], [1568, 0.08, 0.07], [1318, 0.16, 0.07], [1568, 0.24, 0.1]],
  Beep: [[880, 0, 0.15]],
  Bird: [[2637, 0, 0.05], [3136, 0.06, 0.05], [2793, 0.12, 0.08]],
  Ping: [[1760, 0, 0.25]],
  Sonar: [[660, 0, 0.6]],
  'Up Chime': [[523, 0, 0.12], [659, 0.12, 0.12], [784, 0.24, 0.2]],
  'Down Chime': [[784, 0, 0.12], [659, 0.12, 0.12], [523, 0.24, 0.2]],
};

let ctx: AudioContext | null = null;

export function unlockAudio(): void {
  if (ctx || typeof AudioContext === 'undefined') return;
  try {
    ctx = new AudioContext();
  } catch {
    ctx = null;
  }
}

export function playSound(name: string): void {
  const tune = Tunes[name];
  if (!tune || !ctx) return;
  const t0 = ctx.currentTime;
  for (const [freq, start, len] of tune) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    osc.type = 'sine';
    gain.gain.setValueAtTime(0.0001, t0 + start);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + len);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + start);
    osc.stop(t0 + start + len + 0.02);
  }
}
