package booking

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text fields end up in iCalendar properties, mail headers, feeds and the
// clerk's console. A bare CR or LF in a single-line value would start a new
// property or header there, so the rules are checked here, once, for every
// field a person types: single-line fields take no control characters at
// all; multi-line fields take LF as their only one (CRLF is normalised to
// LF first by MultiLine).

// checkLine validates a single-line text field.
func checkLine(v *ValidationError, field, s string, minLen, maxLen int) {
	checkLength(v, field, s, minLen, maxLen)
	if strings.ContainsFunc(s, isLineBreakOrControl) {
		v.Add(field, "must be a single line without control characters")
	}
}

// checkText validates a multi-line text field, normalised by MultiLine.
func checkText(v *ValidationError, field, s string, minLen, maxLen int) {
	checkLength(v, field, s, minLen, maxLen)
	if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && isLineBreakOrControl(r) }) {
		v.Add(field, "must not contain control characters")
	}
}

// MultiLine trims s and turns CRLF line ends into LF; a CR on its own
// stays, for checkText to refuse.
func MultiLine(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func checkLength(v *ValidationError, field, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "must be valid UTF-8")
	case n < minLen && minLen == 1:
		v.Add(field, "is required")
	case n < minLen:
		v.Add(field, "is too short")
	case n > maxLen:
		v.Add(field, "is too long")
	}
}

// isLineBreakOrControl reports C0 and C1 controls, DEL and the Unicode
// line and paragraph separators.
func isLineBreakOrControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
