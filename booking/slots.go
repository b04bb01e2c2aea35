package booking

import (
	"sort"
	"time"
)

// Slot is a start time at which Available clerks can still take an appointment.
type Slot struct {
	Start     time.Time
	End       time.Time
	Available int
	// Clerks offer this start (their hours contain it and they are not
	// closed), free or not; the store re-checks freedom under lock.
	Clerks []int64
	// free are the Clerks without an overlapping appointment; the cache
	// updates them in place of a recomputation when a booking is made.
	free []int64
}

// slotInput is what a slot computation reads; gathered by Office.
type slotInput struct {
	service  Service
	hours    []OpeningHours
	closures []Closure
	busy     []Busy
	from, to Date // inclusive
	loc      *time.Location
	earliest time.Time // now + minimum notice
	latest   time.Time // end of the booking horizon
}

// computeSlots lays the grid duration+buffer from each opening start, on
// every day from..to, and counts per start the clerks who are free for the
// whole busy span [start, start+duration+buffer). It returns every start,
// including those with Available == 0, ordered by time.
func computeSlots(in slotInput) []Slot {
	officeClosed := map[Date]bool{}
	clerkClosed := map[Date]map[int64]bool{}
	for _, c := range in.closures {
		if c.ClerkID == 0 {
			officeClosed[c.Date] = true
			continue
		}
		if clerkClosed[c.Date] == nil {
			clerkClosed[c.Date] = map[int64]bool{}
		}
		clerkClosed[c.Date][c.ClerkID] = true
	}
	busyBy := map[int64][]Busy{}
	for _, b := range in.busy {
		busyBy[b.ClerkID] = append(busyBy[b.ClerkID], b)
	}

	dur, step := in.service.Duration(), in.service.Step()
	if step <= 0 {
		return nil
	}
	byStart := map[int64]*Slot{}
	for d := in.from; !in.to.Before(d); d = d.AddDays(1) {
		if officeClosed[d] {
			continue
		}
		wd := d.ISOWeekday()
		for _, h := range in.hours {
			if h.Weekday != wd || h.ServiceID != in.service.ID || clerkClosed[d][h.ClerkID] {
				continue
			}
			open, closing := d.At(h.Start, in.loc), d.At(h.End, in.loc)
			for start := open; !start.Add(dur).After(closing); start = start.Add(step) {
				if start.Before(in.earliest) || !start.Before(in.latest) {
					continue
				}
				key := start.Unix()
				s := byStart[key]
				if s == nil {
					s = &Slot{Start: start, End: start.Add(dur)}
					byStart[key] = s
				}
				if containsID(s.Clerks, h.ClerkID) {
					continue // overlapping hour entries of one clerk count once
				}
				s.Clerks = append(s.Clerks, h.ClerkID)
				if isFree(busyBy[h.ClerkID], start, start.Add(step)) {
					s.Available++
					s.free = append(s.free, h.ClerkID)
				}
			}
		}
	}
	slots := make([]Slot, 0, len(byStart))
	for _, s := range byStart {
		slots = append(slots, *s)
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].Start.Before(slots[j].Start) })
	return slots
}

func isFree(busy []Busy, start, end time.Time) bool {
	for _, b := range busy {
		if b.overlaps(start, end) {
			return false
		}
	}
	return true
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
