package booking

import (
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestComputeSlots(t *testing.T) {
	loc := berlin(t)
	svc := Service{ID: 1, DurationMinutes: 30, BufferMinutes: 10, HorizonDays: 30}
	mon := Date{2026, time.March, 23} // a Monday
	hours := []OpeningHours{
		{ServiceID: 1, ClerkID: 7, Weekday: 1, Start: 9 * 60, End: 11 * 60},
		{ServiceID: 1, ClerkID: 8, Weekday: 1, Start: 9 * 60, End: 10 * 60},
		{ServiceID: 2, ClerkID: 9, Weekday: 1, Start: 9 * 60, End: 10 * 60}, // other service
	}
	earliest := time.Date(2026, 3, 20, 0, 0, 0, 0, loc)
	latest := time.Date(2026, 4, 30, 0, 0, 0, 0, loc)
	at := func(h, m int) time.Time { return time.Date(2026, 3, 23, h, m, 0, 0, loc) }

	tests := []struct {
		name     string
		closures []Closure
		busy     []Busy
		earliest time.Time
		want     map[string]int // "HH:MM" -> available
	}{
		{
			name: "grid is duration plus buffer from each opening start",
			want: map[string]int{"09:00": 2, "09:40": 1, "10:20": 1},
		},
		{
			name: "a busy clerk is not available, including the buffer",
			busy: []Busy{{ClerkID: 7, Start: at(9, 30), End: at(10, 10)}},
			want: map[string]int{"09:00": 1, "09:40": 0, "10:20": 1},
		},
		{
			name:     "clerk closure removes that clerk",
			closures: []Closure{{Date: mon, ClerkID: 8}},
			want:     map[string]int{"09:00": 1, "09:40": 1, "10:20": 1},
		},
		{
			name:     "office closure removes the day",
			closures: []Closure{{Date: mon}},
			want:     map[string]int{},
		},
		{
			name:     "minimum notice hides early starts",
			earliest: at(9, 30),
			want:     map[string]int{"09:40": 1, "10:20": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := earliest
			if !tt.earliest.IsZero() {
				e = tt.earliest
			}
			got := computeSlots(slotInput{service: svc, hours: hours, closures: tt.closures, busy: tt.busy,
				from: mon, to: mon, loc: loc, earliest: e, latest: latest})
			if len(got) != len(tt.want) {
				t.Fatalf("got %d slots %v, want %d", len(got), got, len(tt.want))
			}
			for _, s := range got {
				k := s.Start.In(loc).Format("15:04")
				want, ok := tt.want[k]
				if !ok || s.Available != want {
					t.Errorf("slot %s: available %d, want %d (present %v)", k, s.Available, want, ok)
				}
				if s.End.Sub(s.Start) != 30*time.Minute {
					t.Errorf("slot %s lasts %v", k, s.End.Sub(s.Start))
				}
			}
		})
	}
}

// Slots keep their wall-clock times on the days around a DST change, and the
// absolute instants shift by the offset change.
func TestComputeSlotsAcrossDST(t *testing.T) {
	loc := berlin(t)
	svc := Service{ID: 1, DurationMinutes: 60, HorizonDays: 60}
	hours := []OpeningHours{}
	for wd := 1; wd <= 7; wd++ {
		hours = append(hours, OpeningHours{ServiceID: 1, ClerkID: 1, Weekday: wd, Start: 1 * 60, End: 4 * 60})
	}
	cases := []struct {
		name  string
		day   Date
		want  []string // local wall times
		utcOf string   // UTC of the 01:00 slot
	}{
		{"before spring change", Date{2026, 3, 28}, []string{"01:00", "02:00", "03:00"}, "00:00"},
		// 02:00–03:00 does not exist on 2026-03-29; 01:00 + 1h grid step
		// lands on 03:00 CEST, so the clock never shows a phantom slot.
		{"spring change day", Date{2026, 3, 29}, []string{"01:00", "03:00"}, "00:00"},
		{"after spring change", Date{2026, 3, 30}, []string{"01:00", "02:00", "03:00"}, "23:00"},
		{"autumn change day", Date{2026, 10, 25}, []string{"01:00", "02:00", "02:00", "03:00"}, "23:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := computeSlots(slotInput{service: svc, hours: hours, from: c.day, to: c.day, loc: loc,
				earliest: time.Date(2026, 1, 1, 0, 0, 0, 0, loc), latest: time.Date(2027, 1, 1, 0, 0, 0, 0, loc)})
			var walls []string
			for _, s := range got {
				walls = append(walls, s.Start.In(loc).Format("15:04"))
				if s.End.Sub(s.Start) != time.Hour {
					t.Errorf("slot at %s lasts %v, want 1h of real time", s.Start, s.End.Sub(s.Start))
				}
			}
			if len(walls) != len(c.want) {
				t.Fatalf("walls %v, want %v", walls, c.want)
			}
			for i := range walls {
				if walls[i] != c.want[i] {
					t.Fatalf("walls %v, want %v", walls, c.want)
				}
			}
			if u := got[0].Start.UTC().Format("15:04"); u != c.utcOf {
				t.Errorf("first slot UTC %s, want %s", u, c.utcOf)
			}
		})
	}
}
