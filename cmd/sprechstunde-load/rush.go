package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// rush holds the office the load runs against.
type rush struct {
	l         bookingLoad
	base      string
	http      *http.Client
	serviceID int64
	day       booking.Date
	weekFrom  booking.Date
	emailSeq  sync.Mutex
	seq       int
}

func (r *rush) newLatencies(name string) *latencies {
	l := newLatencies(name)
	l.step = r.l.series
	return l
}

func (r *rush) nextEmail() string {
	r.emailSeq.Lock()
	defer r.emailSeq.Unlock()
	r.seq++
	return fmt.Sprintf("buerger%d@example.org", r.seq)
}

// setup creates clerks and a ten-minute service with hours on the rush day
// (a week ahead) and the day after (for the saturation phase).
func (r *rush) setup(ctx context.Context) error {
	jar, _ := cookiejar.New(nil)
	admin := &http.Client{Jar: jar, Transport: r.http.Transport, Timeout: 30 * time.Second}
	var login loginResponse
	if err := postJSON(ctx, admin, r.base+"/api/v1/auth/login", "", loginRequest{Email: r.l.adminEmail, Password: r.l.adminPassword}, http.StatusOK, &login); err != nil {
		return fmt.Errorf("loadgen: admin login: %w", err)
	}
	csrf := login.CSRFToken
	// The rush measures the server: a challenge solved per booking would
	// measure the generator's CPU instead (the server's share is one hash
	// and one HMAC), so the target must run without it.
	if st, _, err := doJSON(ctx, r.http, http.MethodGet, r.base+"/api/v1/bookings/challenge", "", nil, nil); err != nil {
		return fmt.Errorf("loadgen: booking challenge: %w", err)
	} else if st != http.StatusNoContent {
		return fmt.Errorf("loadgen: the target asks for a booking challenge (status %d); run it with booking_challenge.enabled: false", st)
	}
	stamp := time.Now().UnixNano()
	var svc idAnswer
	if err := postJSON(ctx, admin, r.base+"/api/v1/admin/services", csrf, serviceInput{Name: fmt.Sprintf("Lasttest %d", stamp),
		DurationMinutes: 10, HorizonDays: 30, Published: true}, http.StatusCreated, &svc); err != nil {
		return fmt.Errorf("loadgen: create service: %w", err)
	}
	r.serviceID = svc.ID
	r.day = booking.DateOf(time.Now().AddDate(0, 0, 7))
	r.weekFrom = r.day.AddDays(-(r.day.ISOWeekday() - 1))
	pw, err := randomPassword()
	if err != nil {
		return err
	}
	for i := 0; i < r.l.clerks; i++ {
		var u idAnswer
		if err := postJSON(ctx, admin, r.base+"/api/v1/admin/users", csrf, userInput{Email: fmt.Sprintf("lastclerk%d-%d@example.org", stamp, i),
			Name: fmt.Sprintf("Clerk %d", i), Password: pw + pw, Role: "clerk"}, http.StatusCreated, &u); err != nil {
			return fmt.Errorf("loadgen: create clerk: %w", err)
		}
		for _, d := range []booking.Date{r.day, r.day.AddDays(1)} {
			if err := postJSON(ctx, admin, fmt.Sprintf("%s/api/v1/admin/services/%d/hours", r.base, svc.ID), csrf,
				hoursInput{ClerkID: u.ID, Weekday: d.ISOWeekday(), Start: "08:00", End: "18:00"}, http.StatusCreated, nil); err != nil {
				return fmt.Errorf("loadgen: hours: %w", err)
			}
		}
	}
	return nil
}

// pace runs one goroutine per client until d has passed. Each client's
// requests are scheduled clients/rate apart from a random offset, so the
// offered rate is fixed (open loop) and latency is measured from the
// scheduled time: a slow server cannot hide its queueing by slowing the
// clients down. newClient returns a client's step; the step calls wait when
// it is ready to send (false: the phase is over) and returns false to stop.
func (r *rush) pace(ctx context.Context, rate float64, d time.Duration,
	newClient func() func(scheduled time.Time, wait func() bool) bool) (start, end time.Time) {
	interval := time.Duration(float64(r.l.clients) / rate * float64(time.Second))
	start = time.Now()
	end = start.Add(d)
	var wg sync.WaitGroup
	for i := 0; i < r.l.clients; i++ {
		step := newClient()
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := start.Add(time.Duration(rand.Int64N(int64(interval))))
			for ctx.Err() == nil {
				scheduled := next
				wait := func() bool { sleepUntil(ctx, scheduled); return time.Now().Before(end) }
				if !step(scheduled, wait) {
					return
				}
				next = next.Add(interval)
			}
		}()
	}
	wg.Wait()
	return start, minTime(time.Now(), end)
}

