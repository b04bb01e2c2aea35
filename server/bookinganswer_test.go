package server

import (
	"net/http"
	"testing"
)

// TestBookingAnswerSaysWhetherMailIsSent: the confirmation page promises a
// mail only when one can be sent; the booking answer tells it.
func TestBookingAnswerSaysWhetherMailIsSent(t *testing.T) {
	for _, tc := range []struct {
		name string
		smtp bool
	}{{"without SMTP", false}, {"with SMTP", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var srv *testSMTP
			if tc.smtp {
				srv = startSMTP(t)
			}
			env, _ := newAsyncEnv(t, "sqlite", srv, nil)
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			var got map[string]any
			env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": "2026-03-30T09:00:00+02:00",
				"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &got)
			if v, ok := got["mail_delivery"].(bool); !ok || v != tc.smtp {
				t.Fatalf("mail_delivery = %v, want %v: %v", got["mail_delivery"], tc.smtp, got)
			}
		})
	}
}
