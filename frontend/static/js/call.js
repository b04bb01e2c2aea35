// The call view shared by citizens, guests and clerks: remote and local
// video, mute, camera, screen share, chat, leave, connection quality and a
// reconnect banner. It renders what a RoomClient reports.
import { t, tr } from "./i18n.js";
import { qualityLevel } from "./signaling.js";
import { el } from "./ui.js";

const ICONS = {
  mic: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z"/></svg>',
  cam: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M4 6h11a1 1 0 0 1 1 1v3.5l4-3v9l-4-3V17a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z"/></svg>',
  screen: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M3 4h18v12H3zm2 2v8h14V6zM8 19h8v2H8z"/></svg>',
  leave: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M12 9c-1.6 0-3.2.3-4.6.8v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.7 1.8-.2.2-.4.3-.7.3s-.5-.1-.7-.3L.3 13.2a1 1 0 0 1 0-1.4A16.9 16.9 0 0 1 12 7c4.6 0 8.7 1.8 11.7 4.8.4.4.4 1 0 1.4l-2.4 2.4c-.2.2-.4.3-.7.3s-.5-.1-.7-.3c-.8-.7-1.7-1.3-2.7-1.8-.3-.2-.6-.5-.6-.9V9.8C15.2 9.3 13.6 9 12 9z"/></svg>',
};

function iconButton(id, icon, key, pressed) {
  const b = el("button", { type: "button", id, "aria-pressed": pressed === undefined ? null : String(pressed) });
  b.innerHTML = ICONS[icon];
  b.append(el("span", { text: key }));
  return b;
}

/**
 * @param {HTMLElement} root
 * @param {import("./signaling.js").RoomClient} room
 * @param {object} opts
 * @param {MediaStream|null} opts.stream local stream for the self view
 * @param {string} opts.leaveKey catalog key of the leave button
 * @param {() => void} opts.onLeave
 */
