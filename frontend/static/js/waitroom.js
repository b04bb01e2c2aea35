// The waiting room around a RoomClient: the person's own picture, whether
// the clerk is in the call yet, and the clerk's short notes ("I will be
// with you in 5 minutes"), read out by screen readers as they come. A
// preset note is shown in the page's language, whatever the clerk's.
import { onLangChange, t, tr } from "./i18n.js";
import { el } from "./ui.js";

/**
 * @param {HTMLElement} after the element the waiting room's parts follow
 * @param {import("./signaling.js").RoomClient} room
 * @param {MediaStream|null} stream
 */
export function mountWaitingRoom(after, room, stream) {
  const presence = el("p", { class: "clerk-presence", id: "clerk-presence", role: "status", "data-present": "0", text: "join.clerkAbsent" });
  const note = el("p", { class: "wait-note", id: "wait-note", role: "status", "aria-live": "polite" });
  const parts = [presence, note];
  if (stream && stream.getVideoTracks().length) {
    const self = el("video", { class: "wait-self", id: "wait-self", autoplay: true, muted: true, playsinline: true, label: "call.selfView" });
    self.muted = true;
    self.srcObject = stream;
    parts.push(self);
  }
  after.after(...parts);
  room.on("clerk", (present) => {
    presence.dataset.present = present ? "1" : "0";
    tr(presence, present ? "join.clerkPresent" : "join.clerkAbsent");
  });
  /** @type {{text:string, preset:string, sentAt:string}|null} */
  let last = null;
  const show = () => {
    if (!last) return;
    const key = "join.notePreset." + last.preset;
    const text = last.preset && t(key) !== key ? t(key) : last.text;
    tr(note, "join.clerkNote", { text, atTime: last.sentAt });
    note.dataset.preset = last.preset;
  };
  room.on("note", (m) => { last = m; show(); });
  onLangChange(show);
}
