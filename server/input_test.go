package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadBookingInput: every kind of bad input gets a 4xx with a JSON body
// naming the field, and nothing stored changes.
func TestBadBookingInput(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	_, svc := env.office(admin, "clerk@amt.example")
	c := env.client()
	var first bookingOut
	c.mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T09:00:00+02:00",
		"name": "E", "email": "first@example.org", "consent": true}, http.StatusCreated, &first)

	valid := func(change map[string]any) map[string]any {
		b := map[string]any{"service_id": svc, "start": "2026-03-30T10:00:00+02:00", "name": "Erika",
			"email": "erika@example.org", "consent": true}
		for k, v := range change {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"malformed JSON", `{"service_id":`, 400, "malformed_json", ""},
		{"not an object", `[1,2]`, 400, "malformed_json", ""},
		{"empty body", ``, 400, "malformed_json", ""},
		{"trailing data", `{"service_id":1}{}`, 400, "malformed_json", ""},
		{"unknown field", valid(map[string]any{"admin": true}), 422, "invalid", "admin"},
		{"wrong type", valid(map[string]any{"consent": "yes"}), 422, "invalid", "consent"},
		{"id as word", valid(map[string]any{"service_id": "abc"}), 422, "invalid", "service_id"},
		{"missing consent", valid(map[string]any{"consent": nil}), 422, "invalid", "consent"},
		{"consent false", valid(map[string]any{"consent": false}), 422, "invalid", "consent"},
		{"invalid e-mail", valid(map[string]any{"email": "erika@"}), 422, "invalid", "email"},
		{"missing name", valid(map[string]any{"name": nil}), 422, "invalid", "name"},
		{"name too long", valid(map[string]any{"name": strings.Repeat("x", 201)}), 422, "invalid", "name"},
		{"start not RFC 3339", valid(map[string]any{"start": "30.03.2026 10:00"}), 422, "invalid", "start"},
		{"start off the grid", valid(map[string]any{"start": "2026-03-30T10:10:00+02:00"}), 422, "invalid", "start"},
		{"start in the past", valid(map[string]any{"start": "2026-03-23T10:00:00+01:00"}), 422, "invalid", "start"},
		{"start inside notice", valid(map[string]any{"start": "2026-03-27T08:30:00+01:00"}), 422, "invalid", "start"},
		{"start beyond horizon", valid(map[string]any{"start": "2026-05-04T10:00:00+02:00"}), 422, "invalid", "start"},
		{"start outside hours", valid(map[string]any{"start": "2026-03-30T15:00:00+02:00"}), 422, "invalid", "start"},
		{"unknown service", valid(map[string]any{"service_id": 999}), 422, "invalid", "service_id"},
		{"taken slot", valid(map[string]any{"start": "2026-03-30T09:00:00+02:00"}), 409, "slot_taken", ""},
		{"oversized body", `{"name":"` + strings.Repeat("x", 70000) + `"}`, 413, "body_too_large", ""},
		{"bad language", valid(map[string]any{"language": "klingon"}), 422, "invalid", "language"},
		{"page language without pages", valid(map[string]any{"locale": "fr"}), 422, "invalid", "locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			got, raw := c.do("POST", "/api/v1/bookings", tt.body, &e)
			if got != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Fatalf("status %d code %q, want %d %q: %s", got, e.Error.Code, tt.status, tt.code, raw)
			}
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Fatalf("field %q not named: %s", tt.field, raw)
			}
		})
	}
	var m bookingOut
	c.mustDo("GET", "/api/v1/bookings/manage/"+lastSegment(first.ManageURL), nil, http.StatusOK, &m)
	var n int64
	env.rawSQL().Raw("SELECT count(*) FROM appointments").Scan(&n)
	if m.Status != "booked" || n != 1 {
		t.Fatalf("stored data changed: %+v, %d appointments", m, n)
	}
}

