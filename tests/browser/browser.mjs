// Debian's Chromium driven by playwright-core, headless, with fake camera and
// microphone, against the real barertc binary (tests/e2e/harness.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Server, settingsToml, signJwt } from '../e2e/harness.mjs';

export { Server, settingsToml, signJwt };

export const WEB_DIR = path.resolve(process.env.BARERTC_WEB ?? 'web/dist');
export const SHOTS = path.resolve(process.env.BARERTC_SCREENSHOTS ?? 'build/screenshots');

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  // Peers on one machine: keep WebRTC on loopback, without mDNS host names.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

// The page's server: the real binary serving the built web client.
export function startServer(options = {}) {
  return Server.start({ ...options, args: ['-web', WEB_DIR, ...(options.args ?? [])] });
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
}

// A person at a browser: an isolated context (own storage) with one page that
// records every console error and uncaught exception.
export class Person {
  static async open(browser, url, { width = 1280, height = 800, allowed = [] } = {}) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const p = new Person(context, page, allowed);
    await page.goto(url);
    return p;
  }

  constructor(context, page, allowed) {
    this.context = context;
    this.page = page;
    this.errors = [];
    this.allowed = allowed; // console errors the test expects, as regexes
    page.on('console', (m) => {
      if (m.type() === 'error' && !this.allowed.some((re) => re.test(m.text()))) this.errors.push(m.text());
    });
    page.on('pageerror', (e) => this.errors.push(`uncaught: ${e.message}`));
  }

  async signIn(name) {
    await this.page.getByLabel('Username').fill(name);
    await this.page.getByRole('button', { name: 'Join chat' }).click();
    await this.page.getByLabel('Message', { exact: true }).waitFor();
    await this.page.waitForFunction(() => window.barertc?.chat.state.phase === 'online');
  }

  composer() {
    return this.page.getByLabel('Message', { exact: true });
  }

  async say(text) {
    await this.composer().fill(text);
    await this.composer().press('Enter');
  }

  // The text of the history pane that is on screen.
  history() {
    return this.page.getByRole('log');
  }

  async screenshot(name) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  async close() {
    await this.context.close();
  }
}
