package booking

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// maxSlotRangeDays bounds one slot query so a request cannot make the
// server lay grids over years.
const maxSlotRangeDays = 62

// FreeSlots lists the starts of a published service between two office days
// (inclusive) at which at least one clerk is free.
func (o *Office) FreeSlots(ctx context.Context, serviceID int64, from, to Date) ([]Slot, error) {
	if to.Before(from) {
		return nil, invalid("to", "must not be before from")
	}
	if from.AddDays(maxSlotRangeDays).Before(to) {
		return nil, invalid("to", fmt.Sprintf("range must not exceed %d days", maxSlotRangeDays))
	}
	svc, err := o.store.Service(ctx, serviceID)
	if err != nil {
		return nil, fmt.Errorf("booking: slots of service %d: %w", serviceID, err)
	}
	if !svc.Published {
		return nil, fmt.Errorf("booking: service %d unpublished: %w", serviceID, ErrNotFound)
	}
	all, err := o.slots(ctx, svc, from, to)
	if err != nil {
		return nil, err
	}
	free := all[:0]
	for _, s := range all {
		if s.Available > 0 {
			free = append(free, s)
		}
	}
	return free, nil
}

// slots computes every grid start of svc from..to with its availability.
func (o *Office) slots(ctx context.Context, svc Service, from, to Date) ([]Slot, error) {
	loc, now := o.opt.Location, o.now()
	hours, err := o.store.OpeningHours(ctx, svc.ID)
	if err != nil {
		return nil, fmt.Errorf("booking: slots: hours: %w", err)
	}
	if len(hours) == 0 {
		return nil, nil
	}
	closures, err := o.store.Closures(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("booking: slots: closures: %w", err)
	}
	var clerks []int64
	for _, h := range hours {
		if !containsID(clerks, h.ClerkID) {
			clerks = append(clerks, h.ClerkID)
		}
	}
	// Busy spans may start the day before (a long buffer) or end after.
	busy, err := o.store.BusyIntervals(ctx, clerks, from.AddDays(-1).At(0, loc), to.AddDays(2).At(0, loc))
	if err != nil {
		return nil, fmt.Errorf("booking: slots: busy: %w", err)
	}
	horizonEnd := DateOf(now).AddDays(svc.HorizonDays+1).At(0, loc)
	return computeSlots(slotInput{
		service: svc, hours: hours, closures: closures, busy: busy,
		from: from, to: to, loc: loc,
		earliest: now.Add(time.Duration(svc.MinNoticeMinutes) * time.Minute),
		latest:   horizonEnd,
	}), nil
}

// BookingRequest is a citizen's booking as entered in the form.
type BookingRequest struct {
	ServiceID int64
	Start     time.Time
	Name      string
	Email     string
	Consent   bool
	Topic     string
	Language  string
}

// BookingResult carries the plain tokens, which exist only in this answer
// and in the confirmation to the citizen.
type BookingResult struct {
	Appointment Appointment
	JoinToken   string
	ManageToken string
}

var languageCode = regexp.MustCompile(`^[a-z]{2}$`)

// Validate normalises the request and names every invalid field.
func (r *BookingRequest) Validate() error {
	v := &ValidationError{}
	r.Name = strings.TrimSpace(r.Name)
	r.Email = NormalizeEmail(r.Email)
	r.Topic = strings.TrimSpace(r.Topic)
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	if r.ServiceID <= 0 {
		v.Add("service_id", "is required")
	}
	if r.Start.IsZero() {
		v.Add("start", "is required")
	}
	checkText(v, "name", r.Name, 1, 200)
	if strings.ContainsAny(r.Name, "\r\n\t") {
		v.Add("name", "must be a single line")
	}
	checkEmail(v, "email", r.Email)
	if !r.Consent {
		v.Add("consent", "must be given to book")
	}
	checkText(v, "topic", r.Topic, 0, 1000)
	if r.Language == "" {
		r.Language = "de"
	} else if !languageCode.MatchString(r.Language) {
		v.Add("language", "must be a two-letter language code such as de or en")
	}
	return v.Err()
}

