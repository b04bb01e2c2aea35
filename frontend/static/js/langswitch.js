// The language switch in the page header: every language the page is
// offered in, each named in itself (a Turkish reader looks for "Türkçe",
// not for "Turkish" in a language they may not read).
import * as i18n from "./i18n.js";

const NAMES = { de: "Deutsch", en: "English", tr: "Türkçe", ar: "العربية", uk: "Українська", ru: "Русский", pl: "Polski" };

/** @returns {HTMLSelectElement} */
export function langSwitch() {
  const sel = document.createElement("select");
  sel.id = "lang-switch";
  i18n.trAttr(sel, "aria-label", "common.language");
  for (const l of i18n.langs()) {
    const o = document.createElement("option");
    o.value = l;
    o.lang = l;
    o.dir = "auto";
    o.textContent = NAMES[l] || l;
    sel.append(o);
  }
  sel.value = i18n.lang();
  sel.addEventListener("change", () => i18n.setLang(sel.value));
  return sel;
}
