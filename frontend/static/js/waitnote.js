// The clerk's short notes to someone waiting: preset sentences and free
// text, one form per waiting participant. Forms outlive re-renders of the
// waiting list, so a half-typed note is not lost when someone else arrives.
import { t, tr } from "./i18n.js";
import { el } from "./ui.js";

/** The protocol's limit (docs/signaling.md, waiting_message), in bytes. */
const MAX_BYTES = 500;
/** Preset sentences: the protocol's preset name (the citizen's page shows
 * join.notePreset.<name> in the citizen's language) and the console's key. */
const PRESETS = [["in_5_min", "console.notePreset5min"], ["soon", "console.notePresetSoon"], ["delay", "console.notePresetDelay"]];

/** @param {() => import("./signaling.js").RoomClient|null} getRoom */
export function waitingNotes(getRoom) {
  /** @type {Map<string, HTMLFormElement>} */ const forms = new Map();

  /** @param {HTMLFormElement} form @param {string} pid @param {string} text @param {string} [preset] */
  function send(form, pid, text, preset) {
    const status = form.querySelector("[data-note-status]");
    if (!text) return;
    if (new TextEncoder().encode(text).length > MAX_BYTES) { tr(status, "console.noteTooLong"); return; }
    const room = getRoom();
    if (!room) return;
    room.waitingMessage(pid, text, preset);
    tr(status, "console.noteSent", { text });
  }

  /** @param {import("./signaling.js").Waiting} w */
  function build(w) {
    const id = "note-" + w.participantId;
    const input = el("input", { id, name: "note", autocomplete: "off", maxlength: String(MAX_BYTES) });
    const presets = el("div", { class: "note-presets", role: "group", label: "console.notePresets" },
      PRESETS.map(([preset, key]) => {
        const b = el("button", { type: "button", "data-preset": preset, text: key });
        b.addEventListener("click", () => send(form, w.participantId, t(key), preset));
        return b;
      }));
    const form = /** @type {HTMLFormElement} */ (el("form", { class: "note-form", "data-note": w.participantId },
      presets,
      el("div", { class: "field" }, el("label", { for: id, text: "console.noteLabel", vars: { name: w.displayName } }), input),
      el("button", { type: "submit", text: "console.noteSend" }),
      el("p", { class: "muted", role: "status", "data-note-status": "" })));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      send(form, w.participantId, input.value.trim());
      input.value = "";
    });
    return form;
  }

  return {
    /** The note form for a waiting participant, the same one each time. @param {import("./signaling.js").Waiting} w */
    form(w) {
      let f = forms.get(w.participantId);
      if (!f) { f = build(w); forms.set(w.participantId, f); }
      return f;
    },
    /** Forgets the forms of those no longer waiting. @param {import("./signaling.js").Waiting[]} list */
    keep(list) {
      const ids = new Set(list.map((w) => w.participantId));
      for (const id of forms.keys()) if (!ids.has(id)) forms.delete(id);
    },
  };
}
