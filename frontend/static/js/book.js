// Citizen booking: service list -> week slot picker -> form -> confirmation.
import { api } from "./api.js";
import { tr } from "./i18n.js";
import { mountPicker } from "./slots.js";
import { $, clearErrors, el, initPage, showErrors, showView } from "./ui.js";

const st = { service: /** @type {import("./api.js").Service|null} */ (null), slot: /** @type {import("./api.js").Slot|null} */ (null) };

async function main() {
  await initPage();
  $("back-services").addEventListener("click", () => showView("v-services"));
  $("back-slots").addEventListener("click", () => showView("v-slots"));
  $("book-form").addEventListener("submit", submit);
  await loadServices();
}

async function loadServices() {
  const status = $("services-status");
  tr(status, "common.loading");
  let list;
  try {
    list = await api.services();
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
  st.service = s;
  $("slots-h1").textContent = s.name;
  $("service-desc").textContent = s.description || "";
  showView("v-slots");
  mountPicker($("picker"), { serviceId: s.id, onPick: pickSlot });
}

function pickSlot(slot) {
  st.slot = slot;
  tr($("chosen"), "book.chosen", { service: st.service.name, startDate: slot.start, startTime: slot.start, endTime: slot.end });
  clearErrors($("book-form"));
  showView("v-form");
}

/** @param {SubmitEvent} e */
async function submit(e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const f = form.elements;
  const btn = $("book-submit");
  btn.disabled = true;
  try {
    const b = await api.book({
      service_id: st.service.id, start: st.slot.start,
      name: f.namedItem("name").value, email: f.namedItem("email").value,
      topic: f.namedItem("topic").value, language: f.namedItem("language").value,
      consent: f.namedItem("consent").checked,
    });
    showDone(b);
  } catch (err) {
    if (err.code === "slot_taken") { showView("v-slots"); tr($("slots-status"), "errors.slot_taken"); return; }
    showErrors(form, err, "book.err");
  } finally {
    btn.disabled = false;
  }
}

/** @param {import("./api.js").Booking} b */
function showDone(b) {
  const manageToken = b.manage_url.split("/").pop();
  const box = $("done-box");
  box.textContent = "";
  box.append(
    el("p", { text: "book.doneIntro" }),
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
  showView("v-done");
}

main();
