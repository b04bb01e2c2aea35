package booking

import (
	"strings"
	"testing"
	"time"
)

func TestSealer(t *testing.T) {
	s, err := NewSealer(make([]byte, SecretKeySize))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer([]byte(strings.Repeat("k", SecretKeySize)))
	sealed, err := s.Seal("join-token", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		sealer  *Sealer
		purpose string
		value   string
		ok      bool
	}{
		{"round trip", s, "join-token", sealed, true},
		{"other purpose", s, "mail", sealed, false},
		{"other key", other, "join-token", sealed, false},
		{"tampered", s, "join-token", sealed[:len(sealed)-2] + "AA", false},
		{"garbage", s, "join-token", "!!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sealer.Open(tt.purpose, tt.value)
			if (err == nil) != tt.ok || (tt.ok && string(got) != "secret") {
				t.Fatalf("Open = %q, %v", got, err)
			}
		})
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func TestDueReminder(t *testing.T) {
	start := time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC)
	booked := start.Add(-72 * time.Hour)
	offsets := []time.Duration{24 * time.Hour, time.Hour}
	tests := []struct {
		name      string
		now       time.Time
		scheduled time.Time
		want      time.Duration
		ok        bool
	}{
		{"too early", start.Add(-25 * time.Hour), booked, 0, false},
		{"24h due", start.Add(-24 * time.Hour), booked, 24 * time.Hour, true},
		{"both due: latest wins", start.Add(-30 * time.Minute), booked, time.Hour, true},
		{"begun", start, booked, 0, false},
		{"due before booking", start.Add(-2 * time.Hour), start.Add(-3 * time.Hour), 0, false},
		{"1h after late booking", start.Add(-time.Hour), start.Add(-3 * time.Hour), time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Appointment{Start: start, Status: StatusBooked, ScheduledAt: tt.scheduled}
			got, ok := dueReminder(offsets, a, tt.now)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("dueReminder = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestBackoffAndScrub(t *testing.T) {
	for _, tt := range []struct {
		attempts int
		want     time.Duration
	}{{0, 30 * time.Second}, {1, time.Minute}, {3, 4 * time.Minute}, {7, time.Hour}, {50, time.Hour}} {
		t.Run(tt.want.String(), func(t *testing.T) {
			if got := Backoff(tt.attempts); got != tt.want {
				t.Fatalf("Backoff(%d) = %s, want %s", tt.attempts, got, tt.want)
			}
		})
	}
	if got := scrubError("550 5.1.1 <erika@example.org>: user unknown"); strings.Contains(got, "erika") || !strings.Contains(got, "550") {
		t.Errorf("scrubError kept the address: %q", got)
	}
	if got := MaskEmail("erika@example.org"); got != "e***@example.org" {
		t.Errorf("MaskEmail = %q", got)
	}
}
