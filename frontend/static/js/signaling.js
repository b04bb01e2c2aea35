// Client of the media server's signaling protocol (docs/signaling.md).
// DOM-free: it uses WebSocket and RTCPeerConnection only and reports
// through callbacks; page controllers render. The SFU is the impolite peer
// of perfect negotiation, this client the polite one.

/** @typedef {{participantId:string,displayName:string,role:string,since:string,secondDevice?:boolean}} Waiting */
/** @typedef {{participantId:string,displayName:string,role:string,connected:boolean,audioMuted:boolean,videoMuted:boolean}} Participant */
/** @typedef {{framesDecoded:number,frameWidth:number,rtt:number,lossRate:number}} Quality */

/** Errors after which the server closes and reconnecting is pointless. */
const FINAL_ERRORS = new Set(["unauthorized", "too_early", "expired", "room_full", "replaced"]);

/** Longest pause between reconnect attempts: a restarting server is back
 * within seconds, and the room session lets the page straight back in. */
const MAX_RETRY_MS = 3000;

export class RoomClient {
  /**
   * @param {object} opts
   * @param {string} opts.wsPath path of the websocket, e.g. /api/v1/rooms/ws
   * @param {() => Promise<string>} opts.getTicket fetches a fresh one-time ticket
   * @param {MediaStream} [opts.stream] local microphone and camera
   */
  constructor(opts) {
    this.opts = opts;
    /** @type {WebSocket|null} */ this.ws = null;
    /** @type {RTCPeerConnection|null} */ this.pc = null;
    this.stream = opts.stream || null;
    /** @type {MediaStream|null} */ this.screen = null;
    /** @type {Record<string,string>} track id -> source */ this.sources = {};
    /** @type {Record<string,string>} remote track id -> participant id */ this.owners = {};
    this.clerkPresent = false;
    /** @type {"idle"|"connecting"|"waiting"|"admitted"|"reconnecting"|"ended"} */ this.state = "idle";
    this.participantId = "";
    this.final = false;
    this.retries = 0;
    this.audioMuted = false;
    this.videoMuted = false;
    /** @type {Record<string, Function[]>} */ this.handlers = {};
    this.lastStats = { lost: 0, received: 0 };
  }

  /**
   * Events: state(state), waiting(list), participants(list), chat(msg),
   * track({stream, participantId, screen}), trackgone(streamId), mute(m),
   * ended(reason), error(code), connection(pcState); while waiting:
   * clerk(present), note({text, preset, sentAt}) (a clerk's message).
   * @param {string} type @param {Function} fn
   */
  on(type, fn) { (this.handlers[type] ||= []).push(fn); return this; }
  /** @param {string} type @param {any} [v] */
  emit(type, v) { for (const fn of this.handlers[type] || []) { try { fn(v); } catch (e) { console.error(e); } } }

  /** @param {string} s */
  setState(s) { this.state = s; this.emit("state", s); }

