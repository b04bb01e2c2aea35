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
        const next = safeNext(new URLSearchParams(location.search).get("next"), location.origin);
        if (next) { location.assign(next); return; }
        resolve(me);
      } catch (err) {
        showErrors(form, err, "staff.err");
      }
    });
  });
}

/**
 * The page to open after signing in: next when it is a path on this site,
 * else null. It is parsed as a URL, as the browser will: "/\\host",
 * "/%09/host" (a tab, which URLs drop), "//host" and "https://x" all lead
 * to other sites, and "/.//host" to a path that would.
 * @param {string|null} next
 * @param {string} origin this page's location.origin
 * @returns {string|null} path, query and fragment of next, or null
 */
export function safeNext(next, origin) {
  if (!next || !next.startsWith("/")) return null;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return null;
  return url.pathname + url.search + url.hash;
}
