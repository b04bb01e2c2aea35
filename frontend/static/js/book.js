// Citizen booking: service list -> week slot picker -> form -> confirmation.
import { api } from "./api.js";
import { lang, tr } from "./i18n.js";
import { mountPicker } from "./slots.js";
import { $, clearErrors, el, initPage, showErrors, showView } from "./ui.js";

const st = {
  service: /** @type {import("./api.js").Service|null} */ (null),
  slot: /** @type {import("./api.js").Slot|null} */ (null),
  services: /** @type {import("./api.js").Service[]} */ ([]),
  picker: /** @type {{taken: (start: string) => void}|null} */ (null),
  booked: false,
};

// The booking challenge (a proof of work, docs/api.md) is solved in a
// worker from the moment the form shows, so it is ready by the submit. A
// solution is good for one attempt until its challenge expires.
const pow = { /** @type {Promise<string>|null} */ solution: null, expires: 0, ready: false };

async function main() {
  await initPage();
  $("back-services").addEventListener("click", () => history.back());
  $("back-slots").addEventListener("click", () => history.back());
  $("book-form").addEventListener("submit", submit);
  const initial = history.state; // a reload keeps the step
  addEventListener("popstate", (e) => restore(e.state));
  await loadServices();
  if (initial?.step) restore(initial); else history.replaceState({ step: "services" }, "");
}

// The steps (service -> times -> form -> confirmation) are entries of the
// browser's history, so its back button returns to the previous step
// instead of leaving the page. Each entry names what it needs to be shown
// again; a booking already made is never offered as a form a second time.

/** Shows a step as a new history entry. */
function go(step, extra) {
  history.pushState({ step, ...extra }, "");
  show(step);
}

/** @param {{step?: string, service?: number, slot?: import("./api.js").Slot}|null} state */
function restore(state) {
  const step = state?.step || "services";
  const s = st.services.find((x) => x.id === state?.service);
  if (step === "done" && st.booked) { show("done"); return; }
  if (step === "services" || !s) { show("services"); return; }
  if (st.service?.id !== s.id || !st.picker) selectService(s);
  if (step === "form" && state.slot && !st.booked) { selectSlot(state.slot); show("form"); return; }
  show("slots");
  if (!$("slots-notice").hidden) $("slots-notice").focus();
}

function show(step) { showView("v-" + step); }

async function loadServices() {
  const status = $("services-status");
  tr(status, "common.loading");
  let list;
  try {
    list = st.services = await api.services();
  } catch (e) {
    tr(status, "errors.network");
    return;
  }
  const ul = $("service-list");
  ul.textContent = "";
  tr(status, list.length ? "book.servicesFound" : "book.noServices", { n: list.length });
  for (const s of list) {
    const b = el("button", { type: "button", class: "card", "data-service": s.id },
      el("strong", {}, s.name), s.description ? el("span", {}, s.description) : null,
      el("span", { text: "book.duration", vars: { n: s.duration_minutes } }));
    b.addEventListener("click", () => pickService(s));
    ul.append(el("li", {}, b));
  }
}

function pickService(s) {
  selectService(s);
  go("slots", { service: s.id });
}

function selectService(s) {
  st.service = s;
  st.booked = false;
  $("slots-h1").textContent = s.name;
  $("service-desc").textContent = s.description || "";
  $("slots-notice").hidden = true;
  st.picker = mountPicker($("picker"), { serviceId: s.id, onPick: pickSlot });
}

function pickSlot(slot) {
  selectSlot(slot);
  go("form", { service: st.service.id, slot: { start: slot.start, end: slot.end } });
}

function selectSlot(slot) {
  st.slot = slot;
  st.booked = false;
  $("slots-notice").hidden = true;
  tr($("chosen"), "book.chosen", { service: st.service.name, startDate: slot.start, startTime: slot.start, endTime: slot.end });
  clearErrors($("book-form"));
  prepareChallenge();
}

/** Somebody else booked the chosen time first: back to the times, without it. */
function lostRace() {
  st.picker.taken(st.slot.start);
  tr($("slots-notice"), "errors.slot_taken");
  $("slots-notice").hidden = false;
  history.back(); // the form's entry sits on the times' one
}

