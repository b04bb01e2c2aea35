package booking

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	svc, err := o.cachedService(ctx, serviceID)
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
	free := all[:0] // all is our own copy, filtering in place is safe
	for _, s := range all {
		if s.Available > 0 {
			free = append(free, s)
		}
	}
	return free, nil
}

// slots returns every grid start of svc from..to with its availability,
// limited to what may be booked now (minimum notice, horizon).
func (o *Office) slots(ctx context.Context, svc Service, from, to Date) ([]Slot, error) {
	grid, err := o.grid(ctx, svc, from, to)
	if err != nil {
		return nil, err
	}
	now := o.now()
	earliest := now.Add(time.Duration(svc.MinNoticeMinutes) * time.Minute)
	latest := DateOf(now).AddDays(svc.HorizonDays+1).At(0, o.opt.Location)
	out := make([]Slot, 0, len(grid))
	for _, s := range grid {
		if !s.Start.Before(earliest) && s.Start.Before(latest) {
			out = append(out, s)
		}
	}
	return out, nil
}

// grid computes (or takes from the cache) the full slot grid from..to.
// Days already cached are reused; only the span of missing days is
// computed. The returned slice may be shared with the cache: never modify it.
func (o *Office) grid(ctx context.Context, svc Service, from, to Date) ([]Slot, error) {
	days, missing, stale := o.cache.days(svc.ID, from, to)
	lo, hi := -1, -1
	for i, m := range missing {
		if m {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	if lo < 0 {
		key := flightKey{svc.ID, from, to}
		if stale && o.cache.startRefresh(key) {
			// Serve what we have; refresh once, detached from this request.
			go func() {
				defer o.cache.endRefresh(key)
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
				defer cancel()
				_, _ = o.cache.share(key, func() ([]Slot, error) { return o.computeGrid(rctx, svc, from, to) })
			}()
		}
		return slices.Concat(days...), nil
	}
	mFrom, mTo := from.AddDays(lo), from.AddDays(hi)
	computed, err := o.cache.share(flightKey{svc.ID, mFrom, mTo}, func() ([]Slot, error) {
		return o.computeGrid(ctx, svc, mFrom, mTo)
	})
	if err != nil || (lo == 0 && hi == len(days)-1) {
		return computed, err
	}
	return slices.Concat(slices.Concat(days[:lo]...), computed, slices.Concat(days[hi+1:]...)), nil
}

func (o *Office) computeGrid(ctx context.Context, svc Service, from, to Date) ([]Slot, error) {
	stamp := o.cache.stamp(from, to)
	loc := o.opt.Location
	hours, closures, err := o.schedule(ctx, svc, from, to)
	if err != nil {
		return nil, err
	}
	var clerks []int64
	for _, h := range hours {
		if !containsID(clerks, h.ClerkID) {
			clerks = append(clerks, h.ClerkID)
		}
	}
	var busy []Busy
	if len(clerks) > 0 {
		// A slot late on the last day may reach into the next one.
		busy, err = o.store.BusyIntervals(ctx, clerks, from.At(0, loc), to.AddDays(1).At(0, loc).Add(MaxBusySpan))
		if err != nil {
			return nil, fmt.Errorf("booking: slots: busy: %w", err)
		}
	}
	slots := computeSlots(slotInput{
		service: svc, hours: hours, closures: closures, busy: busy,
		from: from, to: to, loc: loc,
		latest: to.AddDays(2).At(0, loc), // everything in range; slots() filters by now
	})
	o.cache.put(svc.ID, svc.Step(), from, to, stamp, slots, loc)
	return slots, nil
}

// schedule loads what the grid depends on apart from bookings: the active
// clerks' hours for svc (cached until the schedule changes) and closures.
func (o *Office) schedule(ctx context.Context, svc Service, from, to Date) ([]OpeningHours, []Closure, error) {
	hours, ok := o.cache.hoursOf(svc.ID)
	if !ok {
		stamp := o.cache.stamp(from, from)
		all, err := o.store.OpeningHours(ctx, svc.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("booking: slots: hours: %w", err)
		}
		if hours, err = o.activeOnly(ctx, all); err != nil {
			return nil, nil, err
		}
		o.cache.putHours(svc.ID, stamp, hours)
	}
	closures, err := o.store.Closures(ctx, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("booking: slots: closures: %w", err)
	}
	return hours, closures, nil
}

// cachedService reads a service through the cache: every slot listing and
// booking needs it, and services change rarely (invalidateAll on change).
func (o *Office) cachedService(ctx context.Context, id int64) (Service, error) {
	if s, ok := o.cache.serviceOf(id); ok {
		return s, nil
	}
	stamp := o.cache.stamp(Date{}, Date{})
	s, err := o.store.Service(ctx, id)
	if err != nil {
		return Service{}, err
	}
	o.cache.putService(stamp, s)
	return s, nil
}

// dayLoads counts every clerk's booked appointments of a day, through the
// cache: loads only balance work between clerks, so a value a moment old
// is good enough, and a rush should not re-count the day for each booking.
func (o *Office) dayLoads(ctx context.Context, day Date, from, to time.Time) (map[int64]int, error) {
	if l, ok := o.cache.loadsOf(day); ok {
		return l, nil
	}
	stamp := o.cache.stamp(day, day)
	l, err := o.store.DayLoads(ctx, nil, from, to)
	if err != nil {
		return nil, fmt.Errorf("booking: loads: %w", err)
	}
	o.cache.putLoads(day, stamp, l)
	return l, nil
}

// activeOnly drops the hours of deactivated staff: they offer no slots.
func (o *Office) activeOnly(ctx context.Context, hours []OpeningHours) ([]OpeningHours, error) {
	if len(hours) == 0 {
		return hours, nil
	}
	users, err := o.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("booking: slots: staff: %w", err)
	}
	active := map[int64]bool{}
	for _, u := range users {
		active[u.ID] = u.Active
	}
	out := hours[:0:0]
	for _, h := range hours {
		if active[h.ClerkID] {
			out = append(out, h)
		}
	}
	return out, nil
}

// BookingRequest is a citizen's booking as entered in the form.
type BookingRequest struct {
	ServiceID int64
	Start     time.Time
	Name      string
	Email     string
	Consent   bool
	Topic     string
	Language  string // conversation language
	Locale    string // language of the pages it was booked in; see Locales
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
	r.Topic = MultiLine(r.Topic)
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	if r.ServiceID <= 0 {
		v.Add("service_id", "is required")
	}
	if r.Start.IsZero() {
		v.Add("start", "is required")
	}
	checkLine(v, "name", r.Name, 1, 200)
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
	r.Locale = strings.ToLower(strings.TrimSpace(r.Locale))
	if r.Locale == "" {
		r.Locale = "de"
	} else if !IsLocale(r.Locale) {
		v.Add("locale", "must be one of "+strings.Join(Locales(), ", "))
	}
	return v.Err()
}

// Book reserves the slot at r.Start for the least-loaded free clerk and
// opens a case. ErrSlotTaken when no clerk is free any more.
func (o *Office) Book(ctx context.Context, r BookingRequest) (BookingResult, error) {
	if err := r.Validate(); err != nil {
		return BookingResult{}, err
	}
	svc, err := o.cachedService(ctx, r.ServiceID)
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
	sealedJoin, err := o.sealJoinToken(join)
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
		Locale:          r.Locale,
		ConsentAt:       now,
		JoinTokenHash:   joinHash,
		JoinExpiresAt:   slot.End,
		ManageTokenHash: manageHash,
		ManageExpiresAt: slot.End,
		CreatedAt:       now,
		ScheduledAt:     now,
		JoinTokenSealed: sealedJoin,
	}
	dayStart, dayEnd := day.At(0, o.opt.Location), day.AddDays(1).At(0, o.opt.Location)
	loads, err := o.dayLoads(ctx, day, dayStart, dayEnd)
	if err != nil {
		return BookingResult{}, err
	}
	var mails []OutboxEntry
	stored, err := o.store.Reserve(ctx, Reservation{
		Loads:       loads,
		Appointment: appt,
		Candidates:  slot.Clerks,
		Likely:      slot.free,
		DayStart:    dayStart,
		DayEnd:      dayEnd,
		Now:         now,
		Mails: func(a Appointment) ([]OutboxEntry, error) {
			var err error
			mails, err = o.composeMail(MailData{Kind: MailConfirmation, Language: a.Locale, To: a.CitizenEmail,
				Appointment: a, ServiceName: svc.Name, JoinToken: join, ManageToken: manage},
				fmt.Sprintf("confirmation:%d", a.ID))
			return mails, err
		},
	}, o.pickClerk)
	switch {
	case err == nil:
		o.cache.booked(day, stored.ClerkID, stored.Start, stored.BusyUntil)
		o.mailQueued(len(mails))
	case errors.Is(err, ErrSlotTaken):
		// The grid promised a free clerk the database did not have: a
		// concurrent booking took the last one, or another server process
		// booked. Either way the slot is taken; dropping the whole day
		// would make every request of a rush recompute it.
		o.cache.taken(svc.ID, day, slot.Start, slot.Clerks)
	}
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
	// Only the schedule decides whether start is a slot and who offers it;
	// who is free is decided by Reserve under lock. A cached grid also
	// answers "taken" without a write transaction.
	day := DateOf(start)
	if grid, _, cached := o.cache.get(svc.ID, day, day); cached {
		for _, s := range grid {
			if s.Start.Equal(start) {
				if s.Available == 0 {
					return Slot{}, fmt.Errorf("booking: slot %s: %w", start.Format(time.RFC3339), ErrSlotTaken)
				}
				return s, nil
			}
		}
		return Slot{}, invalid("start", "is not a bookable slot time of this service")
	}
	hours, closures, err := o.schedule(ctx, svc, day, day)
	if err != nil {
		return Slot{}, err
	}
	if s, ok := slotOnGrid(svc, hours, closures, day, start, o.opt.Location); ok {
		return s, nil
	}
	return Slot{}, invalid("start", "is not a bookable slot time of this service")
}

// slotOnGrid says which clerks' grids contain start on day, by arithmetic
// on each opening instead of laying the whole day's grid.
func slotOnGrid(svc Service, hours []OpeningHours, closures []Closure, day Date, start time.Time, loc *time.Location) (Slot, bool) {
	dur, step := svc.Duration(), svc.Step()
	slot := Slot{Start: start, End: start.Add(dur)}
	for _, h := range hours {
		if h.ServiceID != svc.ID || h.Weekday != day.ISOWeekday() || closedFor(closures, h.ClerkID) || containsID(slot.Clerks, h.ClerkID) {
			continue
		}
		open, closing := day.At(h.Start, loc), day.At(h.End, loc)
		if start.Before(open) || slot.End.After(closing) || start.Sub(open)%step != 0 {
			continue
		}
		slot.Clerks = append(slot.Clerks, h.ClerkID)
	}
	slot.Available = len(slot.Clerks)
	return slot, slot.Available > 0
}

// closedFor reports whether the office or the clerk is closed (closures of one day).
func closedFor(closures []Closure, clerkID int64) bool {
	for _, c := range closures {
		if c.ClerkID == 0 || c.ClerkID == clerkID {
			return true
		}
	}
	return false
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
