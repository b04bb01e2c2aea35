package ical

import (
	"strings"
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestVTimezoneOnTheHour: VTIMEZONE observances start at the zone's real
// change, in whole minutes, never a search's approximation of it.
func TestVTimezoneOnTheHour(t *testing.T) {
	tests := []struct {
		zone string
		year int
		want []string
	}{
		{"Europe/Berlin", 2026, []string{"20260329T020000", "20261025T030000"}},
		{"America/New_York", 2026, []string{"20260308T020000", "20261101T020000"}},
		{"America/St_Johns", 2026, []string{"20260308T020000", "20261101T020000"}},
		{"Australia/Lord_Howe", 2026, []string{"20260405T020000", "20261004T020000"}},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			cal := NewCalendar("", mustLoc(t, tt.zone), tt.year)
			var got []string
			for _, line := range strings.Split(strings.ReplaceAll(cal.Serialize(), "\r\n", "\n"), "\n") {
				if v, ok := strings.CutPrefix(line, "DTSTART:"); ok {
					got = append(got, v)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("DTSTART %v, want %v", got, tt.want)
			}
		})
	}
}
