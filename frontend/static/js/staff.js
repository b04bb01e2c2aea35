// Clerk's calendar (day and week) with the live waiting room: a
// server-sent event stream reports who is waiting, with a tone and a
// visual cue.
import { api } from "./api.js";
import { t, tr, onLangChange } from "./i18n.js";
import { addDays, mondayOf, today } from "./format.js";
import { requireStaff } from "./login.js";
import { $, el, errorText, initPage, showView } from "./ui.js";

const st = {
  view: "day", day: today(),
  /** @type {Map<number, any>} appointment id -> waiting event */ waiting: new Map(),
  /** @type {any[]} */ appts: [],
};
const dbg = (window.sprechstunde ||= {});

async function main() {
  await initPage();
  const me = await requireStaff();
  tr($("whoami"), "staff.whoami", { name: me.user.name });
  $("admin-link").hidden = me.user.role !== "admin";
  $("logout").addEventListener("click", async () => { await api.logout().catch(() => {}); location.assign("/staff"); });
  $("view-day").addEventListener("click", () => setView("day"));
  $("view-week").addEventListener("click", () => setView("week"));
  $("cal-prev").addEventListener("click", () => move(-1));
  $("cal-next").addEventListener("click", () => move(1));
  $("cal-today").addEventListener("click", () => { st.day = today(); load(); });
  showView("v-calendar");
  onLangChange(() => { renderWaiting(); render(); });
  live();
  await load();
}

function setView(v) {
  st.view = v;
  $("view-day").setAttribute("aria-pressed", String(v === "day"));
  $("view-week").setAttribute("aria-pressed", String(v === "week"));
  load();
}

function move(dir) { st.day = addDays(st.day, dir * (st.view === "day" ? 1 : 7)); load(); }

function range() {
  if (st.view === "day") return [st.day, st.day];
  const m = mondayOf(st.day);
  return [m, addDays(m, 6)];
}

async function load() {
  const [from, to] = range();
  tr($("cal-range"), from === to ? "staff.rangeDay" : "staff.rangeWeek", { fromDate: from, fromDay: from, toDay: to });
  const body = $("cal-body");
  try {
    st.appts = await api.appointments(from, to);
  } catch (err) {
    body.textContent = errorText(err);
    return;
  }
  render();
}

function render() {
  const body = $("cal-body");
  body.textContent = "";
  if (!st.appts.length) { body.append(el("p", { id: "cal-empty", text: "staff.noAppointments" })); return; }
  const rows = st.appts.map((a) => {
    const w = st.waiting.get(a.id);
    const n = w ? w.waiting.length : 0;
    return el("tr", { "data-appointment": a.id },
      el("td", {}, el("span", { text: st.view === "day" ? "fmt.timeRange" : "fmt.dayTime", vars: { startDay: a.start, startTime: a.start, endTime: a.end } })),
      el("td", {}, a.citizen_name, a.topic ? el("br") : null, a.topic ? el("span", { class: "muted" }, a.topic) : null, interpreter(a)),
      el("td", {}, a.case_number),
      el("td", {}, el("span", { text: "status." + a.status }), n ? el("span", {}, " ", el("span", { class: "badge waiting", text: "staff.waitingBadge", vars: { n } })) : null),
      el("td", {}, el("a", { href: `/staff/console/${a.id}?case=${encodeURIComponent(a.case_number)}`, text: "staff.open", vars: { name: a.citizen_name } })));
  });
  body.append(el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "visually-hidden", text: "staff.calCaption" }),
    el("thead", {}, el("tr", {}, ...["staff.colTime", "staff.colCitizen", "staff.colCase", "staff.colStatus", "staff.colAction"].map((k) => el("th", { scope: "col", text: k })))),
    el("tbody", {}, rows))));
}

/** A conversation language other than German means an interpreter may be
 * needed: the calendar says so beside the citizen. */
function interpreter(a) {
  if (!a.language || a.language === "de") return null;
  return el("span", {}, el("br"), el("span", { class: "badge lang", "data-language": a.language, text: "staff.langBadge", vars: { lang: t("lang." + a.language) } }));
}

/** Server-sent events; EventSource reconnects by itself. */
function live() {
  const es = new EventSource(api.waitingStreamURL());
  es.addEventListener("waiting", (e) => {
    const ev = JSON.parse(e.data);
    const before = st.waiting.get(ev.appointment_id);
    const had = new Set(before ? before.waiting.map((w) => w.participant_id) : []);
    const arrived = ev.waiting.filter((w) => !had.has(w.participant_id));
    if (ev.waiting.length) st.waiting.set(ev.appointment_id, ev); else st.waiting.delete(ev.appointment_id);
    renderWaiting();
    render();
    if (arrived.length) cue(arrived, ev);
  });
  es.onopen = () => { dbg.liveOpen = true; };
}

function renderWaiting() {
  const ul = $("waiting-now");
  ul.textContent = "";
  let total = 0;
  for (const ev of st.waiting.values()) {
    for (const w of ev.waiting) {
      total++;
      // The same join link opened on another device: in the console the
      // clerk decides whether it replaces the device in the call.
      const second = w.second_device ? el("strong", { class: "second-device", "data-second-device": w.participant_id, text: "staff.secondDevice" }) : null;
      ul.append(el("li", { "data-appointment": ev.appointment_id },
        el("span", { text: "staff.waitingItem", vars: { name: w.display_name, startTime: ev.start, caseNo: ev.case_number } }),
        second,
        el("a", { class: "button primary", href: `/staff/console/${ev.appointment_id}?case=${encodeURIComponent(ev.case_number)}`, text: "staff.openConsole" })));
    }
  }
  if (!total) ul.append(el("li", { text: "staff.nobodyWaiting" }));
  document.title = (total ? `(${total}) ` : "") + t("staff.title");
}

/** Tone and highlight when someone new is waiting; the status line is read out. */
function cue(arrived, ev) {
  tr($("live-status"), arrived[0].second_device ? "staff.arrivedSecondDevice" : "staff.arrived", { name: arrived[0].display_name, startTime: ev.start });
  const panel = $("waiting-panel");
  panel.classList.remove("live-cue");
  void panel.offsetWidth;
  panel.classList.add("live-cue");
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.15;
    osc.frequency.value = 880;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    setTimeout(() => { osc.stop(); ctx.close(); }, 250);
  } catch { /* no audio output */ }
}

main();
