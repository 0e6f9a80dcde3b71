// Everything the components share, created once in main.ts and injected.
import { inject, reactive, type InjectionKey } from 'vue';
import type { Chat } from './state/chat';
import type { Settings, SoundEvent } from './state/settings';
import type { Webcams } from './rtc/webcams';
import type { Line } from './state/lines';

export type Panel = 'chat' | 'channels' | 'who';

export interface Dialog {
  title: string;
  message: string;
  confirm?: boolean;
  okLabel?: string;
  checkbox?: { label: string; checked: boolean };
  resolve(ok: boolean): void;
}

export function createUi() {
  return reactive({
    panel: 'chat' as Panel,
    whoTab: 'online' as 'online' | 'watching',
    profile: '' as string, // username whose card is open
    settingsOpen: false,
    settingsTab: 'display',
    cameraOptions: false,
    historyOpen: false,
    report: null as Line | null,
    photo: null as { file: File; url: string } | null,
    dialog: null as Dialog | null,
    now: Date.now(),
  });
}
export type Ui = ReturnType<typeof createUi>;

export interface AppContext {
  chat: Chat;
  settings: Settings;
  sounds: Record<SoundEvent, string>;
  cams: Webcams;
  ui: Ui;
  confirm(title: string, message: string, okLabel?: string): Promise<boolean>;
  alert(title: string, message: string): Promise<boolean>;
  // Opens someone's camera, after the Explicit warning when theirs is red.
  openCamera(name: string): Promise<void>;
}

export const AppKey: InjectionKey<AppContext> = Symbol('barertc');

export function useApp(): AppContext {
  const app = inject(AppKey);
  if (!app) throw new Error('barertc: no app context');
  return app;
}
