package gormstore_test

import (
	"context"
	"fmt"
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
