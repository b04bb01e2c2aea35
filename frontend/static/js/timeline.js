// The case timeline in plain language: what happened to the appointment
// and the conversation, newest first; the room's technical steps (who
// entered the waiting room, was admitted, left) fold into a disclosure.
// Event details are the server's codes ("citizen", "closed_by_clerk",
// "12m3s"); they become catalog texts here and are never shown raw.
import { t } from "./i18n.js";
import { el } from "./ui.js";

/** Events that are technical steps of the room, shown only on request. */
const TECHNICAL = new Set(["room_joined", "room_admitted", "room_left", "room_removed", "room_closed", "note_added"]);
const ROLES = new Set(["citizen", "clerk", "guest"]);

/**
 * Splits a room event's detail "<role> <reason or duration>" into its parts.
 * @param {string} detail
 */
function parts(detail) {
  const words = (detail || "").trim().split(/\s+/).filter(Boolean);
  const role = ROLES.has(words[0]) ? words.shift() : "";
  return { role, rest: words.join(" ") };
}

/** Seconds of a Go duration such as "1h2m3.5s"; NaN for anything else. */
export function goSeconds(s) {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(s || "");
  if (!m || !s) return NaN;
  return (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0));
}

/** Catalog key and variables of a call that lasted sec seconds. */
function callEnded(sec) {
  if (sec < 60) return { key: "timeline.callEnded.s", vars: { n: Math.round(sec) } };
  const min = Math.round(sec / 60);
  if (min < 60) return { key: "timeline.callEnded.m", vars: { n: min } };
  return { key: "timeline.callEnded.h", vars: { h: Math.floor(min / 60), m: min % 60 } };
}

/**
 * The catalog key and variables of one event's sentence.
 * @param {{type:string,detail?:string}} ev
 * @returns {{key:string,vars?:Record<string,any>}}
 */
export function sentence(ev) {
  const detail = ev.detail || "";
  const { role, rest } = parts(detail);
  switch (ev.type) {
    case "status_changed": {
      const [status, auto] = detail.split(" ");
      return { key: `timeline.status.${status || "other"}${auto ? ".auto" : ""}` };
    }
    case "cancelled": case "rebooked":
      return { key: `timeline.${ev.type}${detail.includes("citizen") ? ".citizen" : ""}` };
    case "call_ended": {
      const sec = goSeconds(rest);
      return Number.isNaN(sec) ? { key: "timeline.callEnded.restart" } : callEnded(sec);
    }
    case "room_closed":
      return { key: "timeline.room_closed." + (rest || "other") };
    case "room_removed": case "room_left": case "room_joined": case "room_admitted":
      return { key: `timeline.${ev.type}.${role || "other"}` };
    default:
      return { key: "timeline." + ev.type };
  }
}

/** Builds the list item of one event. */
function eventItem(ev) {
  const s = sentence(ev);
  if (t(s.key) === s.key) s.key = "timeline.unknown"; // a newer server's event: no code on screen
  return el("li", { "data-event": ev.type }, el("strong", { text: "console.eventAt", vars: { atDay: ev.at, atTime: ev.at } }), " ",
    el("span", { text: s.key, vars: s.vars }));
}

/**
 * Renders the case's notes and events into ol (newest first) and the
 * technical steps into a disclosure after it.
 * @param {HTMLOListElement} ol
 * @param {{notes:any[],events:any[]}} kase
 */
export function renderTimeline(ol, kase) {
  // The API lists events by time and then by their order of recording;
  // the index keeps that order for events within the same second.
  const entries = [
    ...kase.events.map((ev, i) => ({ at: Date.parse(ev.at), seq: i, ev })),
    ...kase.notes.map((n, i) => ({ at: Date.parse(n.created_at), seq: kase.events.length + i, note: n })),
  ].sort((a, b) => (b.at - a.at) || (b.seq - a.seq));
  const main = [], technical = [];
  for (const e of entries) {
    if (e.note) {
      main.push(el("li", { class: "note" }, el("strong", { text: e.note.author_name ? "console.noteBy" : "console.noteAt", vars: { atDay: e.note.created_at, atTime: e.note.created_at, author: e.note.author_name || "" } }), " ", e.note.text));
    } else {
      (TECHNICAL.has(e.ev.type) ? technical : main).push(eventItem(e.ev));
    }
  }
  ol.replaceChildren(...main);
  let box = document.getElementById("timeline-details");
  if (!box) {
    box = el("details", { id: "timeline-details", class: "timeline-details" },
      el("summary", { text: "timeline.details" }), el("ol", { class: "timeline" }));
    ol.after(box);
  }
  box.hidden = technical.length === 0;
  box.querySelector("ol").replaceChildren(...technical);
}
