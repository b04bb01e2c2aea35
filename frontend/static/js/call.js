// The call view shared by citizens, guests and clerks: remote tiles (see
// tiles.js) and the self view, mute, camera, screen share, fullscreen,
// chat, leave, connection quality and a reconnect banner. It renders what a
// RoomClient reports. Toggle buttons say their state and what a press does.
import { t, tr } from "./i18n.js";
import { qualityLevel } from "./signaling.js";
import { tileGrid } from "./tiles.js";
import { el } from "./ui.js";

/** How often the speaking ring follows the audio levels. */
const SPEAKING_MS = 400;

const ICONS = {
  mic: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z"/></svg>',
  cam: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M4 6h11a1 1 0 0 1 1 1v3.5l4-3v9l-4-3V17a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z"/></svg>',
  screen: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M3 4h18v12H3zm2 2v8h14V6zM8 19h8v2H8z"/></svg>',
  full: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M3 3h7v2H5v5H3zm11 0h7v7h-2V5h-5zM3 14h2v5h5v2H3zm16 0h2v7h-7v-2h5z"/></svg>',
  leave: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M12 9c-1.6 0-3.2.3-4.6.8v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.7 1.8-.2.2-.4.3-.7.3s-.5-.1-.7-.3L.3 13.2a1 1 0 0 1 0-1.4A16.9 16.9 0 0 1 12 7c4.6 0 8.7 1.8 11.7 4.8.4.4.4 1 0 1.4l-2.4 2.4c-.2.2-.4.3-.7.3s-.5-.1-.7-.3c-.8-.7-1.7-1.3-2.7-1.8-.3-.2-.6-.5-.6-.9V9.8C15.2 9.3 13.6 9 12 9z"/></svg>',
};

function iconButton(id, icon, key, pressed) {
  const b = el("button", { type: "button", id, "aria-pressed": pressed === undefined ? null : String(pressed) });
  b.innerHTML = ICONS[icon];
  b.append(el("span", { text: key }));
  return b;
}

