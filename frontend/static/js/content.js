// Text pages (accessibility statement, privacy notice, Impressum, not
// found): headings and paragraphs come from the catalog as <page>.h1,
// <page>.sN.h, <page>.sN.pM; the office's configured details (GET
// /api/v1/office) follow where a page names them.
import { t } from "./i18n.js";
import { el, initPage, officeInfo } from "./ui.js";

/** Office fields each page shows, as [catalog label, field]. */
const OFFICE_FIELDS = {
  impressum: [["office.name", "name"], ["office.address", "address"], ["office.controller", "controller"]],
  datenschutz: [["office.controller", "controller"], ["office.privacyContact", "privacy_contact"]],
  barrierefreiheit: [["office.accessibilityContact", "accessibility_contact"]],
};

async function main() {
  await initPage();
  const art = document.getElementById("content");
  const page = art.dataset.page;
  art.append(el("h1", { text: page + ".h1" }));
  for (let s = 0; s < 20; s++) {
    const base = `${page}.s${s}`;
    if (t(base + ".h") !== base + ".h") art.append(el("h2", { text: base + ".h" }));
    for (let p = 1; p < 20; p++) {
      const key = `${base}.p${p}`;
      if (t(key) === key) break;
      art.append(el("p", { text: key }));
    }
  }
  const fields = OFFICE_FIELDS[page];
  if (fields) art.append(await officeBlock(fields));
}

/** The office's details as a list; unset ones say so rather than vanish. */
async function officeBlock(fields) {
  const office = await officeInfo();
  const dl = el("dl", { class: "office", id: "office-details" });
  for (const [label, field] of fields) {
    const v = office[field] || "";
    const dd = v ? el("dd", { class: "office-value" }, v) : el("dd", { text: "office.unset" });
    if (v && field.endsWith("contact") && v.includes("@")) dd.replaceChildren(el("a", { href: "mailto:" + encodeURIComponent(v) }, v));
    dl.append(el("dt", { text: label }), dd);
  }
  return el("section", { "aria-labelledby": "office-h" }, el("h2", { id: "office-h", text: "office.h" }), dl);
}

main();
