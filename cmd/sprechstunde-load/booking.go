package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/sprechstunde/sprechstunde/booking/gormstore"
)

// bookingLoad configures `sprechstunde-load booking`.
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
	fs := flag.NewFlagSet("sprechstunde-load booking", flag.ContinueOnError)
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
