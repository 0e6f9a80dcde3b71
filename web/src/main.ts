// Boots the page: reads the server's constants, creates the chat client and
// mounts the app (frontend.md §0).
import './styles/main.scss';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { readPageConfig } from './config';
import { Chat } from './state/chat';
import { useSettings } from './state/settings';
import { Webcams } from './rtc/webcams';
import { PollTransport, WsTransport, socketURL } from './net/transport';
import { AppKey, createUi, type AppContext } from './app_context';
import { playSound, unlockAudio } from './lib/sounds';
import { startIdleWatch } from './lib/idle';
import { warmUpFormats } from './lib/format';
import { Video } from './protocol/types';

const config = readPageConfig();
const { settings, sounds } = useSettings();
const chat = new Chat({
  config,
  settings,
  connect: (ev, polling) => (polling ? new PollTransport(ev) : new WsTransport(socketURL(), ev)),
  focused: () => document.hasFocus(),
  sound: (ev) => {
    if (!settings.muteSounds) playSound(sounds[ev]);
  },
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (t) => clearTimeout(t as number),
});
const cams = new Webcams(chat, settings);
const ui = createUi();

function dialog(
  title: string,
  message: string,
  confirm: boolean,
  okLabel?: string,
  checkbox?: { label: string; checked: boolean },
): Promise<boolean> {
  return new Promise((resolve) => {
    ui.dialog = {
      title,
      message,
      confirm,
      okLabel,
      checkbox,
      resolve: (ok) => {
        ui.dialog = null;
        resolve(ok);
      },
    };
  });
}

const SkipNsfwKey = 'skip-nsfw-modal';

async function openCamera(name: string): Promise<void> {
  const red = ((chat.lookup(name)?.video ?? 0) & Video.NSFW) !== 0;
  if (red && localStorage.getItem(SkipNsfwKey) !== 'true' && !cams.remote(name)?.stream) {
    const checkbox = { label: "Don't show this warning again", checked: false };
    const ok = await dialog(
      'This camera is Explicit',
      `${name} has marked their camera as Explicit: it may show nudity or sexual content. Open it anyway?`,
      true,
      'Open the camera',
      checkbox,
    );
    if (!ok) return;
    if (checkbox.checked) localStorage.setItem(SkipNsfwKey, 'true');
  }
  cams.open(name);
}

const app: AppContext = {
  chat,
  settings,
  sounds,
  cams,
  ui,
  confirm: (t, m, ok) => dialog(t, m, true, ok),
  alert: (t, m) => dialog(t, m, false),
  openCamera,
};

// The token stays in memory only: a reload of a bookmarked URL must not
// replay it from the address bar.
if (window.location.search) history.replaceState(null, '', window.location.pathname);

// Buttons inside server HTML messages run chat text through this.
(window as unknown as { SendMessage: (t: string) => void }).SendMessage = (t) => chat.sendText(t);

function applyTheme(): void {
  const t = settings.theme;
  if (t === 'auto') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', t);
}
watch(() => settings.theme, applyTheme, { immediate: true });

window.addEventListener('focus', () => chat.channels.select(chat.channels.current));
// Audio may start once the page had a user gesture (sticky activation), so
// the context is made just after the first one, not inside its handler.
const unlockSoon = () => setTimeout(unlockAudio, 0);
window.addEventListener('pointerdown', unlockSoon, { once: true });
window.addEventListener('keydown', unlockSoon, { once: true });
window.addEventListener('pagehide', () => chat.close());
setInterval(() => (ui.now = Date.now()), 1000);
startIdleWatch(chat);

const root = createApp(App);
root.provide(AppKey, app);
root.mount('#app');
(window.requestIdleCallback ?? setTimeout)(() => warmUpFormats());

if (config.jwtValid && config.claims.sub) chat.signIn(config.claims.sub);

// For the browser tests and /debug-webrtc.
(window as unknown as { barertc: AppContext }).barertc = app;