/** Starts solving a fresh challenge unless one is under way or still fresh. */
function prepareChallenge() {
  if (pow.solution && Date.now() / 1000 < pow.expires - 30) return;
  pow.expires = Infinity; // under way
  pow.ready = false;
  const p = solveChallenge();
  pow.solution = p;
  p.then(() => { pow.ready = true; }, () => { if (pow.solution === p) pow.solution = null; });
}

/** @returns {Promise<string>} the base64 solution, "" when the office asks for none */
async function solveChallenge() {
  const status = $("altcha-status");
  const ch = await api.request("GET", "/bookings/challenge");
  if (!ch) { pow.expires = Infinity; return ""; }
  pow.expires = Number(new URLSearchParams(ch.salt.split("?")[1] || "").get("expires")) || 0;
  tr(status, "book.checkRunning");
  const res = await new Promise((resolve, reject) => {
    const w = new Worker(new URL("./altcha-worker.js", import.meta.url), { type: "module" });
    w.onmessage = (e) => { w.terminate(); resolve(e.data); };
    w.onerror = (e) => { w.terminate(); reject(new Error(e.message)); };
    w.postMessage(ch);
  });
  if (res.error) throw new Error(res.error);
  tr(status, "book.checkDone");
  return btoa(JSON.stringify({ algorithm: ch.algorithm, challenge: ch.challenge, number: res.number,
    salt: ch.salt, signature: ch.signature, took: res.took }));
}

/** Waits for the solution and takes it, or returns null after telling why not. */
async function takeSolution() {
  prepareChallenge(); // a fresh one if the last has expired
  if (!pow.ready) tr($("altcha-status"), "book.checkWait");
  try {
    const s = await pow.solution;
    pow.solution = null;
    return s;
  } catch (e) {
    tr($("altcha-status"), "book.checkFailed");
    return null;
  }
}

/** @param {SubmitEvent} e */
async function submit(e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const f = form.elements;
  const btn = $("book-submit");
  btn.disabled = true;
  let booked = false;
  try {
    const altcha = await takeSolution();
    if (altcha === null) return;
    const b = await api.book({
      service_id: st.service.id, start: st.slot.start,
      name: f.namedItem("name").value, email: f.namedItem("email").value,
      topic: f.namedItem("topic").value, language: f.namedItem("language").value, locale: lang(),
      consent: f.namedItem("consent").checked, altcha: altcha || undefined,
    });
    booked = true;
    showDone(b);
  } catch (err) {
    if (err.code === "slot_taken") { lostRace(); return; }
    showErrors(form, err, "book.err");
  } finally {
    btn.disabled = false;
    if (!booked) prepareChallenge(); // for the next attempt
  }
}

/** @param {import("./api.js").Booking} b */
function showDone(b) {
  const manageToken = new URL(b.manage_url).pathname.split("/").pop(); // without ?lang=
  const box = $("done-box");
  box.textContent = "";
  box.append(
    // Without a configured mail relay the confirmation waits in the queue:
    // say so instead of promising a mail (the links below are what counts).
    el("p", { id: "done-intro", text: b.mail_delivery === false ? "book.doneIntroNoMail" : "book.doneIntro" }),
    el("dl", { class: "facts" },
      el("dt", { text: "book.service" }), el("dd", {}, st.service.name),
      el("dt", { text: "book.date" }), el("dd", { id: "done-date", text: "fmt.date", vars: { startDate: b.start } }),
      el("dt", { text: "book.time" }), el("dd", { id: "done-time", text: "fmt.timeRange", vars: { startTime: b.start, endTime: b.end } }),
      el("dt", { text: "book.caseNumber" }), el("dd", { id: "done-case" }, b.case_number),
      el("dt", { text: "book.joinLink" }), el("dd", {}, el("a", { href: b.join_url, id: "join-link" }, b.join_url)),
      el("dt", { text: "book.manageLink" }), el("dd", {}, el("a", { href: b.manage_url, id: "manage-link" }, b.manage_url))),
    el("p", { text: "book.keepLinks" }),
    el("div", { class: "actions" },
      el("a", { class: "button primary", href: api.icsURL(manageToken), download: `termin-${b.case_number}.ics`, id: "ics-link", text: "book.ics" })));
  st.booked = true;
  st.picker.taken(b.start); // no longer free when the citizen goes back
  // The form's entry becomes the confirmation: back leads to the times.
  history.replaceState({ step: "done", service: st.service.id }, "");
  show("done");
}

main();
