package booking

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSlotCache(t *testing.T) {
	day := Date{2026, 3, 30}
	slot := []Slot{{Start: day.At(540, time.UTC), Clerks: []int64{1, 2}, free: []int64{1, 2}, Available: 2}}
	book := func(clerk int64, d Date) func(c *slotCache) {
		return func(c *slotCache) { c.booked(d, clerk, d.At(540, time.UTC), d.At(570, time.UTC)) }
	}
	tests := []struct {
		name      string
		between   func(c *slotCache) // runs between stamp and put
		want      bool               // cached afterwards
		available int                // at 09:00 when cached
	}{
		{"stored when nothing changed", func(*slotCache) {}, true, 2},
		{"not stored when the day was written meanwhile", func(c *slotCache) { c.invalidateDay(day) }, false, 0},
		{"stored with the bookings made meanwhile applied", func(c *slotCache) { book(1, day)(c); book(2, day)(c) }, true, 0},
		{"a booking the computation already saw counts once", func(c *slotCache) { book(1, day)(c); book(1, day)(c) }, true, 1},
		{"bookings of other days do not apply", book(1, day.AddDays(1)), true, 2},
		{"not stored when the schedule changed meanwhile", func(c *slotCache) { c.invalidateAll() }, false, 0},
		{"other days do not matter", func(c *slotCache) { c.invalidateDay(day.AddDays(1)) }, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSlotCache(time.Minute)
			st := c.stamp(day, day)
			tt.between(c)
			c.put(1, 30*time.Minute, day, day, st, slot, time.UTC)
			got, _, ok := c.get(1, day, day)
			if ok != tt.want {
				t.Fatalf("cached = %v, want %v", ok, tt.want)
			}
			if ok && got[0].Available != tt.available {
				t.Fatalf("available = %d, want %d", got[0].Available, tt.available)
			}
		})
	}
	t.Run("a computation older than the journal is not stored", func(t *testing.T) {
		c := newSlotCache(time.Minute)
		st := c.stamp(day, day)
		c.booked(day, 1, day.At(540, time.UTC), day.At(570, time.UTC))
		c.journal[0].at = time.Now().Add(-2 * journalKeep) // as if long ago
		c.booked(day, 2, day.At(600, time.UTC), day.At(630, time.UTC))
		c.put(1, 30*time.Minute, day, day, st, slot, time.UTC)
		if _, _, ok := c.get(1, day, day); ok {
			t.Fatal("stored although a booking it missed was pruned from the journal")
		}
	})
	t.Run("taken marks one start of one service", func(t *testing.T) {
		c := newSlotCache(time.Minute)
		two := append(slices.Clone(slot), Slot{Start: day.At(570, time.UTC), Clerks: []int64{1, 2}, free: []int64{1, 2}, Available: 2})
		c.put(1, 30*time.Minute, day, day, c.stamp(day, day), two, time.UTC)
		c.put(2, 30*time.Minute, day, day, c.stamp(day, day), two, time.UTC)
		c.taken(1, day, day.At(540, time.UTC), []int64{1, 2})
		got, _, _ := c.get(1, day, day)
		other, _, _ := c.get(2, day, day)
		if got[0].Available != 0 || got[1].Available != 2 || other[0].Available != 2 {
			t.Fatalf("available: service 1 %d/%d, service 2 %d; want 0/2, 2", got[0].Available, got[1].Available, other[0].Available)
		}
		if two[0].Available != 2 {
			t.Fatal("taken modified a slice readers may hold")
		}
	})
	t.Run("days reports the missing ones", func(t *testing.T) {
		c := newSlotCache(time.Minute)
		c.put(1, time.Hour, day.AddDays(1), day.AddDays(1), c.stamp(day.AddDays(1), day.AddDays(1)), nil, time.UTC)
		_, missing, _ := c.days(1, day, day.AddDays(2))
		if !slices.Equal(missing, []bool{true, false, true}) {
			t.Fatalf("missing = %v", missing)
		}
	})
	t.Run("invalidation drops every service of the day", func(t *testing.T) {
		c := newSlotCache(time.Minute)
		c.put(1, time.Hour, day, day, c.stamp(day, day), slot, time.UTC)
		c.put(2, time.Hour, day, day, c.stamp(day, day), slot, time.UTC)
		c.invalidateDay(day)
		if _, _, ok := c.get(2, day, day); ok {
			t.Fatal("service 2 still cached")
		}
	})
	t.Run("expired entries are stale, then misses", func(t *testing.T) {
		c := newSlotCache(20 * time.Millisecond)
		c.put(1, time.Hour, day, day, c.stamp(day, day), slot, time.UTC)
		if _, stale, ok := c.get(1, day, day); !ok || stale {
			t.Fatalf("fresh entry: ok %v stale %v", ok, stale)
		}
		time.Sleep(25 * time.Millisecond)
		if _, stale, ok := c.get(1, day, day); !ok || !stale {
			t.Fatalf("expired entry within grace: ok %v stale %v", ok, stale)
		}
		time.Sleep(20 * time.Millisecond)
		if _, _, ok := c.get(1, day, day); ok {
			t.Fatal("entry past its grace returned")
		}
	})
	t.Run("concurrent misses share one computation", func(t *testing.T) {
		c := newSlotCache(time.Minute)
		var calls atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := c.share(flightKey{1, day, day}, func() ([]Slot, error) {
					calls.Add(1)
					<-release
					return slot, nil
				})
				if err != nil || len(got) != 1 {
					t.Errorf("got %v %v", got, err)
				}
			}()
		}
		for c.inFlight() == 0 {
			time.Sleep(time.Millisecond)
		}
		close(release)
		wg.Wait()
		if n := calls.Load(); n >= 20 {
			t.Fatalf("%d computations for 20 concurrent misses", n)
		}
	})
}

