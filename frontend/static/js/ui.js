// Shared page furniture: header with language switch, footer with the
// legally required links, form error display, small DOM helpers.
import * as i18n from "./i18n.js";
import { langSwitch } from "./langswitch.js";
import { api, ApiError } from "./api.js";

const { t, tr } = i18n;

/**
 * Creates an element. attrs: "text" sets a translation key, "vars" its
 * variables, "class", "on<event>" handlers, anything else an attribute.
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") tr(e, v, attrs.vars);
    else if (k === "vars") continue;
    else if (k === "label") i18n.trAttr(e, "aria-label", v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** @param {string} id */
export const $ = (id) => document.getElementById(id);

const ICON = '<svg aria-hidden="true" focusable="false" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0a4a7a"/><path d="M7 11h12v10H7zM19 14l6-3v10l-6-3z" fill="#fff"/></svg>';

/**
 * Loads the catalog and builds header and footer around <main>.
 * @param {object} [opts]
 * @param {{href:string,key:string}[]} [opts.nav] extra header links
 */
export async function initPage(opts = {}) {
  const [, office] = await Promise.all([i18n.init(), officeInfo()]);
  const main = document.querySelector("main");
  const skip = el("a", { class: "skip", href: "#main", text: "common.skip" });
  const brand = el("a", { class: "brand", href: "/" });
  brand.innerHTML = ICON;
  brand.append(el("span", { text: "common.brand" }));
  const langBtn = langSwitch();
  const navItems = (opts.nav || []).map((n) => el("li", {}, el("a", { href: n.href, text: n.key })));
  const header = el("header", { class: "site" }, brand,
    el("nav", { label: "common.navLabel" }, el("ul", {}, navItems, el("li", {}, langBtn))));
  const footer = el("footer", { class: "site" },
    el("nav", { label: "common.footerLabel" }, el("ul", {},
      el("li", {}, el("a", { href: "/barrierefreiheit", text: "common.a11y" })),
      el("li", {}, el("a", { href: "/datenschutz", text: "common.privacy" })),
      el("li", {}, el("a", { href: "/impressum", text: "common.imprint" })),
      office.accessibility_contact ? el("li", {}, el("a", { href: "mailto:" + encodeURIComponent(office.accessibility_contact) + "?subject=Barriere%20melden", text: "common.feedback" })) : null,
      el("li", {}, el("a", { href: "/staff", text: "common.staffLogin" })))));
  document.body.prepend(skip, header);
  main.after(footer);
  main.id = "main";
  main.tabIndex = -1;
  i18n.apply(document);
  document.documentElement.dataset.ready = "1";
}

/** Shows one view (a <section>) of a page and hides the others, moving focus to its heading. */
export function showView(id, focus = true) {
  for (const s of document.querySelectorAll("main > section[data-view]")) s.hidden = s.id !== id;
  const view = $(id);
  document.documentElement.dataset.view = id;
  if (focus) {
    const h = view.querySelector("h1, h2");
    if (h) { h.tabIndex = -1; h.focus(); }
  }
  return view;
}

/** @type {Promise<import("./api.js").Office>|null} */
let officeOnce = null;

/**
 * The configured office (GET /api/v1/office), asked once per page; a page
 * still renders, without the office's details, when it cannot be read.
 * @returns {Promise<import("./api.js").Office>}
 */
export function officeInfo() {
  officeOnce ||= api.office().catch(() => ({ name: "", address: "", controller: "", privacy_contact: "", accessibility_contact: "" }));
  return officeOnce;
}

/** Removes the field errors of a form. @param {HTMLFormElement} form */
export function clearErrors(form) {
  for (const e of form.querySelectorAll(".error[data-for]")) { e.hidden = true; e.textContent = ""; delete e.dataset.i18n; }
  for (const f of form.querySelectorAll("[aria-invalid]")) f.removeAttribute("aria-invalid");
  const summary = form.querySelector(".form-error");
  if (summary) { summary.hidden = true; }
}

/**
 * Shows the API's field errors next to the fields (aria-invalid and
 * aria-describedby tie them to the input) and focuses the first.
 * Messages come from the catalog by field (see fieldKey); a message the page
 * made itself (no ApiError) is shown as it is.
 * @param {HTMLFormElement} form
 * @param {import("./api.js").ApiError} err
 * @param {string} prefix catalog prefix for field messages
 */
export function showErrors(form, err, prefix) {
  clearErrors(form);
  let first = null;
  for (const [field, msg] of Object.entries(err.fields || {})) {
    const input = form.elements.namedItem(field);
    const box = form.querySelector(`.error[data-for="${field}"]`);
    if (!input || !box) continue;
    if (err instanceof ApiError) tr(box, fieldKey(prefix, field)); else box.textContent = msg;
    box.hidden = false;
    input.setAttribute("aria-invalid", "true");
    first ||= input;
  }
  const summary = form.querySelector(".form-error");
  if (summary && (!first || err.code !== "invalid")) {
    tr(summary, errorKey(err));
    summary.hidden = false;
    if (!first) summary.focus();
  }
  if (first) first.focus();
}

/** Appends aria-describedby ids so hints and errors are read with the field. */
export function describe(input, ...ids) {
  const cur = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  input.setAttribute("aria-describedby", [...new Set([...cur, ...ids])].join(" "));
}

/**
 * Catalog key of a field's problem: the form's own text, else the field's
 * common one, else a general one. The API's reasons are English and for
 * developers; a page never shows them.
 */
export function fieldKey(prefix, field) {
  for (const key of [`${prefix}.${field}`, `field.${field}`]) if (t(key) !== key) return key;
  return "errors.field";
}

/** Catalog key of an API error's code, or the general one. */
export function errorKey(err) {
  const key = "errors." + (err && err.code);
  return t(key) !== key ? key : "errors.unknown";
}

/** Translated message for an API error. */
export function errorText(err) { return t(errorKey(err)); }

/** Puts a translated message into a status element. */
export function status(elem, key, vars) { tr(elem, key, vars); elem.hidden = false; }
