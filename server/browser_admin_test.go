package server

import (
	"net/http"
	"testing"
)

// TestBrowserAdminHoursMessages: adding hours empties the form (a second
// press adds nothing twice) and the result shows where the admin is, with
// the focus on it; so does deleting a row, whose button vanishes. A row's
// hours are edited in place, and an unused service is deleted.
func TestBrowserAdminHoursMessages(t *testing.T) {
	env := browserEnv(t, nil)
	admin := env.login(testAdminEmail)
	admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "clerk@amt.example", "name": "Frau Schmidt",
		"password": testPassword, "role": "clerk"}, http.StatusCreated, nil)
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Kurzberatung", "duration_minutes": 10,
		"horizon_days": 3, "published": true}, http.StatusCreated, nil)
	var unused idJSON
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Alt", "duration_minutes": 10,
		"horizon_days": 3}, http.StatusCreated, &unused)

	adm := newBrowser(t, env.srv.URL).tab("admin")
	adm.open("/admin")
	adm.wait("login form", `document.documentElement.dataset.view === "v-login"`)
	adm.fill("#l-email", testAdminEmail)
	adm.fill("#l-password", testPassword)
	adm.click("#login-form button[type=submit]")
	adm.wait("admin page", `location.pathname === "/admin" && document.documentElement.dataset.view === "v-admin" && document.querySelector("#h-clerk option")`)

	adm.click("#h-wd-1")
	adm.click("#h-wd-2")
	adm.click("#hours-add")
	adm.wait("hours added", `document.querySelectorAll("#hours-table tbody tr").length === 2`)
	adm.wait("message in view and focused", msgInView("hours-msg"))
	if n := eval[int](adm, `document.querySelectorAll('#hours-form input[name="weekday"]:checked').length`); n != 0 {
		t.Errorf("%d weekdays still ticked after adding", n)
	}
	adm.click("#hours-add") // nothing ticked: refused, nothing added twice
	adm.wait("refused", `!document.querySelector("#hours-form .error[data-for=start]").hidden`)
	if n := eval[int](adm, `document.querySelectorAll("#hours-table tbody tr").length`); n != 2 {
		t.Errorf("%d hours after the second press, want 2", n)
	}

	eval[bool](adm, `(document.activeElement.blur(), scrollTo(0, 0), true)`)
	adm.click("#hours-table tbody tr button.danger")
	adm.wait("deleted", `document.querySelectorAll("#hours-table tbody tr").length === 1`)
	adm.wait("delete message in view and focused", msgInView("hours-msg"))

	adm.click("#hours-table tbody tr [data-edit-hours]")
	adm.wait("edit mode", `document.querySelector("#hours-form input[name=id]").value !== ""`)
	adm.fill("#h-end", "11:00")
	adm.click("#hours-add")
	adm.wait("edited in place", `document.querySelectorAll("#hours-table tbody tr").length === 1 && `+
		`document.querySelector("#hours-table tbody").textContent.includes("09:00–11:00")`)
	adm.wait("save message in view and focused", msgInView("hours-msg"))
	if id := eval[string](adm, `document.querySelector("#hours-form input[name=id]").value`); id != "" {
		t.Errorf("form still edits hours %s after saving", id)
	}
	adm.axeCheck("admin after editing hours")

	eval[bool](adm, `(window.confirm = () => true, true)`)
	adm.click(`[data-delete-service="` + itoa(unused.ID) + `"]`)
	adm.wait("service deleted", `!document.querySelector('[data-delete-service="`+itoa(unused.ID)+`"]')`)
	adm.wait("delete message in view and focused", msgInView("services-msg"))
}

// msgInView: the status element has text, the focus, and lies inside the
// window.
func msgInView(id string) string {
	return `(() => { const m = document.getElementById("` + id + `"); const r = m.getBoundingClientRect();
		return !m.hidden && m.textContent.length > 3 && document.activeElement === m && r.top >= 0 && r.bottom <= innerHeight; })()`
}
