// Administration: services, clerks' weekly hours per service, closures and
// holidays, staff accounts. Everything through the REST API.
import { api } from "./api.js";
import { t, tr } from "./i18n.js";
import { addDays, today } from "./format.js";
import { requireStaff } from "./login.js";
import { loadOutbox } from "./outbox.js";
import { $, clearErrors, el, errorText, initPage, showErrors, showView } from "./ui.js";

const st = { services: /** @type {any[]} */ ([]), users: /** @type {any[]} */ ([]) };

async function main() {
  await initPage();
  const me = await requireStaff();
  if (me.user.role !== "admin") { location.assign("/staff"); return; }
  showView("v-admin", false);
  for (let d = 1; d <= 7; d++) {
    const id = "h-wd-" + d;
    $("h-weekdays").append(el("label", { class: "check", for: id }, el("input", { type: "checkbox", id, name: "weekday", value: String(d) }), el("span", { text: "weekday." + d })));
  }
  $("service-form").addEventListener("submit", saveService);
  $("service-form").addEventListener("reset", () => { tr($("service-form-h"), "admin.newService"); clearErrors($("service-form")); });
  $("h-service").addEventListener("change", loadHours);
  $("hours-form").addEventListener("submit", addHours);
  $("hours-form").addEventListener("reset", () => { clearErrors($("hours-form")); hoursMode(false); });
  $("closure-form").addEventListener("submit", addClosure);
  $("user-form").addEventListener("submit", createUser);
  $("pw-form").addEventListener("submit", resetPassword);
  $("pw-cancel").addEventListener("click", () => { $("pw-form").hidden = true; });
  await Promise.all([loadServices(), loadUsers(), loadOutbox()]);
  await Promise.all([loadHours(), loadClosures()]);
}

// A result is told right below the section's table, above its form, and
// takes the focus there: a status at the top of the long page went unseen,
// and the button that caused it is often gone with the redrawn table.
/** @param {"services"|"hours"|"closures"|"users"} section */
function say(section, key, vars) { showMsg(section, (p) => tr(p, key, vars)); }

function sayError(section, err) { showMsg(section, (p) => { delete p.dataset.i18n; p.textContent = errorText(err); }); }

function showMsg(section, write) {
  const p = $(section + "-msg");
  write(p);
  p.hidden = false;
  p.focus();
}

function table(captionKey, heads, rows) {
  return el("table", {}, el("caption", { class: "visually-hidden", text: captionKey }),
    el("thead", {}, el("tr", {}, heads.map((k) => el("th", { scope: "col", text: k })))),
    el("tbody", {}, rows));
}

async function loadServices() {
  st.services = await api.adminServices();
  const rows = st.services.map((s) => {
    const edit = el("button", { type: "button", "data-edit": s.id, text: "admin.edit", vars: { name: s.name } });
    edit.addEventListener("click", () => editService(s));
    const pub = el("button", { type: "button", "data-publish": s.id, text: s.published ? "admin.unpublish" : "admin.publish", vars: { name: s.name } });
    pub.addEventListener("click", async () => {
      try { await api.updateService(s.id, { ...serviceBody(s), published: !s.published }); await loadServices(); say("services", s.published ? "admin.unpublished" : "admin.published", { name: s.name }); }
      catch (err) { sayError("services", err); }
    });
    const drop = el("button", { type: "button", class: "danger", "data-delete-service": s.id, text: "admin.deleteService", vars: { name: s.name } });
    drop.addEventListener("click", () => deleteService(s));
    return el("tr", {}, el("td", {}, s.name), el("td", { text: "book.duration", vars: { n: s.duration_minutes } }),
      el("td", { text: s.published ? "admin.isPublished" : "admin.isDraft" }), el("td", { class: "actions" }, edit, pub, drop));
  });
  $("services-table").replaceChildren(table("admin.services", ["admin.sName", "admin.sDuration", "admin.state", "admin.colAction"], rows));
  const sel = $("h-service");
  const keep = sel.value;
  sel.replaceChildren(...st.services.map((s) => el("option", { value: s.id }, s.name)));
  if (keep && st.services.some((s) => String(s.id) === keep)) sel.value = keep;
}

/** Deletes a service nobody booked; the API refuses one with appointments (409 service_in_use). */
async function deleteService(s) {
  if (!confirm(t("admin.confirmDeleteService", { name: s.name }))) return;
  try {
    await api.deleteService(s.id);
    await loadServices();
    await loadHours();
    say("services", "admin.serviceDeleted", { name: s.name });
  } catch (err) { sayError("services", err); }
}

