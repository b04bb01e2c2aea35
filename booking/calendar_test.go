package booking

import "testing"

func TestDateOrder(t *testing.T) {
	tests := []struct {
		d, o   Date
		before bool
		since  int
	}{
		{Date{2026, 3, 30}, Date{2026, 3, 30}, false, 0},
		{Date{2026, 3, 29}, Date{2026, 3, 30}, true, -1},
		{Date{2026, 4, 1}, Date{2026, 3, 30}, false, 2},
		{Date{2026, 10, 25}, Date{2026, 10, 24}, false, 1}, // DST ends in Berlin
		{Date{2025, 12, 31}, Date{2026, 1, 1}, true, -1},
		{Date{2027, 1, 1}, Date{2026, 1, 1}, false, 365},
	}
	for _, tt := range tests {
		if got := tt.d.Before(tt.o); got != tt.before {
			t.Errorf("%s.Before(%s) = %v", tt.d, tt.o, got)
		}
		if got := tt.d.DaysSince(tt.o); got != tt.since {
			t.Errorf("%s.DaysSince(%s) = %d, want %d", tt.d, tt.o, got, tt.since)
		}
	}
}
