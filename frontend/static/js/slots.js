// Week slot picker: seven day buttons (with the number of free times),
// then the chosen day's times. Keyboard: Tab between controls, arrow keys
// move between days and between times. An empty week says so and offers
// the week with the next free time.
import { api } from "./api.js";
import { addDays, mondayOf, today } from "./format.js";
import { tr } from "./i18n.js";
import { el } from "./ui.js";

/** How far ahead to look for the next free time (the API allows 62 days). */
const LOOKAHEAD_DAYS = 56;

/**
 * @param {HTMLElement} root container, emptied
 * @param {object} opts
 * @param {number} opts.serviceId
 * @param {(slot: import("./api.js").Slot) => void} opts.onPick
 */
export function mountPicker(root, opts) {
  const st = { monday: mondayOf(today()), day: "", slots: /** @type {import("./api.js").Slot[]} */ ([]) };
  /** Times lost to another booking while the page was open. */
  const taken = new Set();
  root.textContent = "";
  const prev = el("button", { type: "button", id: "week-prev", text: "slots.prev" });
  const next = el("button", { type: "button", id: "week-next", text: "slots.next" });
  const heading = el("h2", { id: "week-h", tabindex: "-1" });
  const status = el("p", { role: "status", id: "slots-status" });
  const days = el("ul", { class: "week", id: "week-days", label: "slots.daysLabel" });
  const times = el("div", { id: "day-times" });
  root.append(el("div", { class: "week-nav" }, prev, heading, next), status, days, times);

  prev.addEventListener("click", () => load(addDays(st.monday, -7)));
  next.addEventListener("click", () => load(addDays(st.monday, 7)));
  days.addEventListener("keydown", (e) => arrows(e, days, ["ArrowLeft", "ArrowUp"], ["ArrowRight", "ArrowDown"]));
  times.addEventListener("keydown", (e) => arrows(e, times, ["ArrowLeft", "ArrowUp"], ["ArrowRight", "ArrowDown"]));

  async function load(monday, focusHeading = true) {
    if (st.monday !== monday) { days.textContent = ""; times.textContent = ""; }
    st.monday = monday;
    const first = monday < today() ? today() : monday;
    prev.disabled = monday <= mondayOf(today());
    setText(heading, "slots.week", { fromDay: monday, toDay: addDays(monday, 6) });
    setText(status, "common.loading");
    let list;
    try {
      list = await api.slots(opts.serviceId, first, addDays(monday, 6));
    } catch (e) {
      setText(status, "errors.network");
      return;
    }
    if (st.monday !== monday) return; // a later load has taken over
    st.slots = list.filter((s) => !taken.has(s.start));
    render();
    if (focusHeading) heading.focus();
  }

  /** Draws the week from st.slots, keeping the chosen day while it has times. */
  function render() {
    const monday = st.monday;
    days.textContent = ""; times.textContent = "";
    const byDay = groupByDay(st.slots);
    for (let i = 0; i < 7; i++) {
      const d = addDays(monday, i);
      const n = (byDay.get(d) || []).length;
      const b = el("button", { type: "button", class: "slot", "data-day": d, "aria-pressed": "false", "aria-disabled": n ? null : "true" },
        el("span", { text: "slots.day", vars: { dDay: d } }), el("br"),
        el("span", { text: n ? "slots.count" : "slots.none", vars: { n } }));
      b.addEventListener("click", () => { if (n) showDay(d, byDay.get(d), true); });
      days.append(el("li", { class: "day" }, b));
    }
    if (st.slots.length === 0) {
      setText(status, "slots.emptyWeek");
      offerNext(addDays(monday, 7));
    } else {
      setText(status, "slots.found", { n: st.slots.length });
      const day = byDay.has(st.day) ? st.day : [...byDay.keys()][0];
      showDay(day, byDay.get(day), false);
    }
  }

  async function offerNext(from) {
    try {
      const later = await api.slots(opts.serviceId, from, addDays(from, LOOKAHEAD_DAYS));
      if (!later.length) { setText(status, "slots.emptyAll"); return; }
      const s = later[0];
      const jump = el("button", { type: "button", id: "week-jump", text: "slots.jump", vars: { startDay: s.start, startTime: s.start } });
      jump.addEventListener("click", () => load(mondayOf(s.start.slice(0, 10))));
      times.append(el("p", {}, jump));
    } catch { /* the empty-week message stands */ }
  }

  function showDay(day, list, focus) {
    st.day = day;
    for (const b of days.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.day === day));
    times.textContent = "";
    const h = el("h3", { id: "times-h", text: "slots.timesOn", vars: { dayDate: day } });
    const ul = el("ul", { class: "week", "aria-labelledby": "times-h" });
    for (const s of list) {
      const b = el("button", { type: "button", class: "slot time", "data-start": s.start, text: "slots.time", vars: { startTime: s.start } });
      b.addEventListener("click", () => opts.onPick(s));
      ul.append(el("li", {}, b));
    }
    times.append(h, ul);
    if (focus) { const b = ul.querySelector("button"); if (b) b.focus(); }
  }

  load(st.monday, false);
  return {
    reload: () => load(st.monday, false),
    // taken withdraws a time somebody else booked at once, then asks the
    // server for the week again (other times may have gone too); a list
    // still in flight cannot bring it back.
    taken(start) {
      taken.add(start);
      st.slots = st.slots.filter((s) => s.start !== start);
      render();
      load(st.monday, false);
    },
  };
}

function setText(node, key, vars) { tr(node, key, vars); }

function groupByDay(slots) {
  /** @type {Map<string, import("./api.js").Slot[]>} */
  const m = new Map();
  for (const s of slots) {
    const d = s.start.slice(0, 10);
    if (!m.has(d)) m.set(d, []);
    m.get(d).push(s);
  }
  return m;
}

/** Moves focus between the buttons of a list with the arrow keys. */
function arrows(e, root, back, fwd) {
  const dir = back.includes(e.key) ? -1 : fwd.includes(e.key) ? 1 : 0;
  if (!dir) return;
  const btns = [...root.querySelectorAll("button")];
  const i = btns.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
  if (i < 0) return;
  const j = Math.max(0, Math.min(btns.length - 1, i + dir));
  btns[j].focus();
  e.preventDefault();
}