function serviceBody(s) {
  return { name: s.name, description: s.description || "", duration_minutes: s.duration_minutes, buffer_minutes: s.buffer_minutes,
    min_notice_minutes: s.min_notice_minutes, horizon_days: s.horizon_days, published: s.published };
}

function editService(s) {
  const f = /** @type {HTMLFormElement} */ ($("service-form"));
  clearErrors(f);
  for (const [k, v] of Object.entries(serviceBody(s))) {
    const input = f.elements.namedItem(k);
    if (input.type === "checkbox") input.checked = !!v; else input.value = v;
  }
  f.elements.namedItem("id").value = s.id;
  tr($("service-form-h"), "admin.editService", { name: s.name });
  $("s-name").focus();
}

async function saveService(e) {
  e.preventDefault();
  const f = e.target;
  const v = (n) => f.elements.namedItem(n).value;
  const body = { name: v("name"), description: v("description"), duration_minutes: +v("duration_minutes"), buffer_minutes: +v("buffer_minutes"),
    min_notice_minutes: +v("min_notice_minutes"), horizon_days: +v("horizon_days"), published: f.elements.namedItem("published").checked };
  try {
    const id = v("id");
    const s = id ? await api.updateService(id, body) : await api.createService(body);
    f.reset();
    f.elements.namedItem("id").value = "";
    await loadServices();
    $("h-service").value = String(s.id);
    await loadHours();
    say("services", id ? "admin.serviceSaved" : "admin.serviceCreated", { name: s.name });
  } catch (err) { showErrors(f, err, "admin.err"); }
}

async function loadHours() {
  const sid = $("h-service").value;
  if (!sid) { $("hours-table").replaceChildren(el("p", { text: "admin.noServices" })); return; }
  const list = await api.hours(sid);
  const name = (id) => (st.users.find((u) => u.id === id) || { name: "#" + id }).name;
  const rows = list.map((h) => {
    const del = el("button", { type: "button", class: "danger", text: "admin.delete" });
    del.addEventListener("click", async () => {
      try { await api.deleteHours(h.id); await loadHours(); say("hours", "admin.deleted"); } catch (err) { sayError("hours", err); }
    });
    const edit = el("button", { type: "button", "data-edit-hours": h.id, text: "admin.editHoursRow", vars: { day: t("weekday." + h.weekday), time: `${h.start}–${h.end}` } });
    edit.addEventListener("click", () => editHours(h));
    return el("tr", {}, el("td", { text: "weekday." + h.weekday }), el("td", {}, `${h.start}–${h.end}`), el("td", {}, name(h.clerk_id)), el("td", { class: "actions" }, edit, del));
  });
  $("hours-table").replaceChildren(list.length ? table("admin.hours", ["admin.weekday", "admin.time", "admin.hClerk", "admin.colAction"], rows) : el("p", { text: "admin.noHours" }));
}

/** Puts one entry into the hours form; saving then changes it in place. */
function editHours(h) {
  const f = /** @type {HTMLFormElement} */ ($("hours-form"));
  f.reset();
  f.elements.namedItem("id").value = String(h.id);
  f.elements.namedItem("clerk_id").value = String(h.clerk_id);
  for (const c of f.querySelectorAll('input[name="weekday"]')) c.checked = c.value === String(h.weekday);
  f.elements.namedItem("start").value = h.start;
  f.elements.namedItem("end").value = h.end;
  hoursMode(true);
  $("h-clerk").focus();
}

/** Heading and button say whether the hours form adds or edits. */
function hoursMode(editing) {
  if (!editing) $("hours-form").elements.namedItem("id").value = "";
  tr($("hours-form-h"), editing ? "admin.editHours" : "admin.addHours");
  tr($("hours-add"), editing ? "admin.save" : "admin.add");
}

async function addHours(e) {
  e.preventDefault();
  const f = e.target;
  clearErrors(f);
  const days = [...f.querySelectorAll('input[name="weekday"]:checked')].map((c) => +c.value);
  if (!days.length) { showErrors(f, { code: "invalid", fields: { start: t("admin.pickWeekday") } }, "admin.errHours"); return; }
  const editing = f.elements.namedItem("id").value;
  if (editing && days.length !== 1) { showErrors(f, { code: "invalid", fields: { start: t("admin.pickOneWeekday") } }, "admin.errHours"); return; }
  const btn = $("hours-add");
  btn.disabled = true; // one add per click, however often it is pressed
  let added = 0;
  try {
    for (const wd of days) {
      const h = { clerk_id: +f.elements.namedItem("clerk_id").value, weekday: wd, start: f.elements.namedItem("start").value, end: f.elements.namedItem("end").value };
      if (editing) await api.updateHours(editing, h); else await api.addHours($("h-service").value, h);
      added++;
    }
    f.reset(); // a second press must not add the same hours again
    await loadHours();
    if (editing) say("hours", "admin.hoursSaved"); else say("hours", "admin.hoursAdded", { n: added });
  } catch (err) {
    showErrors(f, err, "admin.errHours");
    if (added) await loadHours();
  } finally { btn.disabled = false; }
}

