package mailer

import (
	"strconv"
	"strings"
	"time"
)

// units are the forms of "day", "hour" and "minute" a duration is written
// with, "{n}" standing for the count; pick chooses the form for a count.
type units struct {
	day, hour, minute [4]string
	pick              func(n int) int
}

// say writes d in whole days (from two days on), hours or minutes, as
// germanDuration does.
func (u units) say(d time.Duration) string {
	n, forms := int(d/time.Minute), u.minute
	switch {
	case d%(24*time.Hour) == 0 && d >= 48*time.Hour:
		n, forms = int(d/(24*time.Hour)), u.day
	case d%time.Hour == 0:
		n, forms = int(d/time.Hour), u.hour
	}
	return strings.ReplaceAll(forms[u.pick(n)], "{n}", strconv.Itoa(n))
}

// slavicForm picks one, few or many as Ukrainian, Russian and Polish count
// (1, 21 / 2–4, 22–24 / 5–20, 25…); Polish uses "many" for 21 as well.
func slavicForm(polish bool) func(int) int {
	return func(n int) int {
		switch {
		case n == 1 || (!polish && n%10 == 1 && n%100 != 11):
			return 0
		case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
			return 1
		}
		return 2
	}
}

// arabicForm: 1 and 2 have their own words, 3–10 take the plural, larger
// numbers the singular (accusative).
func arabicForm(n int) int {
	switch {
	case n == 1:
		return 0
	case n == 2:
		return 1
	case n%100 >= 3 && n%100 <= 10:
		return 2
	}
	return 3
}
