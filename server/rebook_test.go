package server

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRebookRace: many citizens rebook onto the one free slot at once;
// exactly one wins and the clerk is never double-booked.
func TestRebookRace(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			env, _ := newAsyncEnv(t, kind, nil, func(c *Config) { c.RateLimitPerMinute = 0; c.MaxBookingsPerEmail = 0 })
			admin := env.login(testAdminEmail)
			_, svc := env.office(admin, "clerk@amt.example")
			starts := []string{"09:00", "09:30", "10:00", "10:30", "11:00"}
			var bs []bookingOut
			for _, s := range starts {
				bs = append(bs, env.book(svc, "2026-03-30T"+s+":00+02:00", "x@example.org", "de"))
			}
			target := "2026-03-30T11:30:00+02:00"
			codes := make([]int, len(bs))
			var wg sync.WaitGroup
			for i, b := range bs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i], _ = env.client().do("POST", "/api/v1/bookings/manage/"+lastSegment(b.ManageURL)+"/rebook",
						map[string]any{"start": target}, nil)
				}()
			}
			wg.Wait()
			won := 0
			for _, c := range codes {
				switch c {
				case http.StatusOK:
					won++
				case http.StatusConflict:
				default:
					t.Errorf("rebook answered %d", c)
				}
			}
			if won != 1 {
				t.Fatalf("%d rebookings won the last slot (%v)", won, codes)
			}
			var slots []slotOut
			env.client().mustDo("GET", "/api/v1/services/"+itoa(svc)+"/slots?from=2026-03-30&to=2026-03-30", nil, http.StatusOK, &slots)
			if len(slots) != 1 { // the winner's old slot is free again
				t.Fatalf("free slots after the race: %+v", slots)
			}
		})
	}
}
