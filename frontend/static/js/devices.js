// Device check before the waiting room: camera preview, microphone level,
// speaker test tone, device choice and a connection check against the
// server. Works without any device too (then the citizen joins listening).
import { tr } from "./i18n.js";
import { $, el } from "./ui.js";

/** Small video keeps two-core machines and weak phones comfortable. */
export const VIDEO = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } };

export class DeviceCheck {
  constructor() {
    /** @type {MediaStream|null} */ this.stream = null;
    /** @type {AudioContext|null} */ this.audio = null;
    this.meterTimer = 0;
    this.sinkId = "";
  }

  async start() {
    $("sel-cam").addEventListener("change", () => this.open());
    $("sel-mic").addEventListener("change", () => this.open());
    $("sel-spk").addEventListener("change", (e) => { this.sinkId = e.target.value; });
    $("spk-test").addEventListener("click", () => this.beep());
    await this.open();
    this.checkConnection();
  }

  async open() {
    this.stopTracks();
    const cam = $("sel-cam").value, mic = $("sel-mic").value;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: mic ? { deviceId: { exact: mic } } : true,
        video: cam ? { ...VIDEO, deviceId: { exact: cam } } : VIDEO,
      });
      $("preview").srcObject = this.stream;
      tr($("cam-status"), "join.camOk");
    } catch (e) {
      this.stream = null;
      tr($("cam-status"), "join.camFailed");
    }
    await this.listDevices();
    this.meter();
  }

  async listDevices() {
    const list = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const fill = (sel, kind, current) => {
      const keep = sel.value || current;
      sel.textContent = "";
      let i = 0;
      for (const d of list.filter((x) => x.kind === kind)) {
        i++;
        sel.append(el("option", { value: d.deviceId }, d.label || `${kind} ${i}`));
      }
      if (keep) sel.value = keep;
    };
    const track = (k) => this.stream && this.stream.getTracks().find((t) => t.kind === k);
    fill($("sel-cam"), "videoinput", track("video") && track("video").getSettings().deviceId);
    fill($("sel-mic"), "audioinput", track("audio") && track("audio").getSettings().deviceId);
    if ("setSinkId" in HTMLMediaElement.prototype) {
      fill($("sel-spk"), "audiooutput", this.sinkId);
      $("spk-field").hidden = $("sel-spk").options.length === 0;
    }
  }

  meter() {
    clearInterval(this.meterTimer);
    if (!this.stream || !this.stream.getAudioTracks().length) return;
    this.audio ||= new AudioContext();
    const src = this.audio.createMediaStreamSource(this.stream);
    const an = this.audio.createAnalyser();
    an.fftSize = 512;
    src.connect(an);
    const buf = new Uint8Array(an.fftSize);
    const m = $("mic-level");
    this.meterTimer = setInterval(() => {
      an.getByteTimeDomainData(buf);
      let peak = 0;
      for (const v of buf) peak = Math.max(peak, Math.abs(v - 128));
      m.value = Math.min(100, Math.round((peak / 128) * 200));
    }, 100);
  }

  /** A short tone through the chosen speaker. */
  async beep() {
    const ctx = new AudioContext();
    const dest = ctx.createMediaStreamDestination();
    const osc = ctx.createOscillator();
    osc.frequency.value = 660;
    const gain = ctx.createGain();
    gain.gain.value = 0.2;
    osc.connect(gain).connect(dest);
    const a = new Audio();
    a.srcObject = dest.stream;
    if (this.sinkId && a.setSinkId) await a.setSinkId(this.sinkId).catch(() => {});
    osc.start();
    await a.play().catch(() => {});
    setTimeout(() => { osc.stop(); a.pause(); ctx.close(); }, 800);
    tr($("spk-status"), "join.spkPlayed");
  }

  /** Round trip to the server and WebRTC support. */
  async checkConnection() {
    const out = $("conn-status");
    if (typeof RTCPeerConnection === "undefined" || typeof WebSocket === "undefined") { tr(out, "join.connNoWebRTC"); return; }
    const t0 = performance.now();
    try {
      const r = await fetch("/healthz", { cache: "no-store" });
      const ms = Math.round(performance.now() - t0);
      tr(out, r.ok ? (ms < 400 ? "join.connGood" : "join.connSlow") : "join.connFailed", { ms });
      out.dataset.ok = r.ok ? "1" : "0";
    } catch {
      tr(out, "join.connFailed");
    }
  }

  stopTracks() {
    clearInterval(this.meterTimer);
    if (this.stream) for (const t of this.stream.getTracks()) t.stop();
  }

  /** Hands the stream over to the call; the meter stops. */
  take() {
    clearInterval(this.meterTimer);
    if (this.audio) { this.audio.close(); this.audio = null; }
    const s = this.stream;
    this.stream = null;
    return s;
  }
}
