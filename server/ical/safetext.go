package ical

import (
	"strings"
	"unicode"
)

// Values that reach a line-based format (iCalendar properties, mail
// headers and bodies, feeds) pass through SafeLine or SafeText on the way
// out. Input validation refuses control characters already; these guard
// values stored before that rule or written to the database directly, and
// make up for encoders that pass a bare CR through (golang-ical escapes LF
// in TEXT values, not CR, and a CR ends the property for most parsers).

// SafeLine returns s on one line: line breaks become spaces and other
// control characters are dropped.
func SafeLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// SafeText keeps line breaks, all as LF (CRLF and a lone CR too), and
// drops other control characters.
func SafeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r != '\n' && unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
