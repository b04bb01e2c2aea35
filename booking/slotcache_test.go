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
	slot := []Slot{{Start: day.At(540, time.UTC), Available: 1}}
	tests := []struct {
		name    string
		between func(c *slotCache) // runs between stamp and put
		want    bool               // cached afterwards
	}{
		{"stored when nothing changed", func(*slotCache) {}, true},
		{"not stored when the day was written meanwhile", func(c *slotCache) { c.invalidateDay(day) }, false},
		{"not stored when a booking was made meanwhile", func(c *slotCache) { c.booked(day, 1, day.At(540, time.UTC), day.At(570, time.UTC)) }, false},
		{"not stored when the schedule changed meanwhile", func(c *slotCache) { c.invalidateAll() }, false},
		{"other days do not matter", func(c *slotCache) { c.invalidateDay(day.AddDays(1)) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSlotCache(time.Minute)
			st := c.stamp(day, day)
			tt.between(c)
			c.put(1, 30*time.Minute, day, day, st, slot, time.UTC)
			if _, _, ok := c.get(1, day, day); ok != tt.want {
				t.Fatalf("cached = %v, want %v", ok, tt.want)
			}
		})
	}
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
