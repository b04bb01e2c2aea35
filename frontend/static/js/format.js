// Date helpers. DOM-free. The API sends times in the office's zone with
// its offset; the wall-clock digits are what citizens and clerks expect to
// see, so they are formatted as-is (through a UTC Date) whatever zone the
// browser is in.

/**
 * @param {string} iso RFC 3339 time, e.g. 2026-03-27T10:30:00+01:00
 * @returns {Date} a Date whose UTC fields are the wall-clock time
 */
export function wall(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || "");
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0)));
}

const locales = { de: "de-DE", en: "en-GB" };

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

/** @returns {string} today in the browser's zone, YYYY-MM-DD */
export function today() { return isoDate(new Date()); }