async function loadClosures() {
  const list = await api.closures(today(), addDays(today(), 730));
  const name = (id) => (id ? (st.users.find((u) => u.id === id) || { name: "#" + id }).name : t("admin.wholeOffice"));
  const rows = list.map((c) => {
    const del = el("button", { type: "button", class: "danger", text: "admin.delete" });
    del.addEventListener("click", async () => {
      try { await api.deleteClosure(c.id); await loadClosures(); say("closures", "admin.deleted"); } catch (err) { sayError("closures", err); }
    });
    return el("tr", {}, el("td", { text: "fmt.date", vars: { startDate: c.date } }), el("td", {}, name(c.clerk_id)), el("td", {}, c.reason || ""), el("td", {}, del));
  });
  $("closures-table").replaceChildren(list.length ? table("admin.closures", ["admin.cDate", "admin.cClerk", "admin.cReason", "admin.colAction"], rows) : el("p", { text: "admin.noClosures" }));
}

async function addClosure(e) {
  e.preventDefault();
  const f = e.target;
  const clerk = f.elements.namedItem("clerk_id").value;
  try {
    await api.addClosure({ date: f.elements.namedItem("date").value, reason: f.elements.namedItem("reason").value, ...(clerk ? { clerk_id: +clerk } : {}) });
    clearErrors(f);
    f.reset();
    await loadClosures();
    say("closures", "admin.closureAdded");
  } catch (err) { showErrors(f, err, "admin.err"); }
}

async function loadUsers() {
  st.users = await api.users();
  const rows = st.users.map((u) => {
    const toggle = el("button", { type: "button", "data-toggle": u.id, text: u.active ? "admin.deactivate" : "admin.activate", vars: { name: u.name } });
    toggle.addEventListener("click", async () => {
      try { await api.updateUser(u.id, { active: !u.active }); await loadUsers(); say("users", u.active ? "admin.deactivated" : "admin.activated", { name: u.name }); }
      catch (err) { sayError("users", err); }
    });
    const pw = el("button", { type: "button", "data-password": u.id, text: "admin.resetPassword", vars: { name: u.name } });
    pw.addEventListener("click", () => {
      const f = $("pw-form");
      f.hidden = false;
      clearErrors(f);
      f.elements.namedItem("id").value = u.id;
      tr($("pw-h"), "admin.resetPasswordFor", { name: u.name });
      $("pw-new").focus();
    });
    return el("tr", {}, el("td", {}, u.name), el("td", {}, u.email), el("td", { text: "role." + u.role }),
      el("td", { text: u.active ? "admin.active" : "admin.inactive" }), el("td", { class: "actions" }, toggle, pw));
  });
  $("users-table").replaceChildren(table("admin.users", ["admin.uName", "admin.uEmail", "admin.uRole", "admin.state", "admin.colAction"], rows));
  const clerks = st.users.filter((u) => u.active);
  $("h-clerk").replaceChildren(...clerks.map((u) => el("option", { value: u.id }, u.name)));
  $("c-clerk").replaceChildren(el("option", { value: "", text: "admin.wholeOffice" }), ...clerks.map((u) => el("option", { value: u.id }, u.name)));
}

async function createUser(e) {
  e.preventDefault();
  const f = e.target;
  const v = (n) => f.elements.namedItem(n).value;
  try {
    const u = await api.createUser({ name: v("name"), email: v("email"), password: v("password"), role: v("role") });
    clearErrors(f);
    f.reset();
    await loadUsers();
    say("users", "admin.userCreated", { name: u.name });
  } catch (err) { showErrors(f, err, "admin.err"); }
}

async function resetPassword(e) {
  e.preventDefault();
  const f = e.target;
  try {
    await api.updateUser(f.elements.namedItem("id").value, { password: f.elements.namedItem("password").value });
    f.reset();
    f.hidden = true;
    say("users", "admin.passwordReset");
  } catch (err) { showErrors(f, err, "admin.err"); }
}

main();