// bookPhase runs the paced rush: each client books a random free slot of
// day as seen in its last listing, refreshing the listing after a 409.
func (r *rush) bookPhase(ctx context.Context, day booking.Date, rate float64, d time.Duration) (book, refresh *latencies) {
	book, refresh = r.newLatencies("POST /bookings (rush)"), r.newLatencies("GET slots (refresh in rush)")
	start, end := r.pace(ctx, rate, d, func() func(time.Time, func() bool) bool {
		var free []slot
		stale, arrived := true, false
		return func(scheduled time.Time, wait func() bool) bool {
			if !arrived {
				// Citizens arrive spread over the first interval, not all
				// at the same instant: the first turn only opens the list.
				arrived = true
				return wait()
			}
			if stale {
				t0 := time.Now()
				st, _, err := doJSON(ctx, r.http, http.MethodGet, r.slotsURL(day, day), "", nil, &free)
				refresh.add(time.Since(t0), st, err)
				stale = false
				if len(free) == 0 {
					return false // the day is full for everyone
				}
			}
			if !wait() {
				return false
			}
			// A booking is timed from its schedule, or from the end of this
			// client's own refresh if that ended later: the refresh has its
			// own latency line and must not be counted twice.
			scheduled = later(scheduled, time.Now())
			pick := rand.IntN(len(free))
			st, _, err := doJSON(ctx, r.http, http.MethodPost, r.base+"/api/v1/bookings", "", bookingRequest{
				ServiceID: r.serviceID, Start: free[pick].Start, Name: "Lasttest Bürgerin",
				Email: r.nextEmail(), Consent: true, Language: "de"}, nil)
			book.add(time.Since(scheduled), st, err)
			free = append(free[:pick], free[pick+1:]...)
			stale = st == http.StatusConflict || len(free) == 0
			return true
		}
	})
	// The first interval only opens the lists (arrivals), so bookings are
	// counted from the first scheduled one.
	interval := time.Duration(float64(r.l.clients) / rate * float64(time.Second))
	book.span(start.Add(interval), end)
	refresh.span(start, end)
	return book, refresh
}

// slotsPhase lists the rush week's slots at a paced rate.
func (r *rush) slotsPhase(ctx context.Context, rate float64, d time.Duration) *latencies {
	lat := r.newLatencies("GET slots (week)")
	start, end := r.pace(ctx, rate, d, func() func(time.Time, func() bool) bool {
		return func(scheduled time.Time, wait func() bool) bool {
			if !wait() {
				return false
			}
			st, err := r.list(ctx)
			lat.add(time.Since(scheduled), st, err)
			return true
		}
	})
	lat.span(start, end)
	return lat
}

func (r *rush) slotsURL(from, to booking.Date) string {
	return fmt.Sprintf("%s/api/v1/services/%d/slots?from=%s&to=%s", r.base, r.serviceID, from, to)
}

// list fetches the week's slots and drains the body without decoding, as
// a browser would only render it.
func (r *rush) list(ctx context.Context) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.slotsURL(r.weekFrom, r.weekFrom.AddDays(6)), nil)
	if err != nil {
		return 0, err
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// bookOnce returns a request that books a random start of day, free or
// not: the starts are read once, so later requests meet taken slots.
func (r *rush) bookOnce(ctx context.Context, day booking.Date) (func(context.Context) (int, error), error) {
	var slots []slot
	if _, _, err := doJSON(ctx, r.http, http.MethodGet, r.slotsURL(day, day), "", nil, &slots); err != nil || len(slots) == 0 {
		return nil, fmt.Errorf("loadgen: slots of %s: %d found, %v", day, len(slots), err)
	}
	return func(ctx context.Context) (int, error) {
		st, _, err := doJSON(ctx, r.http, http.MethodPost, r.base+"/api/v1/bookings", "", bookingRequest{
			ServiceID: r.serviceID, Start: slots[rand.IntN(len(slots))].Start, Name: "Lasttest",
			Email: r.nextEmail(), Consent: true}, nil)
		return st, err
	}, nil
}

// closedLoop lets every client send requests back to back for d: the
// highest throughput, at the cost of queueing latency.
func (r *rush) closedLoop(ctx context.Context, name string, d time.Duration, do func(context.Context) (int, error)) *latencies {
	lat := r.newLatencies(name)
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for i := 0; i < r.l.clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(end) {
				t0 := time.Now()
				st, err := do(ctx)
				lat.add(time.Since(t0), st, err)
			}
		}()
	}
	wg.Wait()
	lat.span(start, time.Now())
	return lat
}

func sleepUntil(ctx context.Context, t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
	case <-ctx.Done():
	}
}

// later returns the scheduled time unless the client was still busy with
// its previous request then (now is when it became free to send).
func later(scheduled, now time.Time) time.Time {
	if now.Sub(scheduled) > time.Millisecond {
		return now
	}
	return scheduled
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
