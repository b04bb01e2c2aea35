package httpapi

import "testing"

func TestOriginOf(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://Termine.Amt.example", "https://termine.amt.example"},
		{"https://termine.amt.example:443", "https://termine.amt.example"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://[::1]:80", "http://[::1]"},
	} {
		if got := originOf(tt.in); got != tt.want {
			t.Errorf("originOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