func TestBadStaffInput(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	admin := env.login(testAdminEmail)
	clerk, svc := env.office(admin, "clerk@amt.example")
	tests := []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"duration zero", "POST", "/api/v1/admin/services", map[string]any{"name": "X", "duration_minutes": 0, "horizon_days": 5}, 422, "duration_minutes"},
		{"service without name", "POST", "/api/v1/admin/services", map[string]any{"duration_minutes": 30, "horizon_days": 5}, 422, "name"},
		{"update unknown service", "PUT", "/api/v1/admin/services/999", map[string]any{"name": "X", "duration_minutes": 30, "horizon_days": 5}, 404, ""},
		{"hours bad clock", "POST", "/api/v1/admin/services/" + itoa(svc) + "/hours", map[string]any{"clerk_id": clerk, "weekday": 2, "start": "9", "end": "12:00"}, 422, "start"},
		{"hours end before start", "POST", "/api/v1/admin/services/" + itoa(svc) + "/hours", map[string]any{"clerk_id": clerk, "weekday": 2, "start": "12:00", "end": "09:00"}, 422, "end"},
		{"hours bad weekday", "POST", "/api/v1/admin/services/" + itoa(svc) + "/hours", map[string]any{"clerk_id": clerk, "weekday": 8, "start": "09:00", "end": "12:00"}, 422, "weekday"},
		{"hours unknown clerk", "POST", "/api/v1/admin/services/" + itoa(svc) + "/hours", map[string]any{"clerk_id": 999, "weekday": 2, "start": "09:00", "end": "12:00"}, 422, "clerk_id"},
		{"hours overlap", "POST", "/api/v1/admin/services/" + itoa(svc) + "/hours", map[string]any{"clerk_id": clerk, "weekday": 1, "start": "11:00", "end": "13:00"}, 422, "start"},
		{"hours unknown service", "POST", "/api/v1/admin/services/999/hours", map[string]any{"clerk_id": clerk, "weekday": 2, "start": "09:00", "end": "12:00"}, 404, ""},
		{"closure bad date", "POST", "/api/v1/admin/closures", map[string]any{"date": "24.12.2026"}, 422, "date"},
		{"user weak password", "POST", "/api/v1/admin/users", map[string]any{"email": "x@amt.example", "name": "X", "password": "short", "role": "clerk"}, 422, "password"},
		{"user bad role", "POST", "/api/v1/admin/users", map[string]any{"email": "x@amt.example", "name": "X", "password": testPassword, "role": "root"}, 422, "role"},
		{"user duplicate e-mail", "POST", "/api/v1/admin/users", map[string]any{"email": "CLERK@amt.example", "name": "X", "password": testPassword, "role": "clerk"}, 409, "email"},
		{"admin demotes self", "PATCH", "/api/v1/admin/users/1", map[string]any{"role": "clerk"}, 422, "active"},
		{"empty note", "POST", "/api/v1/cases/2026-000001/notes", map[string]any{"text": " "}, 422, "text"},
		{"unknown case", "GET", "/api/v1/cases/1999-000001", nil, 404, ""},
		{"bad status", "POST", "/api/v1/cases/2026-000001/status", map[string]any{"status": "archived"}, 422, "status"},
		{"slots bad date", "GET", "/api/v1/services/" + itoa(svc) + "/slots?from=tomorrow", nil, 422, "from"},
		{"slots range too long", "GET", "/api/v1/services/" + itoa(svc) + "/slots?from=2026-03-30&to=2027-03-30", nil, 422, "to"},
		{"slots unknown service", "GET", "/api/v1/services/999/slots", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			got, raw := admin.do(tt.method, tt.path, tt.body, &e)
			if got != tt.status || e.Error.Code == "" {
				t.Fatalf("status %d, want %d: %s", got, tt.status, raw)
			}
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Fatalf("field %q not named: %s", tt.field, raw)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("per IP", func(t *testing.T) {
		env := newTestEnv(t, "sqlite", func(c *Config) { c.RateLimitPerMinute = 5 })
		c := env.client()
		for i := 0; i < 5; i++ {
			c.mustDo("GET", "/api/v1/bookings/manage/unknown", nil, http.StatusNotFound, nil)
		}
		var e apiErr
		c.mustDo("POST", "/api/v1/bookings", "{}", http.StatusTooManyRequests, &e)
		if e.Error.Code != "rate_limited" {
			t.Fatalf("%+v", e)
		}
		c.mustDo("GET", "/api/v1/services", nil, http.StatusOK, nil) // browsing stays open
	})
	t.Run("per e-mail", func(t *testing.T) {
		env := newTestEnv(t, "sqlite", func(c *Config) { c.MaxBookingsPerEmail = 2 })
		admin := env.login(testAdminEmail)
		_, svc := env.office(admin, "clerk@amt.example")
		c := env.client()
		for i, start := range []string{"09:00", "09:30", "10:00"} {
			want := http.StatusCreated
			if i == 2 {
				want = http.StatusConflict
			}
			var e apiErr
			c.mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T" + start + ":00+02:00",
				"name": "E", "email": "same@example.org", "consent": true}, want, &e)
			if i == 2 && e.Error.Code != "too_many_bookings" {
				t.Fatalf("%+v", e)
			}
		}
	})
}
