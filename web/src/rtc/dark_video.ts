// Dark camera detection (frontend.md §4.5): every 5 s the local preview is
// sampled; four dark samples in a row (~20 s) report the camera as too dark.
const IntervalMs = 5000;
const DarkChecks = 4;
const DarkLevel = 10;

export function averageBrightness(pixels: Uint8ClampedArray, step = 16): number {
  let sum = 0;
  let n = 0;
  let first = -1;
  let allSame = true;
  for (let i = 0; i + 2 < pixels.length; i += 4 * step) {
    const v = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
    if (first < 0) first = v;
    else if (v !== first) allSame = false;
    sum += v;
    n++;
  }
  if (n === 0 || allSame) return 0; // a uniform picture is a covered lens
  return sum / n;
}

export class DarkVideoWatch {
  private timer: ReturnType<typeof setInterval> | undefined;
  private dark = 0;
  private canvas: HTMLCanvasElement | null = null;

  constructor(private onDark: () => void) {}

  start(video: HTMLVideoElement): void {
    this.stop();
    this.canvas ??= document.createElement('canvas');
    this.canvas.width = 160;
    this.canvas.height = 120;
    this.timer = setInterval(() => this.sample(video), IntervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.dark = 0;
  }

  private sample(video: HTMLVideoElement): void {
    const ctx = this.canvas?.getContext('2d', { willReadFrequently: true });
    if (!ctx || video.readyState < 2) return;
    ctx.drawImage(video, 0, 0, 160, 120);
    const level = averageBrightness(ctx.getImageData(0, 0, 160, 120).data, 4);
    this.dark = level < DarkLevel ? this.dark + 1 : 0;
    if (this.dark >= DarkChecks) {
      this.stop();
      this.onDark();
    }
  }
}