export function mountCall(root, room, opts) {
  root.textContent = "";
  /** @type {Map<string,string>} participant id -> display name */
  const names = new Map();
  const banner = el("p", { class: "banner", id: "reconnect-banner", role: "alert", hidden: true });
  const quality = el("p", { class: "quality", id: "quality", "data-level": "unknown", text: "call.qualityUnknown" });
  const remotes = el("div", { class: "remote-grid", id: "remotes" });
  const empty = el("p", { id: "remote-empty", class: "muted", text: "call.nobody" });
  const local = el("video", { class: "local", id: "local-video", autoplay: true, muted: true, playsinline: true, label: "call.selfView" });
  local.muted = true;
  if (opts.stream) local.srcObject = opts.stream;
  const stage = el("div", { class: "stage" }, remotes, empty, local);
  const mic = iconButton("btn-mic", "mic", "call.mute", false);
  const cam = iconButton("btn-cam", "cam", "call.cameraOff", false);
  const screen = iconButton("btn-screen", "screen", "call.share", false);
  const leave = iconButton("btn-leave", "leave", opts.leaveKey);
  leave.classList.add("danger", "primary");
  const toolbar = el("div", { class: "toolbar", role: "toolbar", label: "call.controls" }, mic, cam, screen, leave);
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) screen.hidden = true;

  const log = el("div", { class: "chat-log", id: "chat-log", role: "log", "aria-live": "polite", tabindex: "0", label: "call.chatLog" });
  const input = el("input", { id: "chat-input", name: "chat", autocomplete: "off", maxlength: "2000" });
  const chatForm = el("form", { class: "chat-form", id: "chat-form" },
    el("div", { class: "field" }, el("label", { for: "chat-input", text: "call.chatLabel" }), input),
    el("button", { type: "submit", id: "chat-send", text: "call.send" }));
  const chat = el("section", { class: "panel", id: "chat", "aria-labelledby": "chat-h" }, el("h2", { id: "chat-h", text: "call.chat" }), log, chatForm);
  root.append(banner, quality, stage, toolbar, chat);

  mic.addEventListener("click", () => {
    const muted = mic.getAttribute("aria-pressed") !== "true";
    room.setAudioMuted(muted);
    mic.setAttribute("aria-pressed", String(muted));
    tr(mic.querySelector("span"), muted ? "call.unmute" : "call.mute");
  });
  cam.addEventListener("click", () => {
    const off = cam.getAttribute("aria-pressed") !== "true";
    room.setVideoMuted(off);
    cam.setAttribute("aria-pressed", String(off));
    tr(cam.querySelector("span"), off ? "call.cameraOn" : "call.cameraOff");
  });
  screen.addEventListener("click", async () => {
    if (room.screen) {
      room.stopScreen();
    } else {
      try {
        const s = await navigator.mediaDevices.getDisplayMedia({ video: true });
        s.getVideoTracks()[0].addEventListener("ended", () => { room.stopScreen(); syncScreen(); });
        room.startScreen(s);
      } catch { /* the user declined */ }
    }
    syncScreen();
  });
  function syncScreen() {
    screen.setAttribute("aria-pressed", String(!!room.screen));
    tr(screen.querySelector("span"), room.screen ? "call.stopShare" : "call.share");
  }
  leave.addEventListener("click", () => opts.onLeave());
  chatForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    room.chat(text);
    input.value = "";
  });

  room.on("participants", (list) => { for (const p of list) names.set(p.participantId, p.displayName); relabel(); });
  room.on("chat", (m) => {
    const who = m.self ? t("call.me") : names.get(m.from) || m.from;
    log.append(el("p", {}, el("strong", {}, who + ": "), m.text));
    log.scrollTop = log.scrollHeight;
  });
  room.on("track", ({ stream, participantId, screen: isScreen }) => {
    let v = /** @type {HTMLVideoElement} */ (remotes.querySelector(`video[data-stream="${CSS.escape(stream.id)}"]`));
    if (!v) {
      v = el("video", { autoplay: true, playsinline: true, "data-stream": stream.id, "data-participant": participantId, "data-screen": isScreen ? "1" : null });
      remotes.append(v);
      watchFirstFrame(v);
    }
    if (v.srcObject !== stream) v.srcObject = stream;
    empty.hidden = true;
    relabel();
  });
  room.on("trackgone", (id) => {
    const v = remotes.querySelector(`video[data-stream="${CSS.escape(id)}"]`);
    if (v) v.remove();
    empty.hidden = remotes.children.length > 0;
  });
  room.on("state", (s) => {
    banner.hidden = s !== "reconnecting";
    if (s === "reconnecting") {
      tr(banner, "call.reconnecting");
      remotes.textContent = ""; // the new connection brings the tracks again
      empty.hidden = false;
    }
  });
  const offline = () => { banner.hidden = false; tr(banner, "call.offline"); };
  window.addEventListener("offline", offline);
  window.addEventListener("online", () => { if (room.state !== "reconnecting") banner.hidden = true; });

  function relabel() {
    for (const v of remotes.querySelectorAll("video")) {
      const name = names.get(v.dataset.participant) || "";
      v.setAttribute("aria-label", t(v.dataset.screen ? "call.screenOf" : "call.videoOf", { name }));
    }
  }

  const timer = setInterval(async () => {
    if (room.state === "ended") { clearInterval(timer); return; }
    const q = await room.quality().catch(() => null);
    const level = room.state === "admitted" ? qualityLevel(q) : "unknown";
    if (quality.dataset.level !== level) {
      quality.dataset.level = level;
      tr(quality, "call.quality." + level);
    }
  }, 2000);
  return { stop: () => clearInterval(timer) };
}

/** Notes when the first remote frame is decoded (the join-time figure). */
function watchFirstFrame(v) {
  const mark = () => {
    const dbg = (window.sprechstunde ||= {});
    dbg.firstFrameAt ||= Date.now();
  };
  v.addEventListener("loadeddata", mark, { once: true });
  if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(mark);
}