/** Sets a toggle's pressed state and its "state – action" label. */
function setToggle(b, pressed, onKey, offKey) {
  b.setAttribute("aria-pressed", String(pressed));
  tr(b.querySelector("span"), pressed ? onKey : offKey);
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
  const events = el("p", { class: "call-events", id: "call-events", role: "status", "aria-live": "polite" });
  const banner = el("p", { class: "banner", id: "reconnect-banner", role: "alert", hidden: true });
  const quality = el("p", { class: "quality", id: "quality", "data-level": "unknown", text: "call.qualityUnknown" });
  const remotes = el("div", { class: "remote-grid", id: "remotes" });
  const empty = el("p", { id: "remote-empty", class: "muted", text: "call.nobody" });
  const local = el("video", { class: "local", id: "local-video", autoplay: true, muted: true, playsinline: true, label: "call.selfView" });
  local.muted = true;
  if (opts.stream) local.srcObject = opts.stream;
  const tiles = tileGrid(remotes, events);
  const stage = el("div", { class: "stage", id: "stage" }, remotes, empty, local);
  const mic = iconButton("btn-mic", "mic", "call.micIsOn", false);
  const cam = iconButton("btn-cam", "cam", "call.camIsOn", false);
  const screen = iconButton("btn-screen", "screen", "call.share", false);
  const full = iconButton("btn-full", "full", "call.fullscreenOff", false);
  const leave = iconButton("btn-leave", "leave", opts.leaveKey);
  leave.classList.add("danger", "primary");
  const toolbar = el("div", { class: "toolbar", role: "toolbar", label: "call.controls" }, mic, cam, screen, full, leave);
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) screen.hidden = true;
  if (!document.fullscreenEnabled) full.hidden = true;

  const log = el("div", { class: "chat-log", id: "chat-log", role: "log", "aria-live": "polite", tabindex: "0", label: "call.chatLog" });
  const input = el("input", { id: "chat-input", name: "chat", autocomplete: "off", maxlength: "2000" });
  const chatForm = el("form", { class: "chat-form", id: "chat-form" },
    el("div", { class: "field" }, el("label", { for: "chat-input", text: "call.chatLabel" }), input),
    el("button", { type: "submit", id: "chat-send", text: "call.send" }));
  const chat = el("section", { class: "panel", id: "chat", "aria-labelledby": "chat-h" }, el("h2", { id: "chat-h", text: "call.chat" }), log, chatForm);
  // Fullscreen takes the stage with its controls, so they stay in reach.
  const view = el("div", { class: "call-view", id: "call-view" }, stage, toolbar);
  root.append(banner, quality, events, view, chat);

  mic.addEventListener("click", () => {
    const muted = mic.getAttribute("aria-pressed") !== "true";
    room.setAudioMuted(muted);
    setToggle(mic, muted, "call.micIsOff", "call.micIsOn");
  });
  cam.addEventListener("click", () => {
    const off = cam.getAttribute("aria-pressed") !== "true";
    room.setVideoMuted(off);
    setToggle(cam, off, "call.camIsOff", "call.camIsOn");
  });
  full.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else view.requestFullscreen().catch(() => {});
  });
  const onFull = () => setToggle(full, document.fullscreenElement === view, "call.fullscreenOn", "call.fullscreenOff");
  document.addEventListener("fullscreenchange", onFull);
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
    setToggle(screen, !!room.screen, "call.stopShare", "call.share");
  }
  leave.addEventListener("click", () => opts.onLeave());
  chatForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    room.chat(text);
    input.value = "";
  });

  room.on("participants", (list) => {
    for (const p of list) names.set(p.participantId, p.displayName);
    tiles.roster(list.filter((p) => p.participantId !== room.participantId));
    layout();
  });
  room.on("mute", (m) => tiles.mute(m));
  room.on("chat", (m) => {
    const who = m.self ? t("call.me") : names.get(m.from) || m.from;
    log.append(el("p", {}, el("strong", {}, who + ": "), m.text));
    log.scrollTop = log.scrollHeight;
  });
  // The self view moves out of the way of a shared screen, and sits below
  // the text while nobody else is there (it would cover what is above).
  const layout = () => {
    empty.hidden = tiles.size > 0;
    stage.toggleAttribute("data-alone", tiles.size === 0);
    stage.toggleAttribute("data-screen", tiles.hasScreen);
  };
  layout();
  room.on("track", ({ stream, participantId, screen: isScreen }) => {
    const v = tiles.add(stream, participantId, isScreen);
    if (!v.dataset.watched) { v.dataset.watched = "1"; watchFirstFrame(v); }
    layout();
  });
  room.on("trackgone", (id) => { tiles.remove(id); layout(); });
  room.on("state", (s) => {
    banner.hidden = s !== "reconnecting";
    if (s === "reconnecting") {
      tr(banner, "call.reconnecting");
      tiles.clear(); // the new connection brings the tracks again
      layout();
    }
  });
  const offline = () => { banner.hidden = false; tr(banner, "call.offline"); };
  window.addEventListener("offline", offline);
  window.addEventListener("online", () => { if (room.state !== "reconnecting") banner.hidden = true; });

  const levels = setInterval(async () => {
    if (room.state !== "admitted") return;
    tiles.speaking(await room.audioLevels().catch(() => new Map()));
  }, SPEAKING_MS);

  const timer = setInterval(async () => {
    if (room.state === "ended") { clearInterval(timer); return; }
    const q = await room.quality().catch(() => null);
    const level = room.state === "admitted" ? qualityLevel(q) : "unknown";
    if (quality.dataset.level !== level) {
      quality.dataset.level = level;
      tr(quality, "call.quality." + level);
    }
  }, 2000);
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(levels);
      document.removeEventListener("fullscreenchange", onFull);
    },
  };
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
