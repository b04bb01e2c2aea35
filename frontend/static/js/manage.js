// Manage a booking from the link in the confirmation e-mail: see it,
// cancel it, or move it. The token leaves the address bar at once and lives
// in sessionStorage of this tab (there is no manage session on the server).
import { api } from "./api.js";
import { tr } from "./i18n.js";
import { mountPicker } from "./slots.js";
import { $, el, errorText, initPage } from "./ui.js";

const KEY = "sprechstunde.manage";
const st = { token: "", booking: /** @type {import("./api.js").Booking|null} */ (null), pick: /** @type {import("./api.js").Slot|null} */ (null),
  picker: /** @type {{taken: (start: string) => void}|null} */ (null) };

async function main() {
  await initPage();
  const m = /^\/manage\/([^/]+)$/.exec(location.pathname);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", "/manage");
  }
  st.token = sessionStorage.getItem(KEY) || "";
  if (!st.token) { tr($("manage-status"), "manage.noToken"); return; }
  $("cancel-btn").addEventListener("click", () => { $("cancel-confirm").hidden = false; $("cancel-yes").focus(); });
  $("cancel-no").addEventListener("click", () => { $("cancel-confirm").hidden = true; $("cancel-btn").focus(); });
  $("cancel-yes").addEventListener("click", cancel);
  $("rebook-btn").addEventListener("click", openRebook);
  $("rebook-no").addEventListener("click", () => { $("rebook-confirm").hidden = true; });
  $("rebook-yes").addEventListener("click", rebook);
  await load();
}

async function load() {
  try {
    render(await api.manage(st.token));
  } catch (err) {
    tr($("manage-status"), "errors." + err.code);
    if ($("manage-status").textContent.startsWith("errors.")) $("manage-status").textContent = errorText(err);
  }
}

/** @param {import("./api.js").Booking} b */
function render(b, joinURL) {
  st.booking = b;
  const box = $("manage-box");
  box.textContent = "";
  box.append(el("dl", { class: "facts" },
    el("dt", { text: "book.date" }), el("dd", { id: "m-date", text: "fmt.date", vars: { startDate: b.start } }),
    el("dt", { text: "book.time" }), el("dd", { id: "m-time", text: "fmt.timeRange", vars: { startTime: b.start, endTime: b.end } }),
    el("dt", { text: "book.caseNumber" }), el("dd", {}, b.case_number),
    el("dt", { text: "manage.status" }), el("dd", { id: "m-status", text: "status." + b.status }),
    joinURL ? el("dt", { text: "book.joinLink" }) : null,
    joinURL ? el("dd", {}, el("a", { href: joinURL }, joinURL)) : null));
  if (b.status === "booked") {
    box.append(el("div", { class: "actions" }, el("a", { class: "button", href: api.icsURL(st.token), download: `termin-${b.case_number}.ics`, text: "book.ics" })));
  }
  box.hidden = false;
  $("manage-actions").hidden = b.status !== "booked";
  tr($("manage-status"), b.status === "booked" ? "manage.intro" : "manage.notActive");
}

async function cancel() {
  try {
    await api.cancel(st.token);
    $("cancel-confirm").hidden = true;
    $("rebook-area").hidden = true;
    render({ ...st.booking, status: "cancelled" });
    tr($("manage-status"), "manage.cancelled");
    $("manage-status").focus?.();
  } catch (err) {
    $("manage-status").textContent = errorText(err);
  }
}

function openRebook() {
  $("rebook-area").hidden = false;
  st.picker = mountPicker($("picker"), {
    serviceId: st.booking.service_id,
    onPick: (s) => {
      st.pick = s;
      tr($("rebook-question"), "manage.rebookQuestion", { startDate: s.start, startTime: s.start });
      $("rebook-confirm").hidden = false;
      $("rebook-yes").focus();
    },
  });
  $("week-h").focus();
}

async function rebook() {
  try {
    const b = await api.rebook(st.token, st.pick.start);
    if (b.manage_url) {
      st.token = new URL(b.manage_url).pathname.split("/").pop(); // without ?lang=
      sessionStorage.setItem(KEY, st.token);
    }
    $("rebook-confirm").hidden = true;
    $("rebook-area").hidden = true;
    render(b, b.join_url);
    tr($("manage-status"), "manage.rebooked");
  } catch (err) {
    $("rebook-question").textContent = errorText(err);
    if (err.code === "slot_taken") st.picker.taken(st.pick.start);
  }
}

main();
