package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
)

// bookingLoad configures `sprechstunde loadgen booking`.
type bookingLoad struct {
	target        string
	database      string
	clients       int
	clerks        int
	bookRate      float64
	bookDuration  time.Duration
	slotsRate     float64
	slotsDuration time.Duration
	saturate      time.Duration
	adminEmail    string
	adminPassword string
	cpuProfile    string
	series        time.Duration
}

func parseBookingLoad(args []string, getenv func(string) string, stderr io.Writer) (bookingLoad, error) {
	fs := flag.NewFlagSet("loadgen booking", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l bookingLoad
	fs.StringVar(&l.target, "target", "", "base URL of a running server to load (default: start one in this process)")
	fs.StringVar(&l.database, "database", getenv("SPRECHSTUNDE_DATABASE"), "database of the in-process server (default: a temporary SQLite file), or of -target for the double-booking check")
	fs.IntVar(&l.clients, "clients", 500, "concurrent clients")
	fs.IntVar(&l.clerks, "clerks", 60, "clerks offering the rush day (each has 60 ten-minute slots)")
	fs.Float64Var(&l.bookRate, "book-rate", 1200, "booking requests per second offered by all clients together")
	fs.DurationVar(&l.bookDuration, "book-duration", 5*time.Second, "length of the booking rush")
	fs.Float64Var(&l.slotsRate, "slots-rate", 3600, "slot listings per second offered after the rush")
	fs.DurationVar(&l.slotsDuration, "slots-duration", 5*time.Second, "length of the slot-listing phase")
	fs.DurationVar(&l.saturate, "saturate", 4*time.Second, "length of each closed-loop saturation phase (0 = skip)")
	fs.StringVar(&l.adminEmail, "admin-email", getenv("SPRECHSTUNDE_ADMIN_EMAIL"), "admin login of -target")
	fs.StringVar(&l.adminPassword, "admin-password", getenv("SPRECHSTUNDE_ADMIN_PASSWORD"), "admin password of -target")
	fs.DurationVar(&l.series, "series", 0, "also print p50/p99 per interval of this length (e.g. 250ms), to locate a tail")
	fs.StringVar(&l.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (server included when in-process) to this file")
	if err := fs.Parse(args); err != nil {
		return l, err
	}
	if l.clients < 1 || l.clerks < 1 || l.bookRate <= 0 || l.slotsRate <= 0 {
		return l, errors.New("loadgen booking: -clients, -clerks, -book-rate and -slots-rate must be positive")
	}
	if l.target != "" && (l.adminEmail == "" || l.adminPassword == "") {
		return l, errors.New("loadgen booking: -target needs -admin-email and -admin-password")
	}
	return l, nil
}

// bookingLoadResult is the closing JSON line.
type bookingLoadResult struct {
	Database            string  `json:"database"`
	Clients             int     `json:"clients"`
	DoubleBookings      int     `json:"double_bookings"`
	BookingsCreated     int     `json:"bookings_created"`
	BookingsStored      int     `json:"bookings_stored"`
	Conflicts           int     `json:"conflicts"`
	BookingOfferedRPS   float64 `json:"booking_offered_rps"`
	BookingRPS          float64 `json:"booking_rps"`
	BookingP50ms        float64 `json:"booking_p50_ms"`
	BookingP99ms        float64 `json:"booking_p99_ms"`
	SlotsOfferedRPS     float64 `json:"slots_offered_rps"`
	SlotsRPS            float64 `json:"slots_rps"`
	SlotsP50ms          float64 `json:"slots_p50_ms"`
	SlotsP99ms          float64 `json:"slots_p99_ms"`
	SaturatedBookingRPS float64 `json:"saturated_booking_rps,omitempty"`
	SaturatedSlotsRPS   float64 `json:"saturated_slots_rps,omitempty"`
	Errors              int     `json:"errors"`
}

func loadgenBooking(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	l, err := parseBookingLoad(args, getenv, stderr)
	if err != nil {
		return err
	}
	if l.cpuProfile != "" {
		f, err := os.Create(l.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	base, store, stop, err := l.server(ctx, getenv)
	if err != nil {
		return err
	}
	defer stop()

	r := &rush{l: l, base: base, http: loadClient(l.clients)}
	fmt.Fprintf(stdout, "loadgen booking: %d clients against %s (%s)\n", l.clients, base, databaseName(l.database))
	if err := r.setup(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rush day %s: %d clerks x 60 slots = %d appointments to win\n", r.day, l.clerks, l.clerks*60)

	fmt.Fprintf(stdout, "phase 1, booking rush: %.0f booking req/s offered for %s (latency from the scheduled send time)\n", l.bookRate, l.bookDuration)
	mark := markCPU()
	book, refresh := r.bookPhase(ctx, r.day, l.bookRate, l.bookDuration)
	bs := book.print(stdout)
	refresh.print(stdout)
	fmt.Fprintln(stdout, mark.since())

	fmt.Fprintf(stdout, "phase 2, slot listing: %.0f req/s offered for %s\n", l.slotsRate, l.slotsDuration)
	mark = markCPU()
	slots := r.slotsPhase(ctx, l.slotsRate, l.slotsDuration)
	ss := slots.print(stdout)
	fmt.Fprintln(stdout, mark.since())

	res := bookingLoadResult{
		Database: databaseName(l.database), Clients: l.clients,
		BookingsCreated: bs.Statuses[http.StatusCreated], Conflicts: bs.Statuses[http.StatusConflict],
		BookingOfferedRPS: l.bookRate, BookingRPS: round1(bs.RPS), BookingP50ms: ms(bs.P50), BookingP99ms: ms(bs.P99),
		SlotsOfferedRPS: l.slotsRate, SlotsRPS: round1(ss.RPS), SlotsP50ms: ms(ss.P50), SlotsP99ms: ms(ss.P99),
		Errors: bs.Errors + ss.Errors + unexpected(bs.Statuses, 201, 409) + unexpected(ss.Statuses, 200),
	}
	if l.saturate > 0 {
		fmt.Fprintf(stdout, "phase 3, saturation (closed loop, %d clients, no pacing) for %s each\n", l.clients, l.saturate)
		bookOnce, err := r.bookOnce(ctx, r.day.AddDays(1))
		if err != nil {
			return err
		}
		satBook := r.closedLoop(ctx, "POST /bookings (saturated)", l.saturate, bookOnce)
		sb := satBook.print(stdout)
		satSlots := r.closedLoop(ctx, "GET slots (saturated)", l.saturate, r.list)
		sl := satSlots.print(stdout)
		res.SaturatedBookingRPS, res.SaturatedSlotsRPS = round1(sb.RPS), round1(sl.RPS)
		res.BookingsCreated += sb.Statuses[http.StatusCreated]
		res.Errors += sb.Errors + sl.Errors + unexpected(sb.Statuses, 201, 409) + unexpected(sl.Statuses, 200)
	}
	res.DoubleBookings, res.BookingsStored = -1, -1
	if store != nil {
		if res.DoubleBookings, res.BookingsStored, err = checkDoubleBookings(ctx, store, r.serviceID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database check: %d bookings answered 201, %d stored, %d double bookings\n",
			res.BookingsCreated, res.BookingsStored, res.DoubleBookings)
	} else {
		fmt.Fprintln(stdout, "database check skipped: pass -database with the target's database to check double bookings")
	}
	line, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(line))
	if res.DoubleBookings > 0 || (store != nil && res.BookingsStored != res.BookingsCreated) {
		return fmt.Errorf("loadgen booking: %d double bookings, %d stored for %d confirmed", res.DoubleBookings, res.BookingsStored, res.BookingsCreated)
	}
	return nil
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func unexpected(statuses map[int]int, ok ...int) int {
	n := 0
	for st, c := range statuses {
		good := false
		for _, o := range ok {
			good = good || st == o
		}
		if !good {
			n += c
		}
	}
	return n
}

func databaseName(dsn string) string {
	if gormstore.IsPostgres(dsn) {
		return "postgresql"
	}
	return "sqlite"
}

// server starts an in-process server unless -target is given, and opens the
// database for the double-booking check when it is known.
func (l *bookingLoad) server(ctx context.Context, getenv func(string) string) (string, *gormstore.Store, func(), error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if l.target != "" {
		if l.database == "" {
			return l.target, nil, func() {}, nil
		}
		st, err := gormstore.Open(ctx, l.database, quiet)
		if err != nil {
			return "", nil, nil, err
		}
		return l.target, st, func() { _ = st.Close() }, nil
	}
	var cleanup []func()
	if l.database == "" {
		dir, err := os.MkdirTemp("", "sprechstunde-loadgen")
		if err != nil {
			return "", nil, nil, err
		}
		cleanup = append(cleanup, func() { _ = os.RemoveAll(dir) })
		l.database = filepath.Join(dir, "loadgen.db")
	}
	pw, err := demoPassword()
	if err != nil {
		return "", nil, nil, err
	}
	l.adminEmail, l.adminPassword = "loadgen-admin@example.org", pw+pw
	secret, err := demoPassword()
	if err != nil {
		return "", nil, nil, err
	}
	cfg, err := Load(nil, func(k string) string {
		switch k {
		case "SPRECHSTUNDE_SECRET_KEY":
			return secret + pw // a key for this run: no key file left behind

		case "SPRECHSTUNDE_DATABASE":
			return l.database
		case "SPRECHSTUNDE_HTTP_ADDR":
			return "127.0.0.1:0"
		case "SPRECHSTUNDE_RATE_LIMIT_PER_MINUTE", "SPRECHSTUNDE_MAX_BOOKINGS_PER_EMAIL":
			return "0"
		case "SPRECHSTUNDE_DEMO":
			return "false"
		case "SPRECHSTUNDE_SFU_UDP_PORT", "SPRECHSTUNDE_SFU_TCP_PORT", "SPRECHSTUNDE_SFU_TURN_PORT":
			return "0" // the rush needs no media; stay off the real ports
		case "SPRECHSTUNDE_SFU_LOOPBACK_ONLY":
			return "true"
		case "SPRECHSTUNDE_BOOKING_CHALLENGE_ENABLED":
			return "false" // the proof of work is the client's cost; see setup
		case "SPRECHSTUNDE_ADMIN_EMAIL":
			return l.adminEmail
		case "SPRECHSTUNDE_ADMIN_PASSWORD":
			return l.adminPassword
		}
		return getenv(k)
	})
	if err != nil {
		return "", nil, nil, err
	}
	app, err := NewApp(ctx, cfg, quiet)
	if err != nil {
		return "", nil, nil, err
	}
	if err := app.bootstrap(ctx, io.Discard); err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return "", nil, nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = app.Serve(sctx, ln); close(done) }()
	stop := func() {
		cancel()
		<-done
		_ = app.Close()
		for _, f := range cleanup {
			f()
		}
	}
	return "http://" + ln.Addr().String(), app.store, stop, nil
}

// loadClient keeps one connection per client, like that many browsers.
func loadClient(clients int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = clients * 2
	tr.MaxIdleConnsPerHost = clients * 2
	tr.MaxConnsPerHost = 0
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func checkDoubleBookings(ctx context.Context, st *gormstore.Store, serviceID int64) (double, stored int, err error) {
	var n int64
	err = st.DB().WithContext(ctx).Raw(`SELECT count(*) FROM appointments a JOIN appointments b
		ON a.clerk_id = b.clerk_id AND a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
		AND a.start_unix < b.busy_until_unix AND b.start_unix < a.busy_until_unix`).Scan(&n).Error
	if err != nil {
		return 0, 0, fmt.Errorf("loadgen: double-booking check: %w", err)
	}
	var s int64
	err = st.DB().WithContext(ctx).Raw(`SELECT count(*) FROM appointments WHERE service_id = ? AND status = 'booked'`, serviceID).Scan(&s).Error
	if err != nil {
		return 0, 0, fmt.Errorf("loadgen: count bookings: %w", err)
	}
	return int(n), int(s), nil
}

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
	var svc serviceJSON
	if err := postJSON(ctx, admin, r.base+"/api/v1/admin/services", csrf, serviceInputJSON{Name: fmt.Sprintf("Lasttest %d", stamp),
		DurationMinutes: 10, HorizonDays: 30, Published: true}, http.StatusCreated, &svc); err != nil {
		return fmt.Errorf("loadgen: create service: %w", err)
	}
	r.serviceID = svc.ID
	r.day = booking.DateOf(time.Now().AddDate(0, 0, 7))
	r.weekFrom = r.day.AddDays(-(r.day.ISOWeekday() - 1))
	pw, err := demoPassword()
	if err != nil {
		return err
	}
	for i := 0; i < r.l.clerks; i++ {
		var u adminUserJSON
		if err := postJSON(ctx, admin, r.base+"/api/v1/admin/users", csrf, createUserJSON{Email: fmt.Sprintf("lastclerk%d-%d@example.org", stamp, i),
			Name: fmt.Sprintf("Clerk %d", i), Password: pw + pw, Role: "clerk"}, http.StatusCreated, &u); err != nil {
			return fmt.Errorf("loadgen: create clerk: %w", err)
		}
		for _, d := range []booking.Date{r.day, r.day.AddDays(1)} {
			if err := postJSON(ctx, admin, fmt.Sprintf("%s/api/v1/admin/services/%d/hours", r.base, svc.ID), csrf,
				hoursInputJSON{ClerkID: flexID(u.ID), Weekday: d.ISOWeekday(), Start: "08:00", End: "18:00"}, http.StatusCreated, nil); err != nil {
				return fmt.Errorf("loadgen: hours: %w", err)
			}
		}
	}
	return nil
}

func postJSON(ctx context.Context, c *http.Client, url, csrf string, body any, want int, out any) error {
	status, raw, err := doJSON(ctx, c, http.MethodPost, url, csrf, body, out)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("POST %s: status %d: %s", url, status, raw)
	}
	return nil
}

func doJSON(ctx context.Context, c *http.Client, method, url, csrf string, body any, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, err
		}
	}
	return resp.StatusCode, raw, nil
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
		var free []slotJSON
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
			st, _, err := doJSON(ctx, r.http, http.MethodPost, r.base+"/api/v1/bookings", "", bookingRequestJSON{
				ServiceID: flexID(r.serviceID), Start: free[pick].Start, Name: "Lasttest Bürgerin",
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
	var slots []slotJSON
	if _, _, err := doJSON(ctx, r.http, http.MethodGet, r.slotsURL(day, day), "", nil, &slots); err != nil || len(slots) == 0 {
		return nil, fmt.Errorf("loadgen: slots of %s: %d found, %v", day, len(slots), err)
	}
	return func(ctx context.Context) (int, error) {
		st, _, err := doJSON(ctx, r.http, http.MethodPost, r.base+"/api/v1/bookings", "", bookingRequestJSON{
			ServiceID: flexID(r.serviceID), Start: slots[rand.IntN(len(slots))].Start, Name: "Lasttest",
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
