// Citizen and guest: exchange the link for a room session (the token then
// leaves the address bar), device check, waiting room, call, end screen.
// Each way out of the call has its own heading; coming too early is said
// before the device check, with the time the room opens.
import { api } from "./api.js";
import { t, tr } from "./i18n.js";
import { mountCall } from "./call.js";
import { DeviceCheck } from "./devices.js";
import { RoomClient } from "./signaling.js";
import { mountWaitingRoom } from "./waitroom.js";
import { $, errorText, initPage, showErrors, showView } from "./ui.js";

const dbg = (window.sprechstunde ||= {});

/** How often an open page uses its room session, which ends after 30
 * minutes without use (see docs/api.md, room sessions). */
const KEEP_SESSION_MS = 5 * 60 * 1000;

async function main() {
  await initPage();
  const join = /^\/join\/([^/]+)$/.exec(location.pathname);
  const guest = /^\/guest\/([^/]+)$/.exec(location.pathname);
  try {
    if (join) {
      const info = await api.join(decodeURIComponent(join[1]));
      history.replaceState(null, "", "/join");
      return check(info);
    }
    if (guest) {
      history.replaceState(null, "", "/join");
      return askGuestName(decodeURIComponent(guest[1]));
    }
    return check(await api.session());
  } catch (err) {
    fail(err);
  }
}

function fail(err) {
  const p = $("error-text");
  if (err && err.status === 401) tr(p, "join.noSession");
  else p.textContent = errorText(err);
  showView("v-error");
}

function askGuestName(token) {
  showView("v-guest", false);
  $("guest-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    try {
      check(await api.guest(token, form.elements.namedItem("name").value));
    } catch (err) {
      if (err.status === 404) return fail(err);
      showErrors(form, err, "join.err");
    }
  });
}

/** @param {import("./api.js").RoomInfo} info */
async function check(info) {
  if (Date.now() < Date.parse(info.not_before)) return early(info);
  tr($("appt-line"), "join.appointment", { startDate: info.appointment.start, startTime: info.appointment.start, name: info.display_name });
  showView("v-check");
  const dc = new DeviceCheck();
  dc.start();
  $("to-waiting").addEventListener("click", () => wait(info, dc.take()), { once: true });
}

/** The room is not open yet: say when it opens, and go on by itself then.
 * @param {import("./api.js").RoomInfo} info */
function early(info) {
  tr($("early-text"), "join.earlyText", { openDate: info.not_before, openTime: info.not_before, minutes: joinEarlyMinutes(info), startTime: info.appointment.start });
  showView("v-early");
  const wait = Date.parse(info.not_before) - Date.now();
  setTimeout(() => check(info), Math.min(Math.max(wait, 0) + 1000, 2 ** 31 - 1));
}

/** The room opens join_early before the start; not_before carries it. */
function joinEarlyMinutes(info) {
  return Math.round((Date.parse(info.appointment.start) - Date.parse(info.not_before)) / 60000);
}

/** Reasons after which the citizen may come back while the slot runs. */
const COME_BACK = new Set(["closed_by_clerk", "left", "network"]);

/** Heading and text of the end screen for a reason.
 * @param {import("./api.js").RoomInfo} info @param {string} reason */
function showEnd(info, reason) {
  if (reason === "too_early") return early(info);
  const running = Date.now() < Date.parse(info.not_after || info.appointment.end);
  const back = running && COME_BACK.has(reason);
  const key = reason === "closed_by_clerk" && running ? "paused" : reason;
  const h1 = "join.endH1." + key;
  tr($("end-h1"), t(h1) === h1 ? "join.endH1" : h1);
  tr($("end-reason"), key === "paused" ? "join.endPaused" : "end." + reason, { minutes: joinEarlyMinutes(info), endTime: info.appointment.end });
  $("end-back").hidden = !back;
  $("end-hint").hidden = back;
  showView("v-end");
}

/** @param {import("./api.js").RoomInfo} info @param {MediaStream|null} stream */
function wait(info, stream) {
  const status = $("wait-status");
  tr(status, info.role === "guest" ? "join.waitingGuest" : "join.waiting", { startTime: info.appointment.start });
  showView("v-wait");
  const room = new RoomClient({ wsPath: info.ws_url, stream, getTicket: async () => (await api.ticket()).ticket });
  dbg.room = room;
  mountWaitingRoom(status.parentElement, room, stream);
  const keep = setInterval(() => { api.session().catch(() => {}); }, KEEP_SESSION_MS);
  let call = null;
  const leave = () => room.leave();
  $("wait-leave").addEventListener("click", leave);
  room.on("connection", (c) => { if (c === "connected") dbg.connectedAt ||= Date.now(); });
  room.on("track", () => { dbg.trackAt ||= Date.now(); });
  room.on("state", (s) => {
    document.documentElement.dataset.room = s;
    if (s === "admitted") dbg.admittedAt ||= Date.now();
    if (s === "admitted" && !call) {
      showView("v-call");
      call = mountCall($("call"), room, { stream, leaveKey: "call.leave", onLeave: leave });
    }
    if (s === "reconnecting" && !call) tr(status, "join.reconnecting");
    if (s === "waiting" && !call) tr(status, info.role === "guest" ? "join.waitingGuest" : "join.waiting", { startTime: info.appointment.start });
  });
  room.on("ended", (reason) => {
    clearInterval(keep);
    if (call) call.stop();
    if (stream) for (const t of stream.getTracks()) t.stop();
    showEnd(info, reason);
  });
  room.connect();
}

// Back into the waiting room: the page starts again on its room session.
$("end-back").addEventListener("click", () => location.reload());

main();
