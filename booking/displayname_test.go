package booking

import "testing"

func TestDisplayNameStripsControlAndBidi(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Erika Mustermann", "Erika Mustermann"},
		{"umlauts and accents kept", "Jürgen Çelik-Åström", "Jürgen Çelik-Åström"},
		{"bidi override", "Anna\u202Egpj.exe", "Annagpj.exe"},
		{"bidi isolates and marks", "\u2066Ali\u2069 \u200FHassan\u200E", "Ali Hassan"},
		{"line separator becomes nothing", "Max\u2028Admin", "MaxAdmin"},
		{"paragraph separator", "Max\u2029Admin", "MaxAdmin"},
		{"newline and tab become one space", "Max\r\n\tMuster", "Max Muster"},
		{"C0 and C1 controls", "A\x00B\x1bC\u0085D\x7f", "ABCD"},
		{"zero width space", "Le\u200Bon", "Leon"},
		{"byte order mark", "\uFEFFEva", "Eva"},
		{"trimmed and collapsed", "  Eva   Maria  ", "Eva Maria"},
		{"invalid UTF-8 dropped", "Eva\xff\xfe", "Eva"},
		{"only hidden characters", "\u202E\u2028\x00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DisplayName(tt.in); got != tt.want {
				t.Errorf("DisplayName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGuestNameIsCleanedBeforeValidation(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Dolmetscherin\u202E", "Dolmetscherin", true},
		{"Zeile\u2028zwei", "Zeilezwei", true},
		{"\u202E\u2066", "", false},
	}
	for _, tt := range tests {
		got, err := GuestName(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("GuestName(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
