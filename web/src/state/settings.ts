// User preferences kept in localStorage, each under the original client's key
// and JSON-encoded (frontend.md §9), so a site switching clients keeps them.
import { reactive, watch } from 'vue';

export const Defaults = {
  theme: 'auto' as 'auto' | 'light' | 'dark',
  videoScale: '' as '' | 'x1' | 'x2' | 'x3' | 'x4',
  fontSizeClass: '' as string,
  messageStyle: 'cards' as 'cards' | 'compact' | 'compact2',
  imageDisplaySetting: 'collapse' as 'show' | 'collapse' | 'hide',
  scrollback: 1000,
  muteSounds: false,
  autoMuteWebcams: false,
  videoExplicit: false,
  videoNonExplicit: false,
  videoMutual: false,
  videoMutualOpen: false,
  videoVipOnly: false,
  rememberExpresslyClosed: true,
  videoAutoShare: false,
  videoNoWatermark: false,
  videoAutoMute: false,
  preferredDeviceNames: { video: '', audio: '' },
  joinMessages: false,
  exitMessages: false,
  watchNotif: true,
  closeDMs: false,
  usePolling: false,
  debug: false,
  whoSort: 'a-z',
};
export type Settings = typeof Defaults;

export const SoundEvents = ['Chat', 'DM', 'Enter', 'Leave', 'Watch', 'Unwatch', 'Mentioned'] as const;
export type SoundEvent = (typeof SoundEvents)[number];
export const DefaultSounds: Record<SoundEvent, string> = {
  Chat: 'Quiet',
  DM: 'Trill',
  Enter: 'Quiet',
  Leave: 'Quiet',
  Watch: 'Quiet',
  Unwatch: 'Quiet',
  Mentioned: 'Ping',
};

function sameType(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && Array.isArray(a) === Array.isArray(b) && (a === null) === (b === null);
}

export function loadSettings(storage: Storage | undefined): Settings {
  const s: Settings = structuredClone(Defaults);
  if (!storage) return s;
  for (const key of Object.keys(Defaults) as (keyof Settings)[]) {
    const raw = storage.getItem(key);
    if (raw === null) continue;
    try {
      const v = JSON.parse(raw);
      if (sameType(v, Defaults[key])) (s as Record<string, unknown>)[key] = v;
    } catch {
      // A corrupt value keeps its default.
    }
  }
  return s;
}

export function loadSounds(storage: Storage | undefined): Record<SoundEvent, string> {
  const out = { ...DefaultSounds };
  for (const ev of SoundEvents) {
    const v = storage?.getItem(`sound:${ev}`);
    if (v) out[ev] = v;
  }
  return out;
}

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

// The app's settings: reactive, and written back on every change.
export function useSettings() {
  const storage = browserStorage();
  const settings = reactive(loadSettings(storage));
  const sounds = reactive(loadSounds(storage));
  for (const key of Object.keys(Defaults) as (keyof Settings)[]) {
    watch(
      () => settings[key],
      (v) => storage?.setItem(key, JSON.stringify(v)),
      { deep: true },
    );
  }
  for (const ev of SoundEvents) {
    watch(
      () => sounds[ev],
      (v) => storage?.setItem(`sound:${ev}`, v),
    );
  }
  return { settings, sounds };
}
