package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestLoadgenBooking runs the booking load generator small, on each
// database: it must finish, find no double booking, and print its figures
// and the closing JSON line.
func TestLoadgenBooking(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"-database", storetest.DSN(t, kind), "-clients", "20", "-clerks", "2",
				"-book-rate", "150", "-book-duration", "1s", "-slots-rate", "200", "-slots-duration", "500ms",
				"-saturate", "300ms", "-series", "250ms"}
			if err := loadgenBooking(context.Background(), args, func(string) string { return "" }, &out, &errOut); err != nil {
				t.Fatalf("loadgen: %v\n%s%s", err, out.String(), errOut.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			var res bookingLoadResult
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
				t.Fatalf("last line is not the result: %v\n%s", err, out.String())
			}
			if res.DoubleBookings != 0 || res.Errors != 0 || res.BookingsCreated == 0 || res.BookingsStored != res.BookingsCreated {
				t.Fatalf("result %+v\n%s", res, out.String())
			}
			if res.BookingRPS <= 0 || res.SlotsRPS <= 0 || res.BookingP99ms <= 0 || res.SlotsP99ms <= 0 {
				t.Fatalf("missing figures: %+v", res)
			}
			for _, want := range []string{"POST /bookings (rush)", "GET slots (week)", "cpu: this process", "+  0.25s"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}
