// Consultation console: waiting room (admit/remove), the call, a notes
// editor whose draft survives reloads (sessionStorage) until it is saved to
// the case, the case timeline, an interpreter invitation and the outcome.
// Ending the call for everyone asks first; until the appointment's end the
// clerk can open the room again (the citizen's link then works again).
import { api } from "./api.js";
import { t, tr, onLangChange } from "./i18n.js";
import { mountCall } from "./call.js";
import { VIDEO } from "./devices.js";
import { requireStaff } from "./login.js";
import { RoomClient } from "./signaling.js";
import { waitingNotes } from "./waitnote.js";
import { renderTimeline } from "./timeline.js";
import { $, el, errorText, initPage, showErrors, clearErrors, showView } from "./ui.js";

const dbg = (window.sprechstunde ||= {});
const st = { id: 0, caseNo: "", end: "", opens: "", me: /** @type {any} */ (null), case: /** @type {any} */ (null), room: /** @type {RoomClient|null} */ (null) };
const notes = waitingNotes(() => st.room);

async function main() {
  await initPage();
  st.id = Number(location.pathname.split("/").pop());
  st.caseNo = new URLSearchParams(location.search).get("case") || "";
  st.me = await requireStaff();
  showView("v-console");
  setHeading();
  onLangChange(() => setHeading());
  wireNotes();
  $("invite").addEventListener("click", invite);
  $("invite-copy").addEventListener("click", () => navigator.clipboard.writeText($("invite-url").value).then(() => tr($("invite-hint"), "console.copied")).catch(() => $("invite-url").select()));
  $("mark-done").addEventListener("click", () => setStatus("done"));
  $("mark-noshow").addEventListener("click", () => setStatus("no_show"));
  wireEndDialog();
  $("rejoin").addEventListener("click", () => { $("rejoin").hidden = true; connect(); });
  await loadAppointment();
  await connect();
  await loadCase();
}

/** The appointment behind the console: the case number when the address
 * has no ?case=, and the case context (who, what, which language, when). */
async function loadAppointment() {
  let ap;
  try {
    ap = await api.request("GET", `/clerk/appointments/${st.id}`);
  } catch (err) {
    $("case-status").textContent = staffError(err);
    return;
  }
  st.caseNo ||= ap.case_number;
  st.end ||= ap.end;
  setHeading();
  const services = await api.services().catch(() => []);
  const svc = services.find((s) => s.id === ap.service_id);
  const row = (key, value, attrs = {}) => [el("dt", { text: key }), el("dd", attrs, value)];
  const lang = ap.language && ap.language !== "de";
  $("case-facts").replaceChildren(
    ...row("console.factCitizen", ap.citizen_name),
    ...(ap.topic ? row("console.factTopic", ap.topic) : []),
    ...row("console.factLanguage", el("span", { text: lang ? "console.factLanguageInterp" : "lang." + (ap.language || "de"), vars: { lang: t("lang." + ap.language) } }), { "data-language": ap.language || "de" }),
    ...(svc ? row("console.factService", svc.name) : []),
    ...row("console.factTime", el("span", { text: "console.factTimeValue", vars: { startDate: ap.start, startTime: ap.start, endTime: ap.end } })));
  $("case-context").hidden = false;
}

/** API errors in the words staff need: the shared texts speak to
 * citizens ("use the link from your e-mail"). */
function staffError(err) {
  const key = "console.error." + (err && err.code);
  return t(key) !== key ? t(key) : errorText(err);
}

function setHeading() { tr($("console-h1"), "console.h1", { caseNo: st.caseNo }); }

async function connect() {
  const first = await api.staffTicket(st.id).catch((err) => err);
  if (first instanceof Error) {
    $("room-status").textContent = staffError(first);
    $("end-call").hidden = true; // no call to end
    return;
  }
  st.caseNo ||= first.room.appointment.case_number;
  st.end = first.room.not_after || first.room.appointment.end || st.end;
  st.opens = first.room.not_before;
  setHeading();
  $("room-status").textContent = "";
  let stream = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO });
  } catch { tr($("room-status"), "join.camFailed"); }
  let spare = first.ticket;
  const room = new RoomClient({
    wsPath: first.ws_url, stream,
    getTicket: async () => { if (spare) { const s = spare; spare = ""; return s; } return (await api.staffTicket(st.id)).ticket; },
  });
  st.room = dbg.room = room;
  let call = null;
  room.on("waiting", renderWaiting);
  room.on("state", (s) => {
    document.documentElement.dataset.room = s;
    if (s === "admitted" && !call) call = mountCall($("call"), room, { stream, leaveKey: "call.leaveClerk", onLeave: () => room.leave() });
    $("end-call").hidden = s === "ended";
  });
  room.on("ended", (reason) => {
    if (call) call.stop();
    if (stream) for (const x of stream.getTracks()) x.stop();
    $("call").textContent = "";
    renderWaiting([]);
    // Staff texts, not the citizen's; while the slot runs the room can open again.
    const open = !!st.end && Date.now() < Date.parse(st.end);
    const early = reason === "too_early";
    if (early) tr($("room-status"), "console.end.too_early", { openDay: st.opens, openTime: st.opens });
    else tr($("room-status"), open ? "console.endedOpen" : "console.ended", { reason: t("console.end." + reason), endTime: st.end });
    const again = $("rejoin");
    tr(again, early ? "console.enter" : reason === "closed_by_clerk" ? "console.reopen" : "console.rejoin");
    again.hidden = !open;
    $("end-call").hidden = true;
    loadCase();
  });
  room.connect();
}