// Book reserves the slot at r.Start for the least-loaded free clerk and
// opens a case. ErrSlotTaken when no clerk is free any more.
func (o *Office) Book(ctx context.Context, r BookingRequest) (BookingResult, error) {
	if err := r.Validate(); err != nil {
		return BookingResult{}, err
	}
	svc, err := o.store.Service(ctx, r.ServiceID)
	if errors.Is(err, ErrNotFound) || (err == nil && !svc.Published) {
		return BookingResult{}, invalid("service_id", "no such service")
	}
	if err != nil {
		return BookingResult{}, fmt.Errorf("booking: book: %w", err)
	}
	slot, err := o.slotAt(ctx, svc, r.Start)
	if err != nil {
		return BookingResult{}, err
	}

	join, joinHash, err := NewToken()
	if err != nil {
		return BookingResult{}, err
	}
	manage, manageHash, err := NewToken()
	if err != nil {
		return BookingResult{}, err
	}
	now := o.now()
	day := DateOf(slot.Start)
	appt := Appointment{
		ServiceID:       svc.ID,
		Start:           slot.Start,
		End:             slot.End,
		BusyUntil:       slot.Start.Add(svc.Step()),
		Status:          StatusBooked,
		CitizenName:     r.Name,
		CitizenEmail:    r.Email,
		Topic:           r.Topic,
		Language:        r.Language,
		ConsentAt:       now,
		JoinTokenHash:   joinHash,
		JoinExpiresAt:   slot.End,
		ManageTokenHash: manageHash,
		ManageExpiresAt: slot.End,
		CreatedAt:       now,
	}
	stored, err := o.store.Reserve(ctx, Reservation{
		Appointment: appt,
		Candidates:  slot.Clerks,
		DayStart:    day.At(0, o.opt.Location),
		DayEnd:      day.AddDays(1).At(0, o.opt.Location),
		Now:         now,
	}, o.pickClerk)
	if err != nil {
		return BookingResult{}, fmt.Errorf("booking: reserve %s: %w", r.Start.Format(time.RFC3339), err)
	}
	return BookingResult{Appointment: stored, JoinToken: join, ManageToken: manage}, nil
}

// slotAt finds the grid slot starting at start, or says why there is none.
func (o *Office) slotAt(ctx context.Context, svc Service, start time.Time) (Slot, error) {
	now := o.now()
	start = start.In(o.opt.Location)
	switch {
	case !start.After(now):
		return Slot{}, invalid("start", "lies in the past")
	case start.Before(now.Add(time.Duration(svc.MinNoticeMinutes) * time.Minute)):
		return Slot{}, invalid("start", fmt.Sprintf("must be at least %d minutes ahead", svc.MinNoticeMinutes))
	case !start.Before(DateOf(now).AddDays(svc.HorizonDays+1).At(0, o.opt.Location)):
		return Slot{}, invalid("start", fmt.Sprintf("must be within the next %d days", svc.HorizonDays))
	}
	day := DateOf(start)
	slots, err := o.slots(ctx, svc, day, day)
	if err != nil {
		return Slot{}, err
	}
	for _, s := range slots {
		if s.Start.Equal(start) {
			if s.Available == 0 {
				return Slot{}, fmt.Errorf("booking: slot %s: %w", start.Format(time.RFC3339), ErrSlotTaken)
			}
			return s, nil
		}
	}
	return Slot{}, invalid("start", "is not a bookable slot time of this service")
}

// pickClerk runs inside the store's lock: enforce the per-address limit,
// then choose the free clerk with the fewest appointments that day.
func (o *Office) pickClerk(v ReserveView) (int64, error) {
	if max := o.opt.MaxBookingsPerEmail; max > 0 && v.OpenBookingsForEmail >= max {
		return 0, ErrTooManyBookings
	}
	best := int64(0)
	bestLoad := 0
	for _, c := range v.Clerks {
		if !c.Free {
			continue
		}
		if best == 0 || c.Appointments < bestLoad || (c.Appointments == bestLoad && c.ClerkID < best) {
			best, bestLoad = c.ClerkID, c.Appointments
		}
	}
	if best == 0 {
		return 0, ErrSlotTaken
	}
	return best, nil
}