  async connect() {
    if (this.final) return;
    this.setState(this.retries ? "reconnecting" : "connecting");
    let ticket;
    try {
      ticket = await this.opts.getTicket();
    } catch (e) {
      const code = e && e.code ? e.code : "network";
      if (e && e.status >= 400 && e.status < 500) { this.end(code); return; }
      this.scheduleReconnect();
      return;
    }
    const url = new URL(this.opts.wsPath, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    this.ws = ws;
    // One chain per connection: an operation on a PeerConnection closed in
    // the middle of it never settles, and must not hold up the next
    // connection's messages.
    let chain = Promise.resolve();
    ws.onopen = () => this.send({ type: "join", credential: ticket });
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      // Strictly in order: a candidate must not overtake its description.
      chain = chain.then(() => (!this.ws || this.ws === ws ? this.handle(m) : undefined)).catch((e) => this.emit("error", String(e)));
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.final) this.scheduleReconnect();
    };
  }

  scheduleReconnect() {
    this.closePC();
    this.setState("reconnecting");
    const delay = Math.min(MAX_RETRY_MS, 500 * 2 ** this.retries++);
    setTimeout(() => this.connect(), delay);
  }

  /** @param {object} m */
  send(m) { if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m)); }

  /** @param {any} m */
  async handle(m) {
    switch (m.type) {
    case "joined":
      this.participantId = m.participantId;
      this.retries = 0;
      this.setState(m.status === "admitted" ? "admitted" : "waiting");
      break;
    case "admitted":
      this.setupPC(m.iceServers || []);
      this.setState("admitted");
      break;
    case "waiting_list": this.emit("waiting", m.waiting || []); break;
    case "participants": this.emit("participants", m.participants || []); break;
    case "offer": case "answer": await this.onDescription(m); break;
    case "candidate":
      if (this.pc) { try { await this.pc.addIceCandidate(m.candidate); } catch { /* stale after rollback */ } }
      break;
    case "chat": this.emit("chat", { text: m.text, from: m.from, sentAt: m.sentAt, self: m.from === this.participantId }); break;
    case "mute": this.emit("mute", m); break;
    case "waiting_status": this.clerkPresent = !!m.clerkPresent; this.emit("clerk", this.clerkPresent); break;
    case "waiting_message": this.emit("note", { text: m.text, preset: m.preset || "", sentAt: m.sentAt }); break;
    case "ice_servers": if (this.pc) this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: m.iceServers }); break;
    case "removed": this.end(m.reason || "removed_by_clerk"); break;
    // A server shutting down (a restart, an update) closes the room in
    // this process only: come back, admitted as before.
    case "room_closed": if (m.reason !== "shutting_down") this.end(m.reason || "closed_by_clerk"); break;
    case "error":
      if (FINAL_ERRORS.has(m.code)) this.end(m.code);
      else this.emit("error", m.code);
      break;
    }
  }

  /** @param {RTCIceServer[]} iceServers */
  setupPC(iceServers) {
    this.closePC();
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle" });
    this.pc = pc;
    pc.onicecandidate = (e) => { if (e.candidate) this.send({ type: "candidate", candidate: e.candidate.toJSON() }); };
    pc.onnegotiationneeded = async () => {
      try {
        await pc.setLocalDescription();
        this.send({ type: "offer", sdp: pc.localDescription.sdp, sources: this.sources });
      } catch (e) {
        this.emit("error", String(e));
      }
    };
    pc.ontrack = (e) => {
      const stream = e.streams[0] || new MediaStream([e.track]);
      const screen = stream.id.endsWith("~screen");
      const participantId = screen ? stream.id.slice(0, -7) : stream.id;
      this.owners[e.track.id] = participantId;
      this.emit("track", { stream, participantId, screen });
      stream.onremovetrack = () => { if (stream.getTracks().length === 0) this.emit("trackgone", stream.id); };
    };
    pc.onconnectionstatechange = () => {
      this.emit("connection", pc.connectionState);
      if (pc.connectionState === "failed") pc.restartIce();
    };
    if (this.stream) {
      for (const t of this.stream.getTracks()) {
        this.sources[t.id] = t.kind === "audio" ? "microphone" : "camera";
        pc.addTrack(t, this.stream);
      }
    }
    if (this.screen) this.addScreenTracks();
  }

  /** @param {any} m */
  async onDescription(m) {
    if (!this.pc) return;
    // Polite: an incoming offer during our own rolls ours back implicitly.
    await this.pc.setRemoteDescription({ type: m.type, sdp: m.sdp });
    if (m.type === "offer") {
      await this.pc.setLocalDescription();
      this.send({ type: "answer", sdp: this.pc.localDescription.sdp });
    }
  }

  closePC() {
    if (this.pc) { this.pc.close(); this.pc = null; }
  }

  /** @param {string} reason */
  end(reason) {
    if (this.final) return;
    this.final = true;
    this.closePC();
    if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); }
    this.setState("ended");
    this.emit("ended", reason);
  }

  // Actions
  /** @param {string} participantId */ admit(participantId) { this.send({ type: "admit", participantId }); }
  /** @param {string} participantId @param {boolean} [secondDevice] only the waiting second device */
  remove(participantId, secondDevice) { this.send({ type: "remove", participantId, ...(secondDevice ? { secondDevice: true } : {}) }); }
  closeRoom() { this.send({ type: "close_room" }); }
  /** @param {string} text */ chat(text) { this.send({ type: "chat", text }); }
  /** A clerk's short note to a waiting participant; preset names a preset
   * sentence the participant's page shows in its own language.
   * @param {string} participantId @param {string} text @param {string} [preset] */
  waitingMessage(participantId, text, preset) { this.send({ type: "waiting_message", participantId, text, ...(preset ? { preset } : {}) }); }
  leave() { this.send({ type: "leave" }); this.end("left"); }

  /** @param {boolean} muted */
  setAudioMuted(muted) {
    this.audioMuted = muted;
    if (this.stream) for (const t of this.stream.getAudioTracks()) t.enabled = !muted;
    this.send({ type: "mute", audio: this.audioMuted, video: this.videoMuted });
  }

  /** @param {boolean} muted */
  setVideoMuted(muted) {
    this.videoMuted = muted;
    if (this.stream) for (const t of this.stream.getVideoTracks()) t.enabled = !muted;
    this.send({ type: "mute", audio: this.audioMuted, video: this.videoMuted });
  }

  /** Replaces the microphone or camera track, e.g. after a device change. @param {MediaStreamTrack} track */
  async replaceTrack(track) {
    if (!this.stream) return;
    for (const old of this.stream.getTracks().filter((t) => t.kind === track.kind)) {
      this.stream.removeTrack(old);
      old.stop();
    }
    this.stream.addTrack(track);
    this.sources[track.id] = track.kind === "audio" ? "microphone" : "camera";
    const sender = this.pc && this.pc.getSenders().find((s) => s.track && s.track.kind === track.kind && this.sources[s.track.id] !== "screen");
    if (sender) await sender.replaceTrack(track);
  }

  /** @param {MediaStream} screen from getDisplayMedia */
  startScreen(screen) {
    this.screen = screen;
    if (this.pc) this.addScreenTracks();
  }

  addScreenTracks() {
    for (const t of this.screen.getVideoTracks()) {
      this.sources[t.id] = "screen";
      this.pc.addTrack(t, this.screen);
    }
  }

  stopScreen() {
    if (!this.screen) return;
    for (const t of this.screen.getTracks()) {
      t.stop();
      delete this.sources[t.id];
      const s = this.pc && this.pc.getSenders().find((x) => x.track === t);
      if (s) this.pc.removeTrack(s);
    }
    this.screen = null;
  }

  /**
   * The current audio level (0..1) of each remote participant, from the
   * audio receivers' inbound-rtp stats (decoded here: the SFU does not
   * forward the audio-level header extension).
   * @returns {Promise<Map<string, number>>}
   */
  async audioLevels() {
    const out = new Map();
    if (!this.pc) return out;
    for (const r of this.pc.getReceivers()) {
      const pid = r.track && r.track.kind === "audio" ? this.owners[r.track.id] : "";
      if (!pid) continue;
      (await r.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && typeof s.audioLevel === "number") out.set(pid, Math.max(out.get(pid) || 0, s.audioLevel));
      });
    }
    return out;
  }

  /** @returns {Promise<Quality|null>} inbound video and path quality since the last call */
  async quality() {
    if (!this.pc) return null;
    const stats = await this.pc.getStats();
    const q = { framesDecoded: 0, frameWidth: 0, rtt: 0, lossRate: 0 };
    let lost = 0, received = 0;
    stats.forEach((s) => {
      if (s.type === "inbound-rtp") {
        lost += s.packetsLost || 0;
        received += s.packetsReceived || 0;
        if (s.kind === "video" && (s.framesDecoded || 0) >= q.framesDecoded) {
          q.framesDecoded = s.framesDecoded || 0;
          q.frameWidth = s.frameWidth || 0;
        }
      }
      if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) q.rtt = s.currentRoundTripTime;
    });
    const dl = lost - this.lastStats.lost, dr = received - this.lastStats.received;
    q.lossRate = dl + dr > 0 ? Math.max(0, dl) / (dl + dr) : 0;
    this.lastStats = { lost, received };
    return q;
  }
}

/**
 * @param {Quality|null} q
 * @returns {"good"|"fair"|"poor"|"unknown"}
 */
export function qualityLevel(q) {
  if (!q) return "unknown";
  if (q.lossRate > 0.08 || q.rtt > 0.6) return "poor";
  if (q.lossRate > 0.02 || q.rtt > 0.3) return "fair";
  return "good";
}
