package booking

import (
	"strings"
	"unicode"
)

// DisplayName returns a name as it may be shown to other people: without
// control characters, format characters (bidi overrides and isolates such
// as U+202E, zero-width marks) and line or paragraph separators, with
// runs of spaces collapsed and the ends trimmed. Such characters can make
// a name read as something else in the clerk's console or split it across
// lines. Every place that accepts or shows a display name uses it.
func DisplayName(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case hiddenInName(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// hiddenInName reports characters that change how the rest of a name is
// rendered rather than being part of it (tabs and newlines count as space).
func hiddenInName(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}
