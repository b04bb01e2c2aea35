// Message catalogs (../i18n/*.json) and their application to the page.
// Elements carry data-i18n="key" (text), data-i18n-vars (JSON) and
// data-i18n-attr="attr:key;attr:key", so a language switch re-translates
// static and generated content alike without reloading (a call goes on).
import { fmtDate, fmtShortDate, fmtTime } from "./format.js";

/** Languages of the citizen's pages; staff pages stay German and English. */
export const LANGS = ["de", "en", "tr", "ar", "uk", "ru", "pl"];
export const STAFF_LANGS = ["de", "en"];
/** Written right to left. */
const RTL = ["ar"];
const state = {
  lang: "de",
  catalog: /** @type {Record<string,string>} */ ({}),
  fallback: /** @type {Record<string,string>} */ ({}),
  listeners: /** @type {Function[]} */ ([]),
};

/** @returns {string[]} the languages this page is offered in */
export function langs() {
  return /^\/(staff|admin)(\/|$)/.test(location.pathname) ? STAFF_LANGS : LANGS;
}

/**
 * ?lang= first (links in mails carry the booking's language), then the
 * language chosen earlier, then the browser's preferred languages on a first
 * visit, then German. A choice the page does not offer (Turkish on a staff
 * page) falls through to the next source.
 */
function pickLang() {
  const offered = langs();
  const q = new URLSearchParams(location.search).get("lang");
  if (q && offered.includes(q)) { localStorage.setItem("lang", q); return q; }
  const s = localStorage.getItem("lang");
  if (s && offered.includes(s)) return s;
  for (const l of navigator.languages || []) {
    const primary = l.toLowerCase().split("-")[0];
    if (offered.includes(primary)) return primary;
  }
  return "de";
}

/** @param {string} lang */
async function fetchCatalog(lang) {
  const res = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
  return res.json();
}

/**
 * The catalogs beyond German and English hold the citizen's keys only
 * (docs/frontend.md); English stands in for a key one of them lacks.
 */
async function load(lang) {
  const [catalog, fallback] = await Promise.all([fetchCatalog(lang), STAFF_LANGS.includes(lang) ? {} : fetchCatalog("en")]);
  state.catalog = catalog;
  state.fallback = fallback;
  state.lang = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.includes(lang) ? "rtl" : "ltr";
}

export async function init() { await load(pickLang()); apply(document); }

export function lang() { return state.lang; }

/** Vars named *Time / *Date / *Day are ISO times, formatted for the language. */
function fmtVar(name, v) {
  if (typeof v !== "string") return String(v);
  if (name.endsWith("Time")) return fmtTime(v, state.lang);
  if (name.endsWith("Date")) return fmtDate(v, state.lang);
  if (name.endsWith("Day")) return fmtShortDate(v, state.lang);
  return v;
}

/** @param {string} key @param {Record<string, any>} [vars] @returns {string} */
export function t(key, vars) {
  const s = state.catalog[key] ?? state.fallback[key];
  if (s === undefined) return key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? fmtVar(k, vars[k]) : m)) : s;
}

/** Sets translated text and remembers the key for later switches. */
export function tr(el, key, vars) {
  el.dataset.i18n = key;
  if (vars) el.dataset.i18nVars = JSON.stringify(vars); else delete el.dataset.i18nVars;
  el.textContent = t(key, vars);
  return el;
}

/** Sets a translated attribute (aria-label, placeholder, title). */
export function trAttr(el, attr, key) {
  const list = (el.dataset.i18nAttr || "").split(";").filter((p) => p && !p.startsWith(attr + ":"));
  list.push(attr + ":" + key);
  el.dataset.i18nAttr = list.join(";");
  el.setAttribute(attr, t(key));
  return el;
}

/** @param {ParentNode} root */
export function apply(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const v = el.dataset.i18nVars ? JSON.parse(el.dataset.i18nVars) : undefined;
    el.textContent = t(el.dataset.i18n, v);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/** @param {string} l */
export async function setLang(l) {
  localStorage.setItem("lang", l);
  await load(l);
  apply(document);
  for (const fn of state.listeners) fn(l);
}

/** @param {(lang:string)=>void} fn called after every switch */
export function onLangChange(fn) { state.listeners.push(fn); }
