package booking

import "testing"

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "24:00", "23:59", "9:00", "ab:cd", "", "-1:00", "99:99", "12:3x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClock(s)
		if err != nil {
			return
		}
		if c < 0 || c > 24*60 || c.String() != s {
			t.Fatalf("ParseClock(%q) = %d (%s)", s, c, c)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-30", "2026-02-29", "2024-02-29", "0000-01-01", "2026-13-01", "", "2026-3-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && d.String() != s {
			t.Fatalf("ParseDate(%q) = %s", s, d)
		}
	})
}

func FuzzPlausibleToken(f *testing.F) {
	tok, _, _ := NewToken()
	for _, s := range []string{tok, "", "x", tok + "=", "../../etc/passwd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plausibleToken(s) && len(s) != 43 {
			t.Fatalf("plausible token of length %d: %q", len(s), s)
		}
	})
}
