package booking

import (
	"fmt"
	"time"
)

// Date is a calendar day in the office's time zone, without a clock time.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("booking: date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf is the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// At is the instant of the wall-clock time c on day d in loc. time.Date
// resolves wall times across DST changes, which is why slots are computed
// from wall times and never by adding durations to midnight.
func (d Date) At(c ClockTime, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// AddDays returns the day n days later (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// DaysSince counts the days from o to d (negative when d is earlier).
func (d Date) DaysSince(o Date) int {
	noon := func(x Date) time.Time { return time.Date(x.Year, x.Month, x.Day, 12, 0, 0, 0, time.UTC) }
	return int(noon(d).Sub(noon(o)).Round(24*time.Hour) / (24 * time.Hour))
}

// ISOWeekday is 1 for Monday through 7 for Sunday.
func (d Date) ISOWeekday() int {
	wd := int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// ClockTime is a wall-clock time of day in minutes after midnight.
type ClockTime int

// ParseClock reads "HH:MM" (24-hour clock; "24:00" means end of day).
func ParseClock(s string) (ClockTime, error) {
	bad := fmt.Errorf("booking: clock %q: want HH:MM", s)
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	digits := [4]byte{s[0], s[1], s[3], s[4]}
	for _, d := range digits {
		if d < '0' || d > '9' {
			return 0, bad
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, bad
	}
	return ClockTime(h*60 + m), nil
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// OpeningHours says a clerk offers a service every given weekday between
// Start and End (wall-clock times in the office's time zone).
type OpeningHours struct {
	ID        int64
	ServiceID int64
	ClerkID   int64
	Weekday   int // ISO: 1 = Monday … 7 = Sunday
	Start     ClockTime
	End       ClockTime
}

// Validate checks weekday and order of times.
func (h OpeningHours) Validate() error {
	v := &ValidationError{}
	if h.ClerkID <= 0 {
		v.Add("clerk_id", "is required")
	}
	if h.Weekday < 1 || h.Weekday > 7 {
		v.Add("weekday", "must be 1 (Monday) to 7 (Sunday)")
	}
	if h.End <= h.Start {
		v.Add("end", "must be after start")
	}
	return v.Err()
}

// overlaps reports whether two weekly entries of the same clerk and service collide.
func (h OpeningHours) overlaps(o OpeningHours) bool {
	return h.ClerkID == o.ClerkID && h.ServiceID == o.ServiceID && h.Weekday == o.Weekday &&
		h.Start < o.End && o.Start < h.End
}

// Closure closes a whole day, office-wide (ClerkID 0) or for one clerk
// (holiday, training, illness).
type Closure struct {
	ID      int64
	Date    Date
	ClerkID int64
	Reason  string
}
