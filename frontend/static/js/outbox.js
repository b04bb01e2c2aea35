// The admin's view of the outbox: a banner while mail cannot be sent
// (SMTP not configured), counts, and the queued and failed mails with
// their reason and a retry for failed ones. Recipients arrive masked.
import { api } from "./api.js";
import { tr } from "./i18n.js";
import { $, el, errorText } from "./ui.js";

/** Loads the outbox into #outbox and shows or hides #smtp-banner. */
export async function loadOutbox() {
  const st = await api.mailStatus();
  $("smtp-banner").hidden = st.smtp_configured;
  tr($("outbox-counts"), "outbox.counts", { pending: st.counts.pending || 0, failed: st.counts.failed || 0, sent: st.counts.sent || 0 });
  if (!st.undelivered.length) { $("outbox").replaceChildren(el("p", { text: "outbox.empty" })); return; }
  const rows = st.undelivered.map((m) => {
    const retry = m.status === "failed"
      ? el("button", { type: "button", "data-retry": m.id, text: "outbox.retry", vars: { n: m.id } })
      : null;
    retry?.addEventListener("click", () => retryMail(m.id));
    return el("tr", { "data-mail": m.id },
      el("td", { text: "outbox.kind." + m.kind }), el("td", {}, m.recipient),
      el("td", { text: "outbox.status." + m.status }), el("td", {}, String(m.attempts)),
      el("td", { class: "reason" }, m.last_error || "–"),
      el("td", { text: "outbox.createdAt", vars: { atDay: m.created_at, atTime: m.created_at } }),
      el("td", {}, retry));
  });
  const heads = ["outbox.colKind", "outbox.colTo", "outbox.colStatus", "outbox.colAttempts", "outbox.colReason", "outbox.colCreated", "admin.colAction"];
  $("outbox").replaceChildren(el("table", {}, el("caption", { class: "visually-hidden", text: "outbox.h2" }),
    el("thead", {}, el("tr", {}, heads.map((k) => el("th", { scope: "col", text: k })))), el("tbody", {}, rows)));
}

async function retryMail(id) {
  const status = $("outbox-status");
  try {
    await api.retryMail(id);
    tr(status, "outbox.retried", { n: id });
  } catch (err) {
    status.textContent = errorText(err);
  }
  await loadOutbox();
}
