// Date helpers. Every time a person sees is in the office's zone, whatever
// zone the browser (or the sender: the SFU speaks UTC) is in. The zone comes
// from the page (<html data-zone>, set by the server from its config); this
// is the module's only look at the document.

/** @returns {string} the office's IANA zone, "" if the page names none */
function officeZone() {
  return (globalThis.document && document.documentElement.dataset.zone) || "";
}

const partsFmt = new Map();

/**
 * @param {string} iso RFC 3339 time (2026-03-27T10:30:00+01:00, …Z) or a date
 * @returns {Date} a Date whose UTC fields are the office's wall-clock time
 */
export function wall(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || "");
  if (!m) return new Date(NaN);
  const zone = officeZone();
  if (m[4] !== undefined && zone) {
    const at = new Date(iso);
    if (!Number.isNaN(at.getTime())) return inZone(at, zone);
  }
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0)));
}

/** @param {Date} at @param {string} zone @returns {Date} */
function inZone(at, zone) {
  let f = partsFmt.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    partsFmt.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute));
}

// Arabic with Western digits and the 24-hour clock, as in the mails.
const locales = { de: "de-DE", en: "en-GB", ar: "ar-u-nu-latn-hc-h23" };

/** @param {string} iso @param {string} lang @returns {string} e.g. 10:30 */
export function fmtTime(iso, lang) {
  return new Intl.DateTimeFormat(locales[lang] || lang, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(wall(iso));
}

/** @param {string} iso @param {string} lang @returns {string} e.g. Freitag, 27. März 2026 */
export function fmtDate(iso, lang) {
  return new Intl.DateTimeFormat(locales[lang] || lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(wall(iso));
}

/** @param {string} iso @param {string} lang @returns {string} e.g. Fr., 27.03. */
export function fmtShortDate(iso, lang) {
  return new Intl.DateTimeFormat(locales[lang] || lang, { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "UTC" }).format(wall(iso));
}

/** @param {Date} d local date @returns {string} YYYY-MM-DD */
export function isoDate(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** @param {string} day YYYY-MM-DD @param {number} n @returns {string} */
export function addDays(day, n) {
  const d = wall(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** @param {string} day YYYY-MM-DD @returns {string} the Monday of its week */
export function mondayOf(day) {
  const wd = (wall(day).getUTCDay() + 6) % 7;
  return addDays(day, -wd);
}

/** @returns {string} today in the office's zone, YYYY-MM-DD */
export function today() {
  const zone = officeZone();
  return zone ? inZone(new Date(), zone).toISOString().slice(0, 10) : isoDate(new Date());
}
