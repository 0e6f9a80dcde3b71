// Webcams over WebRTC (frontend.md §5). The server only relays signalling:
// the viewer is the offerer (on the `open` echo), the broadcaster answers (on
// `ring`). Each direction is its own one-way peer connection.
import { reactive, markRaw } from 'vue';
import { Video, type Frame, type WhoEntry } from '../protocol/types';
import type { Chat, RtcListener } from '../state/chat';
import type { Settings } from '../state/settings';
import { refusal } from './permissions';
import { DarkVideoWatch } from './dark_video';

interface Peers {
  offerer?: RTCPeerConnection; // I watch them
  answerer?: RTCPeerConnection; // they watch me
  connecting?: RTCPeerConnection; // the latest, for incoming sdp/candidates
}

export interface RemoteCam {
  username: string;
  stream: MediaStream | null;
  opening: boolean;
  frozen: boolean;
  muted: boolean;
}

const OpenTimeoutMs = 10_000;
const FrozenAfterMs = 7_500;

export class Webcams implements RtcListener {
  readonly state = reactive({
    local: null as MediaStream | null,
    starting: false,
    micMuted: false,
    remotes: [] as RemoteCam[],
    devices: { video: [] as MediaDeviceInfo[], audio: [] as MediaDeviceInfo[] },
    videoDevice: '',
    audioDevice: '',
  });
  private peers = new Map<string, Peers>();
  private openTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private expresslyClosed = new Set<string>();
  private dark = new DarkVideoWatch(() => this.tooDark());
  private autoStarted = false;
  private remoteUfrag = new WeakMap<RTCPeerConnection, string>();

  constructor(
    private chat: Chat,
    private settings: Settings,
  ) {
    chat.rtc = this;
  }

  get broadcasting(): boolean {
    return this.state.local !== null;
  }

  // ---- my camera ------------------------------------------------------------

  flags(): number {
    if (!this.state.local) return 0;
    const s = this.settings;
    let v = Video.Active;
    if (this.state.micMuted) v |= Video.Muted;
    if (s.videoExplicit && this.chat.config.permitNSFW) v |= Video.NSFW;
    if (s.videoNonExplicit) v |= Video.NonExplicit;
    if (s.videoMutual) v |= Video.MutualRequired;
    if (s.videoMutualOpen) v |= Video.MutualOpen;
    if (s.videoVipOnly && this.chat.isVIP) v |= Video.VipOnly;
    if (s.videoNoWatermark) v |= Video.NoWatermark;
    return v | (this.chat.state.video & Video.NSFW);
  }

  publishFlags(): void {
    this.chat.state.video = this.flags();
    this.chat.sendMe();
  }

