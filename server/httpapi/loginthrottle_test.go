package httpapi

import (
	"fmt"
	"testing"
	"time"
)

// TestAccountThrottleBounded: a flood of invented names keeps at most
// loginThrottleEntries of them.
func TestAccountThrottleBounded(t *testing.T) {
	th := newAccountThrottle()
	now := time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)
	for i := range 2 * loginThrottleEntries {
		th.admit(fmt.Sprintf("x%d@example.org", i), now)
	}
	if n := th.size(); n > loginThrottleEntries {
		t.Fatalf("%d names kept, want at most %d", n, loginThrottleEntries)
	}
	th.admit("late@example.org", now.Add(loginForgetAfter+time.Second))
	if n := th.size(); n != 1 {
		t.Fatalf("%d names kept after the quiet period, want 1", n)
	}
}

func TestAuditSource(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"198.51.100.7", "198.51.100.0/24"},
		{"::ffff:198.51.100.7", "198.51.100.0/24"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"},
		{"not an address", "other"},
	} {
		if got := auditSource(tt.in); got != tt.want {
			t.Errorf("auditSource(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClientKey(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"198.51.100.7", "198.51.100.7"},
		{"::ffff:198.51.100.7", "::ffff:198.51.100.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::99", "2001:db8:1:2::/64"},
		{"not an address", "not an address"},
	} {
		if got := clientKey(tt.in); got != tt.want {
			t.Errorf("clientKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
