package booking

import (
	"strconv"
	"strings"
	"time"
)

// Service is a slot type an office publishes, e.g. "Wohngeld-Beratung, 30 min".
type Service struct {
	ID               int64
	Name             string
	Description      string
	DurationMinutes  int
	BufferMinutes    int // kept free after each appointment
	MinNoticeMinutes int // how far ahead a slot must be booked
	HorizonDays      int // how many days ahead slots are offered
	Published        bool
}

// Duration of one appointment.
func (s Service) Duration() time.Duration { return time.Duration(s.DurationMinutes) * time.Minute }

// Step is the grid distance between two slot starts.
func (s Service) Step() time.Duration {
	return time.Duration(s.DurationMinutes+s.BufferMinutes) * time.Minute
}

// Validate checks the admin's input and trims text fields.
func (s *Service) Validate() error {
	v := &ValidationError{}
	s.Name = strings.TrimSpace(s.Name)
	s.Description = MultiLine(s.Description)
	checkLine(v, "name", s.Name, 1, 200)
	checkText(v, "description", s.Description, 0, 4000)
	checkRange(v, "duration_minutes", s.DurationMinutes, 5, 480)
	checkRange(v, "buffer_minutes", s.BufferMinutes, 0, 240)
	checkRange(v, "min_notice_minutes", s.MinNoticeMinutes, 0, 60*24*90)
	checkRange(v, "horizon_days", s.HorizonDays, 1, 730)
	return v.Err()
}

func checkRange(v *ValidationError, field string, n, lo, hi int) {
	if n < lo || n > hi {
		v.Add(field, "must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi))
	}
}
