package gormstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// BenchmarkBook measures one booking end to end through Office on each
// database (sequential: the cost of the use case and its transaction).
func BenchmarkBook(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			if kind == "postgres" && len(storetest.Kinds(b)) < 2 {
				b.Skip("no PostgreSQL")
			}
			const clerks = 40
			f := newFixture(b, kind, clerks, 0)
			ctx := context.Background()
			var starts []time.Time
			for d := 0; d < 4 && len(starts) < b.N; d++ {
				slots, err := f.office.FreeSlots(ctx, f.long.ID, f.day.AddDays(7*d), f.day.AddDays(7*d))
				if err != nil {
					b.Fatal(err)
				}
				for _, s := range slots {
					for c := 0; c < clerks; c++ {
						starts = append(starts, s.Start)
					}
				}
			}
			if len(starts) < b.N {
				b.Skipf("only %d slots for b.N=%d", len(starts), b.N)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.long.ID, Start: starts[i],
					Name: "B", Email: fmt.Sprintf("b%d@example.org", i), Consent: true})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBookParallel books from many goroutines at once: the throughput
// the store's locking allows, without HTTP.
func BenchmarkBookParallel(b *testing.B) {
	const clerks = 60
	f := newFixture(b, "sqlite", clerks, 0)
	ctx := context.Background()
	var starts []time.Time
	for d := 0; d < 4; d++ {
		slots, err := f.office.FreeSlots(ctx, f.short.ID, f.day.AddDays(7*d), f.day.AddDays(7*d))
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range slots {
			for c := 0; c < clerks; c++ {
				starts = append(starts, s.Start)
			}
		}
	}
	if len(starts) < b.N {
		b.Skipf("only %d slots for b.N=%d", len(starts), b.N)
	}
	var next atomic.Int64
	b.SetParallelism(8)
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			_, err := f.office.Book(ctx, booking.BookingRequest{ServiceID: f.short.ID, Start: starts[i],
				Name: "B", Email: fmt.Sprintf("p%d@example.org", i), Consent: true})
			if err != nil && !errors.Is(err, booking.ErrSlotTaken) {
				b.Error(err)
			}
		}
	})
	b.StopTimer()
	// CPU per booking is steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the user and system CPU this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