// TestBookedMatchesRecomputation: applying a booking to a cached grid gives
// what computing the grid afresh with that booking gives.
func TestBookedMatchesRecomputation(t *testing.T) {
	loc := time.UTC
	day := Date{2026, 3, 30}
	svc := Service{ID: 1, DurationMinutes: 30, BufferMinutes: 10, HorizonDays: 30}
	var hours []OpeningHours
	for clerk := int64(1); clerk <= 3; clerk++ {
		hours = append(hours, OpeningHours{ServiceID: 1, ClerkID: clerk, Weekday: 1, Start: 9 * 60, End: 12 * 60})
	}
	in := slotInput{service: svc, hours: hours, from: day, to: day, loc: loc, latest: day.AddDays(2).At(0, loc)}
	tests := []struct {
		name       string
		clerk      int64
		start, end int // minutes after midnight of the new busy span
	}{
		{"on the grid", 2, 9*60 + 40, 10*60 + 20},
		{"between grid starts, longer service", 1, 9*60 + 50, 11*60 + 5},
		{"at the end of the day", 3, 11*60 + 30, 12*60 + 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSlotCache(time.Minute)
			c.put(1, svc.Step(), day, day, c.stamp(day, day), computeSlots(in), loc)
			b := Busy{ClerkID: tt.clerk, Start: day.At(ClockTime(tt.start), loc), End: day.At(ClockTime(tt.end), loc)}
			c.booked(day, b.ClerkID, b.Start, b.End)
			got, _, ok := c.get(1, day, day)
			if !ok {
				t.Fatal("grid dropped instead of updated")
			}
			fresh := in
			fresh.busy = []Busy{b}
			want := computeSlots(fresh)
			if len(got) != len(want) {
				t.Fatalf("%d slots, want %d", len(got), len(want))
			}
			for i := range want {
				g, w := got[i], want[i]
				if !g.Start.Equal(w.Start) || g.Available != w.Available || !slices.Equal(g.free, w.free) {
					t.Errorf("slot %s: available %d free %v, want %d %v", w.Start.Format("15:04"), g.Available, g.free, w.Available, w.free)
				}
			}
		})
	}
}
