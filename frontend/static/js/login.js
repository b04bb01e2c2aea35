// Staff sign-in shared by the staff, console and admin pages.
import { api } from "./api.js";
import { $, showErrors, showView } from "./ui.js";

/**
 * Resolves with the signed-in user. Without a session it shows the login
 * form (when the page has one) or sends the browser to /staff.
 * @returns {Promise<import("./api.js").Me>}
 */
export async function requireStaff() {
  try {
    return await api.me();
  } catch (err) {
    if (err.status !== 401) throw err;
  }
  const form = /** @type {HTMLFormElement|null} */ ($("login-form"));
  if (!form) {
    showView("v-login", false);
    location.assign("/staff?next=" + encodeURIComponent(location.pathname + location.search));
    return new Promise(() => {});
  }
  showView("v-login", false);
  return new Promise((resolve) => {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const me = await api.login(form.elements.namedItem("email").value, form.elements.namedItem("password").value);
        const next = new URLSearchParams(location.search).get("next");
        if (next && next.startsWith("/") && !next.startsWith("//")) { location.assign(next); return; }
        resolve(me);
      } catch (err) {
        showErrors(form, err, "staff.err");
      }
    });
  });
}
