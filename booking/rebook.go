package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RebookByToken moves the appointment of a manage link to another slot of
// the same service. The case, its number and both links stay; the links
// now expire with the new end. The store locks exactly as for a booking,
// so a rebooking can never double-book a clerk.
func (o *Office) RebookByToken(ctx context.Context, token string, start time.Time) (BookingResult, error) {
	a, err := o.ByManageToken(ctx, token)
	if err != nil {
		return BookingResult{}, err
	}
	switch {
	case a.Status != StatusBooked:
		return BookingResult{}, fmt.Errorf("booking: rebook %d (%s): %w", a.ID, a.Status, ErrConflict)
	case !o.now().Before(a.Start):
		return BookingResult{}, fmt.Errorf("booking: rebook %d: %w", a.ID, ErrTooLate)
	case start.IsZero():
		return BookingResult{}, invalid("start", "is required")
	case start.Equal(a.Start):
		return BookingResult{}, invalid("start", "is the current time of the appointment")
	}
	svc, err := o.store.Service(ctx, a.ServiceID)
	if err != nil {
		return BookingResult{}, fmt.Errorf("booking: rebook %d: %w", a.ID, err)
	}
	slot, err := o.rebookSlot(ctx, svc, start)
	if err != nil {
		return BookingResult{}, err
	}
	join := o.joinToken(a)
	now := o.now()
	day := DateOf(slot.Start)
	var mails []OutboxEntry
	stored, err := o.store.Rebook(ctx, Rebooking{
		AppointmentID: a.ID,
		Sequence:      a.Sequence,
		Start:         slot.Start,
		End:           slot.End,
		BusyUntil:     slot.Start.Add(svc.Step()),
		Candidates:    slot.Clerks,
		DayStart:      day.At(0, o.opt.Location),
		DayEnd:        day.AddDays(1).At(0, o.opt.Location),
		Now:           now,
		Event:         Event{CaseID: a.CaseID, Type: EventRebooked, At: now, Detail: "by citizen"},
		Mails: func(b Appointment) ([]OutboxEntry, error) {
			var err error
			mails, err = o.composeMail(MailData{Kind: MailRebooking, Language: b.Locale, To: b.CitizenEmail,
				Appointment: b, ServiceName: svc.Name, JoinToken: join, ManageToken: token},
				fmt.Sprintf("rebooking:%d:%d", b.ID, b.Sequence))
			return mails, err
		},
	}, rebookPicker(a.ClerkID))
	o.cache.invalidateDay(DateOf(a.Start.In(o.opt.Location)))
	o.cache.invalidateDay(day)
	if err != nil {
		return BookingResult{}, fmt.Errorf("booking: rebook %d to %s: %w", a.ID, start.Format(time.RFC3339), err)
	}
	o.mailQueued(len(mails))
	return BookingResult{Appointment: stored, JoinToken: join, ManageToken: token}, nil
}

// rebookSlot finds the slot at start. The grid counts the appointment
// itself as busy, so for a small shift it reports the slot taken; then the
// store decides under lock, where the appointment does not count.
func (o *Office) rebookSlot(ctx context.Context, svc Service, start time.Time) (Slot, error) {
	slot, err := o.slotAt(ctx, svc, start)
	if !errors.Is(err, ErrSlotTaken) {
		return slot, err
	}
	start = start.In(o.opt.Location)
	day := DateOf(start)
	grid, gerr := o.grid(ctx, svc, day, day)
	if gerr != nil {
		return Slot{}, gerr
	}
	for _, s := range grid {
		if s.Start.Equal(start) {
			return s, nil
		}
	}
	return Slot{}, err
}

// rebookPicker keeps the current clerk when free, else takes the least
// loaded free one. The per-address limit does not apply: the citizen
// holds no more appointments than before.
func rebookPicker(current int64) Picker {
	return func(v ReserveView) (int64, error) {
		for _, c := range v.Clerks {
			if c.ClerkID == current && c.Free {
				return current, nil
			}
		}
		v.OpenBookingsForEmail = 0
		return (&Office{}).pickClerk(v)
	}
}
