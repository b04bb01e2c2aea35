// The call's video tiles: one per person in the call (also without a
// camera, so everyone present is named) and one per shared screen, each
// captioned with the person's name and role, a muted-microphone and a camera-off sign, a ring
// while they speak, and a button that shows the tile large (a sign-language
// interpreter needs to be seen big). Joins and leaves are announced.
import { t, tr } from "./i18n.js";
import { el } from "./ui.js";

const ICONS = {
  micOff: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M19 11h-1.7c0 .7-.2 1.4-.4 2l1.2 1.2c.6-.9.9-2 .9-3.2zm-4 .2V5a3 3 0 0 0-5.9-.8zM4.3 3 3 4.3l6 6V11a3 3 0 0 0 4.2 2.7l1.6 1.6A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 3-1l4.7 4.8L22 20.4z"/></svg>',
  camOff: '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M21 6.5 17 10V7a1 1 0 0 0-1-1H9.8L21 17.2zM3.3 2 2 3.3 4.7 6H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12l.2-.1 3.5 3.4 1.3-1.3z"/></svg>',
};

/** Audio level (0..1) above which someone counts as speaking. */
const SPEAKING = 0.02;

/** @typedef {import("./signaling.js").Participant} Participant */

/**
 * @param {HTMLElement} grid container of the tiles
 * @param {HTMLElement} events visible live region for joins and leaves
 */
export function tileGrid(grid, events) {
  /** @type {Map<string, Participant>} */ const people = new Map();
  let known = false; // the first roster is who was there already: no announcement

  /** @param {string} pid */
  const camTiles = (pid) => grid.querySelectorAll(`.tile[data-participant="${CSS.escape(pid)}"]:not([data-screen])`);

  function caption(fig) {
    const p = people.get(fig.dataset.participant);
    const name = p ? p.displayName : "";
    fig.querySelector(".tile-name").textContent = name;
    const role = fig.querySelector(".tile-role");
    if (p) tr(role, "call.role." + p.role); else role.textContent = "";
    const v = fig.querySelector("video");
    v.setAttribute("aria-label", t(fig.dataset.screen ? "call.screenOf" : "call.videoOf", { name }));
    tr(fig.querySelector(".tile-pin span"), "call.pin", { name });
    if (fig.dataset.screen) return;
    fig.querySelector("[data-mic-off]").hidden = !(p && p.audioMuted);
    // Camera off: turned off, or a stream that came without any (audio only).
    const s = /** @type {MediaStream|null} */ (v.srcObject);
    fig.querySelector("[data-cam-off]").hidden = !(p && (p.videoMuted || (s && s.getVideoTracks().length === 0)));
  }

  function pin(fig) {
    const on = fig.getAttribute("data-pinned") === null;
    for (const f of grid.querySelectorAll(".tile[data-pinned]")) {
      f.removeAttribute("data-pinned");
      f.querySelector(".tile-pin").setAttribute("aria-pressed", "false");
    }
    if (on) {
      fig.setAttribute("data-pinned", "");
      fig.querySelector(".tile-pin").setAttribute("aria-pressed", "true");
    }
  }

  /** The tile of a stream, made on first use. @param {string} id stream id @param {string} pid @param {boolean} screen */
  function tile(id, pid, screen) {
    const old = grid.querySelector(`.tile[data-stream="${CSS.escape(id)}"]`);
    if (old) return old;
    const pinBtn = el("button", { type: "button", class: "tile-pin", "aria-pressed": "false" }, el("span"));
    const fig = el("figure", { class: "tile", "data-stream": id, "data-participant": pid, "data-screen": screen ? "1" : null },
      el("video", { autoplay: true, playsinline: true }),
      el("figcaption", { class: "tile-label" },
        el("span", { class: "tile-name" }), " ", el("span", { class: "tile-role" }),
        screen ? null : el("span", { class: "tile-state", "data-mic-off": "", hidden: true }, icon("micOff"), el("span", { text: "call.micOffState" })),
        screen ? null : el("span", { class: "tile-state", "data-cam-off": "", hidden: true }, icon("camOff"), el("span", { text: "call.camOffState" })),
        screen ? null : el("span", { class: "tile-state tile-speaking", hidden: true, text: "call.speaking" })),
      pinBtn);
    pinBtn.addEventListener("click", () => pin(fig));
    grid.append(fig);
    return fig;
  }

  function announce(key, p) {
    tr(events, key, { name: p.displayName, role: t("call.role." + p.role) });
  }

  return {
    /** @param {Participant[]} list the roster without oneself */
    roster(list) {
      const next = new Map(list.map((p) => [p.participantId, p]));
      if (known) {
        for (const [id, p] of next) {
          const before = people.get(id);
          if (!before) announce("call.joinedBy", p);
          else if (before.connected && !p.connected) announce("call.lostBy", p);
          else if (!before.connected && p.connected) announce("call.backBy", p);
        }
        for (const [id, p] of people) if (!next.has(id)) announce("call.leftBy", p);
      }
      known = true;
      people.clear();
      for (const [id, p] of next) people.set(id, p);
      for (const fig of grid.querySelectorAll(".tile")) if (!people.has(fig.dataset.participant)) fig.remove();
      for (const id of people.keys()) tile(id, id, false); // a camera stream's id is its participant's
      for (const fig of grid.querySelectorAll(".tile")) caption(fig);
    },
    /** @param {{participantId:string,audio:boolean,video:boolean}} m */
    mute(m) {
      const p = people.get(m.participantId);
      if (!p) return;
      p.audioMuted = m.audio;
      p.videoMuted = m.video;
      for (const fig of camTiles(m.participantId)) caption(fig);
    },
    /** @param {MediaStream} stream @param {string} pid @param {boolean} screen */
    add(stream, pid, screen) {
      const fig = tile(stream.id, pid, screen);
      const v = /** @type {HTMLVideoElement} */ (fig.querySelector("video"));
      if (v.srcObject !== stream) v.srcObject = stream;
      caption(fig);
      return v;
    },
    /** A screen's tile goes; a camera's stays without picture while its person is there. @param {string} streamId */
    remove(streamId) {
      const fig = grid.querySelector(`.tile[data-stream="${CSS.escape(streamId)}"]`);
      if (!fig) return;
      if (fig.dataset.screen || !people.has(fig.dataset.participant)) fig.remove();
      else /** @type {HTMLVideoElement} */ (fig.querySelector("video")).srcObject = null;
    },
    clear() { grid.textContent = ""; },
    /** @param {Map<string, number>} levels participant id -> audio level */
    speaking(levels) {
      for (const fig of grid.querySelectorAll(".tile:not([data-screen])")) {
        const p = people.get(fig.dataset.participant);
        const on = (levels.get(fig.dataset.participant) || 0) > SPEAKING && !(p && p.audioMuted);
        fig.toggleAttribute("data-speaking", on);
        fig.querySelector(".tile-speaking").hidden = !on;
      }
    },
    get size() { return grid.children.length; },
    get hasScreen() { return !!grid.querySelector(".tile[data-screen]"); },
  };
}

/** @param {"micOff"|"camOff"} name */
function icon(name) {
  const s = el("span", { class: "tile-icon" });
  s.innerHTML = ICONS[name];
  return s;
}
