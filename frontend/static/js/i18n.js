// Message catalogs (../i18n/*.json) and their application to the page.
// Elements carry data-i18n="key" (text), data-i18n-vars (JSON) and
// data-i18n-attr="attr:key;attr:key", so a language switch re-translates
// static and generated content alike without reloading (a call goes on).
import { fmtDate, fmtShortDate, fmtTime } from "./format.js";

export const LANGS = ["de", "en"];
const state = { lang: "de", catalog: /** @type {Record<string,string>} */ ({}), listeners: /** @type {Function[]} */ ([]) };

function pickLang() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q && LANGS.includes(q)) { localStorage.setItem("lang", q); return q; }
  const s = localStorage.getItem("lang");
  return s && LANGS.includes(s) ? s : "de";
}

async function load(lang) {
  const res = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
  state.catalog = await res.json();
  state.lang = lang;
  document.documentElement.lang = lang;
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
  const s = state.catalog[key];
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
