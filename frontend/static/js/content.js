// Text pages (accessibility statement, privacy notice): headings and
// paragraphs come from the catalog as <page>.h1, <page>.sN.h, <page>.sN.pM.
import { t } from "./i18n.js";
import { el, initPage } from "./ui.js";

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
}

main();
