// Package ical writes iCalendar objects: appointments with the office's
// time zone, for invitations, the manage download and the clerk feed.
package ical

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sprechstunde/sprechstunde/booking"
)

// icsLocal is the floating form of DTSTART/DTEND that carries a TZID.
const icsLocal = "20060102T150405"

// Event describes one calendar entry.
type Event struct {
	UID         string
	Sequence    int
	Start, End  time.Time
	Summary     string
	Description string
	URL         string
	Cancelled   bool
	Alarm       time.Duration // a reminder this long before the start; 0: none
	Organizer   string        // mailto address, required for iTIP REQUEST/CANCEL
	Attendee    string
}

// NewCalendar starts an iCalendar object with the zone definition of loc,
// so clients show times in the office's zone across DST changes.
func NewCalendar(method ics.Method, loc *time.Location, years ...int) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Sprechstunde//Terminbuchung//DE")
	if method != "" {
		cal.SetMethod(method)
	}
	addVTimezone(cal, loc, years)
	return cal
}

// AddEvent adds e to cal. Every text passes SafeLine or SafeText here, the
// one place all calendar output (invitations, the manage download, the
// clerk feed) goes through.
func AddEvent(cal *ics.Calendar, loc *time.Location, e Event, now time.Time) {
	e.UID, e.Summary, e.Description = SafeLine(e.UID), SafeLine(e.Summary), SafeText(e.Description)
	e.URL, e.Organizer, e.Attendee = SafeLine(e.URL), SafeLine(e.Organizer), SafeLine(e.Attendee)
	ev := cal.AddEvent(e.UID)
	ev.SetDtStampTime(now)
	ev.SetSequence(e.Sequence)
	ev.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(loc).Format(icsLocal), ics.WithTZID(loc.String()))
	ev.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(loc).Format(icsLocal), ics.WithTZID(loc.String()))
	ev.SetSummary(e.Summary)
	if e.Description != "" {
		ev.SetDescription(e.Description)
	}
	if e.URL != "" {
		ev.SetURL(e.URL)
		ev.SetLocation(e.URL)
	}
	if e.Organizer != "" {
		ev.SetOrganizer("mailto:" + e.Organizer)
	}
	if e.Attendee != "" {
		ev.AddAttendee("mailto:"+e.Attendee, ics.WithRSVP(false))
	}
	if e.Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
		return
	}
	ev.SetStatus(ics.ObjectStatusConfirmed)
	if e.Alarm > 0 {
		al := ev.AddAlarm()
		al.SetAction(ics.ActionDisplay)
		al.SetTrigger(alarmTrigger(e.Alarm))
		al.SetProperty(ics.ComponentPropertyDescription, e.Summary)
	}
}

// alarmTrigger is the RFC 5545 duration d before the start: "-PT15M".
func alarmTrigger(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("-PT%dM", d/time.Minute)
	}
	return fmt.Sprintf("-PT%dS", d/time.Second)
}

// addVTimezone writes a VTIMEZONE with the real transitions of loc in the
// given years (RFC 5545 allows observances without recurrence rules).
func addVTimezone(cal *ics.Calendar, loc *time.Location, years []int) {
	tz := cal.AddTimezone(loc.String())
	seen := map[int]bool{}
	added := false
	for _, y := range years {
		if seen[y] {
			continue
		}
		seen[y] = true
		for _, tr := range transitions(loc, y) {
			addObservance(tz, tr)
			added = true
		}
	}
	if !added { // a zone without DST: one standard observance
		name, off := time.Date(firstOr(years, 2000), 1, 1, 0, 0, 0, 0, loc).Zone()
		addObservance(tz, transition{at: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), from: off, to: off, name: name})
	}
}

type transition struct {
	at       time.Time // instant of the change
	from, to int       // offsets in seconds east of UTC
	name     string
	dst      bool
}

// transitions lists the offset changes of loc in year y at the exact
// instants the zone database gives (a search for them would stop within a
// minute of the change and carry stray seconds into DTSTART).
func transitions(loc *time.Location, y int) []transition {
	var out []transition
	t := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
	for {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.Before(end) {
			return out
		}
		_, from := t.Zone()
		name, to := next.Zone()
		if to != from {
			out = append(out, transition{at: next, from: from, to: to, name: name, dst: next.IsDST()})
		}
		t = next
	}
}

func addObservance(tz *ics.VTimezone, tr transition) {
	var cb *ics.ComponentBase
	if tr.dst {
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		cb = &d.ComponentBase
	} else {
		s := &ics.Standard{}
		tz.Components = append(tz.Components, s)
		cb = &s.ComponentBase
	}
	// DTSTART is the local time before the change, in the old offset.
	local := tr.at.In(time.FixedZone("", tr.from))
	cb.SetProperty(ics.ComponentPropertyDtStart, local.Format(icsLocal))
	cb.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), icsOffset(tr.from))
	cb.SetProperty(ics.ComponentProperty("TZOFFSETTO"), icsOffset(tr.to))
	cb.SetProperty(ics.ComponentProperty("TZNAME"), tr.name)
}

func icsOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}

func firstOr(ys []int, def int) int {
	if len(ys) > 0 {
		return ys[0]
	}
	return def
}

// CaseUID is the stable UID of a case's calendar entry: rebookings and the
// cancellation update the same entry in the citizen's calendar.
func CaseUID(number, domain string) string {
	return "case-" + number + "@" + domain
}

// AppointmentYears are the years whose zone rules an entry needs.
func AppointmentYears(ap booking.Appointment, loc *time.Location) []int {
	return []int{ap.Start.In(loc).Year(), ap.End.In(loc).Year()}
}
