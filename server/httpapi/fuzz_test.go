package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// FuzzDecodeBooking: no body makes decoding panic or answer anything but a
// 4xx apiError, and a decoded body always validates without panicking.
func FuzzDecodeBooking(f *testing.F) {
	for _, s := range []string{
		`{"service_id":1,"start":"2026-03-30T09:00:00+02:00","name":"E","email":"e@example.org","consent":true}`,
		`{"service_id":"7"}`, `{"service_id":-1}`, `{"service_id":1e99}`, `{"consent":"yes"}`, `[]`, `null`, `{`, ``,
		`{"name":"\u0000"}`, `{"a":1}`, `{"service_id":1}{}`, `{"topic":` + strings.Repeat(`"x`, 10) + `}`,
	} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/bookings", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		req.Body = http.MaxBytesReader(rec, req.Body, 1<<16)
		c := e.NewContext(req, rec)
		var dst bookingRequestJSON
		err := decodeJSON(c, &dst)
		if err == nil {
			return
		}
		ae := toAPIError(err)
		if ae == nil || ae.Status < 400 || ae.Status > 499 || ae.Code == "" {
			t.Fatalf("body %q: error %v maps to %+v", body, err, ae)
		}
	})
}
