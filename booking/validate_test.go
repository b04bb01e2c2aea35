package booking

import (
	"errors"
	"testing"
	"time"
)

func TestBookingRequestValidate(t *testing.T) {
	ok := func() BookingRequest {
		return BookingRequest{ServiceID: 1, Start: time.Now(), Name: "Erika Mustermann", Email: "Erika@Example.org", Consent: true}
	}
	tests := []struct {
		name   string
		change func(*BookingRequest)
		field  string // "" = valid
	}{
		{"valid", func(*BookingRequest) {}, ""},
		{"missing consent", func(r *BookingRequest) { r.Consent = false }, "consent"},
		{"invalid e-mail", func(r *BookingRequest) { r.Email = "not-an-address" }, "email"},
		{"e-mail with display name", func(r *BookingRequest) { r.Email = "Erika <e@example.org>" }, "email"},
		{"e-mail without domain dot", func(r *BookingRequest) { r.Email = "e@localhost" }, "email"},
		{"empty name", func(r *BookingRequest) { r.Name = "  " }, "name"},
		{"name with control chars", func(r *BookingRequest) { r.Name = "a\x00b" }, "name"},
		{"multi-line name", func(r *BookingRequest) { r.Name = "a\nb" }, "name"},
		{"bad language", func(r *BookingRequest) { r.Language = "deutsch" }, "language"},
		{"page language without pages", func(r *BookingRequest) { r.Locale = "fr" }, "locale"},
		{"page language not a code", func(r *BookingRequest) { r.Locale = "english" }, "locale"},
		{"no service", func(r *BookingRequest) { r.ServiceID = 0 }, "service_id"},
		{"no start", func(r *BookingRequest) { r.Start = time.Time{} }, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			tt.change(&r)
			err := r.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if r.Email != "erika@example.org" || r.Language != "de" || r.Locale != "de" {
					t.Errorf("not normalised: %q %q %q", r.Email, r.Language, r.Locale)
				}
				return
			}
			var v *ValidationError
			if !errors.As(err, &v) || v.Fields[tt.field] == "" {
				t.Fatalf("want error on %s, got %v", tt.field, err)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want ClockTime
		bad  bool
	}{
		{"09:00", 540, false}, {"00:00", 0, false}, {"24:00", 1440, false}, {"23:59", 1439, false},
		{"24:01", 0, true}, {"12:3x", 0, true}, {"1a:00", 0, true}, {"9:00", 0, true}, {"09:60", 0, true}, {"ab:cd", 0, true}, {"", 0, true}, {"-1:00", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseClock(tt.in)
			if (err != nil) != tt.bad || got != tt.want {
				t.Fatalf("ParseClock(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}

func TestPickClerk(t *testing.T) {
	o := &Office{opt: Options{MaxBookingsPerEmail: 2}}
	tests := []struct {
		name string
		view ReserveView
		want int64
		err  error
	}{
		{"least loaded free clerk", ReserveView{Clerks: []ClerkLoad{{1, true, 3}, {2, true, 1}, {3, false, 0}}}, 2, nil},
		{"tie goes to lower id", ReserveView{Clerks: []ClerkLoad{{5, true, 1}, {4, true, 1}}}, 4, nil},
		{"nobody free", ReserveView{Clerks: []ClerkLoad{{1, false, 0}}}, 0, ErrSlotTaken},
		{"no candidates", ReserveView{}, 0, ErrSlotTaken},
		{"e-mail limit", ReserveView{OpenBookingsForEmail: 2, Clerks: []ClerkLoad{{1, true, 0}}}, 0, ErrTooManyBookings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := o.pickClerk(tt.view)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("got %d, %v; want %d, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	a, ha, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewToken()
	if a == b || len(a) < 22 || HashToken(a) != ha || ha == a || !plausibleToken(a) {
		t.Fatalf("bad tokens %q %q %q", a, b, ha)
	}
	for _, bad := range []string{"", "short", a + "x", a[:len(a)-1] + "*"} {
		if plausibleToken(bad) {
			t.Errorf("plausibleToken(%q) = true", bad)
		}
	}
}

func TestEmailLimitKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"erika@example.org", "erika@example.org"},
		{"Erika@Example.ORG", "erika@example.org"},
		{"erika+1@example.org", "erika@example.org"},
		{"erika+a+b@example.org", "erika@example.org"},
		{"e.rika@example.org", "e.rika@example.org"},
		{"+tag@example.org", "+tag@example.org"},
		{"not-an-address", "not-an-address"},
	}
	for _, tt := range tests {
		if got := EmailLimitKey(tt.in); got != tt.want {
			t.Errorf("EmailLimitKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextFieldRules: single-line fields take no control characters at
// all, multi-line fields LF only (CRLF normalised by MultiLine first).
func TestTextFieldRules(t *testing.T) {
	tests := []struct {
		in         string
		line, text bool // accepted as a single-line / multi-line field
	}{
		{"Wohngeld-Beratung", true, true},
		{"Zeile 1\nZeile 2", false, true},
		{MultiLine("Zeile 1\r\nZeile 2"), false, true},
		{"a\rb", false, false},
		{"a\tb", false, false},
		{"a\x00b", false, false},
		{"a\x1b[31mb", false, false},
		{"a\x7fb", false, false},
		{"a\u0085b", false, false},
		{"a\u2028b", false, false},
		{"a\u2029b", false, false},
	}
	for _, tt := range tests {
		var line, text ValidationError
		checkLine(&line, "f", tt.in, 0, 100)
		checkText(&text, "f", tt.in, 0, 100)
		if (line.Err() == nil) != tt.line || (text.Err() == nil) != tt.text {
			t.Errorf("%q: single-line ok %v, multi-line ok %v; want %v, %v", tt.in, line.Err() == nil, text.Err() == nil, tt.line, tt.text)
		}
	}
}