  async start(): Promise<void> {
    if (this.state.local || this.state.starting) return;
    if (this.chat.state.rules.IsNoBroadcastRule) {
      this.chat.note(this.chat.config.strings.ModRuleErrorNoBroadcast || 'You may not share your webcam.');
      return;
    }
    this.state.starting = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
      this.state.local = markRaw(stream);
      this.state.micMuted = this.settings.videoAutoMute;
      this.applyMicMute();
      this.rememberDevices(stream);
      this.chat.state.video = 0;
      this.publishFlags();
      this.enforceRules();
    } catch (e) {
      this.chat.note(`Webcam error: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.state.starting = false;
    }
  }

  private constraints(): MediaStreamConstraints {
    const video: MediaTrackConstraints = {
      width: { ideal: 640, max: 1280 },
      height: { ideal: 480, max: 720 },
    };
    if (this.state.videoDevice) video.deviceId = { exact: this.state.videoDevice };
    const audio: MediaTrackConstraints | boolean = this.state.audioDevice
      ? { deviceId: { exact: this.state.audioDevice } }
      : true;
    return { video, audio };
  }

  private rememberDevices(stream: MediaStream): void {
    const v = stream.getVideoTracks()[0];
    const a = stream.getAudioTracks()[0];
    this.settings.preferredDeviceNames = { video: v?.label ?? '', audio: a?.label ?? '' };
    this.state.videoDevice = v?.getSettings().deviceId ?? '';
    this.state.audioDevice = a?.getSettings().deviceId ?? '';
  }

  async listDevices(): Promise<void> {
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      this.state.devices.video = all.filter((d) => d.kind === 'videoinput');
      this.state.devices.audio = all.filter((d) => d.kind === 'audioinput');
      const pref = this.settings.preferredDeviceNames;
      this.state.videoDevice ||= this.state.devices.video.find((d) => d.label === pref.video)?.deviceId ?? '';
      this.state.audioDevice ||= this.state.devices.audio.find((d) => d.label === pref.audio)?.deviceId ?? '';
    } catch {
      // No device list: the defaults are used.
    }
  }

  // A device chosen while live replaces the tracks every viewer receives.
  async switchDevices(): Promise<void> {
    if (!this.state.local) return;
    const fresh = await navigator.mediaDevices.getUserMedia(this.constraints());
    const old = this.state.local;
    for (const p of this.peers.values()) {
      for (const sender of p.answerer?.getSenders() ?? []) {
        const t = fresh.getTracks().find((x) => x.kind === sender.track?.kind);
        if (t) await sender.replaceTrack(t);
      }
    }
    old.getTracks().forEach((t) => t.stop());
    this.state.local = markRaw(fresh);
    this.applyMicMute();
    this.rememberDevices(fresh);
  }

  stop(): void {
    if (!this.state.local) return;
    this.state.local.getTracks().forEach((t) => t.stop());
    this.state.local = null;
    this.dark.stop();
    for (const [name, p] of this.peers) {
      p.answerer?.close();
      p.answerer = undefined;
      this.chat.watchers.delete(name);
    }
    this.chat.state.video = 0;
    this.chat.sendMe();
    this.enforceRules();
  }

  toggleMic(): void {
    this.state.micMuted = !this.state.micMuted;
    this.applyMicMute();
    this.publishFlags();
  }

  private applyMicMute(): void {
    this.state.local?.getAudioTracks().forEach((t) => (t.enabled = !this.state.micMuted));
  }

  watchDarkness(video: HTMLVideoElement): void {
    this.dark.start(video);
  }

  private tooDark(): void {
    if (this.chat.state.rules.IsNoDarkVideoRule) return;
    this.stop();
    this.chat.note('Your webcam was too dark to see anything, so it has been turned off. Check your lighting and try again.');
  }

  // ---- other people's cameras -------------------------------------------------

  remote(name: string): RemoteCam | undefined {
    return this.state.remotes.find((r) => r.username === name);
  }

  canOpen(entry: WhoEntry): string {
    return refusal(entry, {
      me: this.chat.state.username,
      myFlags: this.flags(),
      status: this.chat.state.status,
      isOp: this.chat.isOp,
      isVIP: this.chat.isVIP,
      muted: this.chat.muted.has(entry.username),
      booted: this.chat.booted.has(entry.username),
      noVideoRule: this.chat.state.rules.IsNoVideoRule === true,
    });
  }

  open(name: string): void {
    const entry = this.chat.roster.get(name);
    if (!entry) return;
    const why = this.canOpen(entry);
    if (why) return this.chat.note(why);
    if (this.remote(name)?.stream) return;
    this.expresslyClosed.delete(name);
    this.closeOfferer(name);
    this.upsertRemote(name, { opening: true });
    this.openTimers.set(
      name,
      setTimeout(() => {
        if (!this.remote(name)?.stream) {
          this.removeRemote(name);
          this.chat.note(`There was an error opening ${name}'s camera.`);
        }
      }, OpenTimeoutMs),
    );
    this.chat.send({ action: 'open', username: name });
  }

  // The X on a tile: I stop watching them.
  close(name: string): void {
    if (this.settings.rememberExpresslyClosed) this.expresslyClosed.add(name);
    // A stream that came back over the connection they opened to watch me is
    // only hidden: closing it would cut my camera off from them.
    const theyWatchMe = this.chat.watchers.has(name) && this.settings.videoMutualOpen;
    this.removeRemote(name);
    if (!theyWatchMe) this.closeOfferer(name);
    this.chat.send({ action: 'unwatch', username: name });
    this.cleanup(name);
  }

  closeAll(): void {
    for (const r of [...this.state.remotes]) this.close(r.username);
  }

  // Boot a watcher off my camera.
  bootWatcher(name: string): void {
    this.chat.boot(name, true);
    const p = this.peers.get(name);
    p?.answerer?.close();
    if (p) p.answerer = undefined;
    this.cleanup(name);
  }

  setRemoteMuted(name: string, muted: boolean): void {
    const r = this.remote(name);
    if (r) r.muted = muted;
  }

  // ---- signalling -------------------------------------------------------------

  frame(f: Frame): void {
    const name = f.username ?? '';
    switch (f.action) {
      case 'open':
        return this.startOfferer(name);
      case 'ring':
        return this.startAnswerer(name);
      case 'sdp':
        return void this.onSdp(name, f.description ?? '');
      case 'candidate':
        return void this.onCandidate(name, f.candidate ?? '');
      case 'unwatch':
        return this.dropWatcher(name);
      case 'block':
        this.removeRemote(name);
        this.closeOfferer(name);
        return this.dropWatcher(name);
      case 'cut':
        this.chat.note('Your camera has been turned off.');
        return this.stop();
      case 'ping':
        return this.enforceJwtRules();
      case 'me':
        return this.onMe(f);
    }
  }

  whoChanged(): void {
    for (const r of [...this.state.remotes]) {
      const e = this.chat.roster.get(r.username);
      if (!e || (!r.opening && !(e.video & Video.Active))) {
        this.removeRemote(r.username);
        this.closeOfferer(r.username);
      }
    }
    for (const name of [...this.peers.keys()]) {
      if (!this.chat.roster.has(name)) this.closePeers(name);
    }
    this.enforceRules();
  }

  disconnected(): void {
    for (const name of [...this.peers.keys()]) this.closePeers(name);
    this.state.remotes.splice(0);
    this.chat.watchers.clear();
  }

  // After each `me`: the camera the person asked to start on login, and an
  // Explicit mark the server forced on it.
  private onMe(f: Frame): void {
    if (!this.autoStarted && this.settings.videoAutoShare) {
      this.autoStarted = true;
      void this.start();
    }
    if (this.state.local && typeof f.video === 'number' && f.video & Video.NSFW) {
      this.settings.videoExplicit = true;
    }
  }

  private enforceJwtRules(): void {
    const rules = this.chat.state.rules;
    if (rules.IsNoBroadcastRule && this.state.local) this.stop();
    if (rules.IsNoVideoRule) this.closeAll();
  }

  // Cameras I may no longer watch (my own camera or flags changed) close.
  enforceRules(): void {
    for (const r of [...this.state.remotes]) {
      const e = this.chat.roster.get(r.username);
      if (e && r.stream && this.canOpen(e)) this.close(r.username);
    }
  }

  private ice(): RTCConfiguration {
    const t = this.chat.config.turn;
    const iceServers = (t.URLs ?? []).map((url) =>
      /^turns?:/.test(url) ? { urls: url, username: t.Username, credential: t.Credential } : { urls: url },
    );
    return { iceServers };
  }

  private newPeer(name: string, role: 'offerer' | 'answerer'): RTCPeerConnection {
    const pc = new RTCPeerConnection(this.ice());
    const p = this.peers.get(name) ?? {};
    p[role]?.close();
    p[role] = pc;
    p.connecting = pc;
    this.peers.set(name, p);
    pc.onicecandidate = (e) => {
      if (e.candidate) {
        this.chat.send({ action: 'candidate', username: name, candidate: JSON.stringify(e.candidate.toJSON()) });
      }
    };
    pc.ontrack = (e) => this.onTrack(name, role, e);
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.chat.note(`The video connection with ${name} failed.`, 'debug');
    };
    return pc;
  }

  private startOfferer(name: string): void {
    const pc = this.newPeer(name, 'offerer');
    const them = this.chat.roster.get(name);
    const local = this.state.local;
    const twoWay =
      local && them && them.video & Video.MutualOpen && !this.chat.booted.has(name) && !this.chat.muted.has(name) &&
      !((this.flags() & Video.NSFW) && them.video & Video.NonExplicit);
    if (twoWay) {
      local.getTracks().forEach((t) => pc.addTrack(t, local));
    } else {
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
    }
    pc.onnegotiationneeded = async () => {
      try {
        await pc.setLocalDescription(await pc.createOffer());
        this.sendDescription(name, pc);
      } catch (e) {
        this.chat.note(`Could not start a video connection with ${name}: ${String(e)}`, 'debug');
      }
    };
  }

  private startAnswerer(name: string): void {
    const pc = this.newPeer(name, 'answerer');
    const local = this.state.local;
    if (local) local.getTracks().forEach((t) => pc.addTrack(t, local));
  }

  private sendDescription(name: string, pc: RTCPeerConnection): void {
    if (pc.localDescription) {
      this.chat.send({ action: 'sdp', username: name, description: JSON.stringify(pc.localDescription.toJSON()) });
    }
  }

  // Two people who watch each other have two connections between them: an
  // offer is for the one where I answer, an answer for the one where I offer.
  private async onSdp(name: string, json: string): Promise<void> {
    const p = this.peers.get(name);
    if (!p || !json) return;
    try {
      const desc = JSON.parse(json) as RTCSessionDescriptionInit;
      const pc = (desc.type === 'offer' ? p.answerer : p.offerer) ?? p.connecting;
      if (!pc) return;
      const ufrag = /a=ice-ufrag:(\S+)/.exec(desc.sdp ?? '')?.[1];
      if (ufrag) this.remoteUfrag.set(pc, ufrag);
      await pc.setRemoteDescription(desc);
      if (desc.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        this.sendDescription(name, pc);
      }
    } catch (e) {
      this.chat.note(`Bad video description from ${name}: ${String(e)}`, 'debug');
    }
  }

  // A candidate names its ICE session (usernameFragment): it belongs to the
  // connection whose remote description has that ufrag.
  private async onCandidate(name: string, json: string): Promise<void> {
    const p = this.peers.get(name);
    if (!p || !json) return;
    try {
      const cand = JSON.parse(json) as RTCIceCandidateInit;
      const byUfrag = [p.offerer, p.answerer].find((pc) => pc && this.remoteUfrag.get(pc) === cand.usernameFragment);
      const pc = byUfrag ?? p.connecting;
      if (pc) await pc.addIceCandidate(cand);
    } catch (e) {
      this.chat.note(`Bad video candidate from ${name}: ${String(e)}`, 'debug');
    }
  }

  private onTrack(name: string, role: 'offerer' | 'answerer', e: RTCTrackEvent): void {
    const stream = e.streams[0] ?? new MediaStream([e.track]);
    if (role === 'answerer') {
      // A viewer's own camera, sent back because I asked for mutual opening.
      if (!this.settings.videoMutualOpen || this.expresslyClosed.has(name)) return;
    }
    if (this.remote(name)?.stream === stream) return;
    clearTimeout(this.openTimers.get(name));
    this.openTimers.delete(name);
    this.upsertRemote(name, {
      stream: markRaw(stream),
      opening: false,
      muted: this.settings.autoMuteWebcams,
    });
    this.watchFreezes(name, e.track);
    if (role === 'offerer') this.chat.send({ action: 'watch', username: name });
  }

  private watchFreezes(name: string, track: MediaStreamTrack): void {
    if (track.kind !== 'video') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    track.onmute = () => {
      timer = setTimeout(() => {
        const r = this.remote(name);
        if (r && track.muted) r.frozen = true;
      }, FrozenAfterMs);
    };
    track.onunmute = () => {
      clearTimeout(timer);
      const r = this.remote(name);
      if (r) r.frozen = false;
    };
  }

  private upsertRemote(name: string, patch: Partial<RemoteCam>): void {
    const r = this.remote(name);
    if (r) Object.assign(r, patch);
    else this.state.remotes.push({ username: name, stream: null, opening: false, frozen: false, muted: false, ...patch });
  }

  private removeRemote(name: string): void {
    clearTimeout(this.openTimers.get(name));
    this.openTimers.delete(name);
    const i = this.state.remotes.findIndex((r) => r.username === name);
    if (i >= 0) this.state.remotes.splice(i, 1);
  }

  private dropWatcher(name: string): void {
    const p = this.peers.get(name);
    p?.answerer?.close();
    if (p) p.answerer = undefined;
    if (this.remote(name) && !p?.offerer) this.removeRemote(name);
    this.cleanup(name);
  }

  private closeOfferer(name: string): void {
    const p = this.peers.get(name);
    p?.offerer?.close();
    if (p) p.offerer = undefined;
  }

  private closePeers(name: string): void {
    const p = this.peers.get(name);
    p?.offerer?.close();
    p?.answerer?.close();
    this.peers.delete(name);
    this.removeRemote(name);
  }

  private cleanup(name: string): void {
    const p = this.peers.get(name);
    if (p && !p.offerer && !p.answerer) this.peers.delete(name);
  }

  // For /debug-webrtc and the tests' diagnostics.
  describe(): string[] {
    return [...this.peers].map(
      ([n, p]) => `${n}: offerer=${p.offerer?.connectionState ?? '-'} answerer=${p.answerer?.connectionState ?? '-'}`,
    );
  }
}
