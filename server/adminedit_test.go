package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestAdminEditHoursAndDeleteService: hours are edited in place under the
// rules for adding them, and a service goes only while nobody has booked
// it; misuse gets a JSON error naming the field or the reason.
func TestAdminEditHoursAndDeleteService(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) { testAdminEdit(t, kind) })
	}
}

func testAdminEdit(t *testing.T, kind string) {
	env := newTestEnvClock(t, kind, nil, time.Now)
	admin := env.login(testAdminEmail)
	used, slots := openNow(env, admin) // clerk@amt.example, hours every day 00:00–24:00
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": used, "start": slots[0].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, nil)
	var clerk []struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	}
	admin.mustDo("GET", "/api/v1/admin/users", nil, http.StatusOK, &clerk)
	var clerkID int64
	for _, u := range clerk {
		if u.Email == "clerk@amt.example" {
			clerkID = u.ID
		}
	}
	var unused, mon, tue idJSON
	admin.mustDo("POST", "/api/v1/admin/services", map[string]any{"name": "Alt", "duration_minutes": 15,
		"horizon_days": 7}, http.StatusCreated, &unused)
	hoursPath := "/api/v1/admin/services/" + itoa(unused.ID) + "/hours"
	admin.mustDo("POST", hoursPath, map[string]any{"clerk_id": clerkID, "weekday": 1, "start": "08:00", "end": "10:00"}, http.StatusCreated, &mon)
	admin.mustDo("POST", hoursPath, map[string]any{"clerk_id": clerkID, "weekday": 2, "start": "08:00", "end": "10:00"}, http.StatusCreated, &tue)
	hours := func(id int64) string { return "/api/v1/admin/hours/" + itoa(id) }
	body := func(wd int, start, end string) map[string]any {
		return map[string]any{"clerk_id": clerkID, "weekday": wd, "start": start, "end": end}
	}

	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code, field        string
	}{
		{"start no time", "PUT", hours(mon.ID), body(1, "9 Uhr", "10:00"), 422, "invalid", "start"},
		{"end before start", "PUT", hours(mon.ID), body(1, "10:00", "09:00"), 422, "invalid", "end"},
		{"bad weekday", "PUT", hours(mon.ID), body(8, "08:00", "09:00"), 422, "invalid", "weekday"},
		{"unknown clerk", "PUT", hours(mon.ID), map[string]any{"clerk_id": 999999, "weekday": 1, "start": "08:00", "end": "09:00"}, 422, "invalid", "clerk_id"},
		{"overlaps the other entry", "PUT", hours(mon.ID), body(2, "09:00", "11:00"), 422, "invalid", "start"},
		{"no such hours", "PUT", hours(999999), body(1, "08:00", "09:00"), 404, "not_found", ""},
		{"service in use", "DELETE", "/api/v1/admin/services/" + itoa(used), nil, 409, "service_in_use", ""},
		{"no such service", "DELETE", "/api/v1/admin/services/999999", nil, 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := admin.do(tc.method, tc.path, tc.body, nil)
			var e apiErr
			if err := json.Unmarshal(raw, &e); status != tc.status || err != nil || e.Error.Code != tc.code {
				t.Fatalf("status %d, body %.300s; want %d with code %q", status, raw, tc.status, tc.code)
			}
			if tc.field != "" && e.Error.Fields[tc.field] == "" {
				t.Errorf("fields %v do not name %q", e.Error.Fields, tc.field)
			}
		})
	}

	// Editing may keep the entry's own times (no overlap with itself).
	var got struct {
		ServiceID int64  `json:"service_id"`
		Weekday   int    `json:"weekday"`
		Start     string `json:"start"`
		End       string `json:"end"`
	}
	admin.mustDo("PUT", hours(mon.ID), body(3, "07:30", "10:00"), http.StatusOK, &got)
	admin.mustDo("PUT", hours(mon.ID), body(3, "07:30", "11:00"), http.StatusOK, &got)
	if got.ServiceID != unused.ID || got.Weekday != 3 || got.Start != "07:30" || got.End != "11:00" {
		t.Errorf("edited hours %+v", got)
	}

	admin.mustDo("DELETE", "/api/v1/admin/services/"+itoa(unused.ID), nil, http.StatusNoContent, nil)
	var left []json.RawMessage
	admin.mustDo("GET", hoursPath, nil, http.StatusOK, &left)
	if len(left) != 0 {
		t.Errorf("%d hours of the deleted service remain", len(left))
	}
	admin.mustDo("DELETE", "/api/v1/admin/services/"+itoa(used), nil, http.StatusConflict, nil)
}