/** The confirmation before ending the call for everyone: a modal dialog
 * (focus moves into it and comes back to the button when it closes). */
function wireEndDialog() {
  const dlg = /** @type {HTMLDialogElement} */ ($("end-dialog"));
  $("end-call").addEventListener("click", () => dlg.showModal());
  $("end-cancel").addEventListener("click", () => dlg.close());
  $("end-confirm").addEventListener("click", () => { dlg.close(); if (st.room) st.room.closeRoom(); });
  dlg.addEventListener("close", () => { const b = $("end-call"); if (!b.hidden) b.focus(); else $("room-status").focus(); });
}

/** @param {import("./signaling.js").Waiting[]} list */
function renderWaiting(list) {
  const ul = $("waiting-list");
  ul.textContent = "";
  notes.keep(list);
  tr($("waiting-status"), list.length ? "console.waitingCount" : "console.nobody", { n: list.length, name: list[0] ? list[0].displayName : "" });
  for (const w of list) {
    const admit = el("button", { type: "button", class: "primary", "data-admit": w.participantId, text: "console.admit", vars: { name: w.displayName } });
    admit.addEventListener("click", () => { dbg.admitAt = Date.now(); st.room.admit(w.participantId); });
    const remove = el("button", { type: "button", class: "danger", "data-remove": w.participantId, text: "console.remove", vars: { name: w.displayName } });
    remove.addEventListener("click", () => st.room.remove(w.participantId, w.secondDevice));
    // The same join link opened on another device: admitting it replaces
    // the device in the call, turning it away leaves that one be.
    const second = w.secondDevice ? el("strong", { class: "second-device", "data-second-device": w.participantId, text: "console.secondDevice" }) : null;
    ul.append(el("li", {}, el("span", { text: "console.waitingItem", vars: { name: w.displayName, role: t("role." + w.role), sinceTime: w.since } }),
      second, el("span", { class: "actions" }, admit, remove), notes.form(w)));
  }
}

function draftKey() { return "sprechstunde.note." + st.id; }

function wireNotes() {
  const ta = /** @type {HTMLTextAreaElement} */ ($("note-text"));
  ta.value = sessionStorage.getItem(draftKey()) || "";
  if (ta.value) tr($("note-status"), "console.draftRestored");
  ta.addEventListener("input", () => sessionStorage.setItem(draftKey(), ta.value));
  $("note-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    clearErrors(form);
    if (!ta.value.trim()) { showErrors(form, { code: "invalid", fields: { text: t("console.noteEmpty") } }, "console.err"); return; }
    try {
      await api.addNote(st.caseNo, ta.value);
      ta.value = "";
      sessionStorage.removeItem(draftKey());
      tr($("note-status"), "console.noteSaved");
      await loadCase();
    } catch (err) {
      showErrors(form, err, "console.err");
    }
  });
}

async function loadCase() {
  if (!st.caseNo) return;
  try {
    st.case = await api.caseGet(st.caseNo);
  } catch (err) {
    $("case-status").textContent = staffError(err);
    return;
  }
  renderTimeline($("timeline"), st.case);
  tr($("case-status"), "console.caseStatus", { status: t("status." + st.case.status) });
}

async function invite() {
  try {
    const link = await api.guestLink(st.id);
    $("invite-url").value = link.url;
    tr($("invite-hint"), "console.inviteHint", { untilTime: link.expires_at });
    $("invite-box").hidden = false;
    $("invite-url").focus();
    $("invite-url").select();
  } catch (err) {
    $("case-status").textContent = staffError(err);
  }
}

async function setStatus(s) {
  try {
    await api.setStatus(st.caseNo, s);
    await loadCase();
  } catch (err) {
    $("case-status").textContent = staffError(err);
  }
}

main();
