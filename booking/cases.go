package booking

import (
	"context"
	"fmt"
	"strings"
)

// ClerkAppointments lists the appointments of clerkID on days from..to.
// Clerks see only their own; admins may look at anyone's.
func (o *Office) ClerkAppointments(ctx context.Context, a Actor, clerkID int64, from, to Date) ([]Appointment, error) {
	if to.Before(from) {
		return nil, invalid("to", "must not be before from")
	}
	if from.AddDays(366).Before(to) {
		return nil, invalid("to", "range must not exceed one year")
	}
	if clerkID == 0 {
		clerkID = a.UserID
	}
	if clerkID != a.UserID && !a.isAdmin() {
		return nil, fmt.Errorf("booking: appointments of clerk %d: %w", clerkID, ErrForbidden)
	}
	loc := o.opt.Location
	return o.store.ClerkAppointments(ctx, clerkID, from.At(0, loc), to.AddDays(1).At(0, loc))
}

// Case returns a case with notes and timeline if the actor may see it.
func (o *Office) Case(ctx context.Context, a Actor, number string) (Case, error) {
	c, err := o.store.CaseByNumber(ctx, strings.TrimSpace(number))
	if err != nil {
		return Case{}, fmt.Errorf("booking: case %q: %w", number, err)
	}
	if err := mayHandle(a, c.ClerkID, "case "+c.Number); err != nil {
		return Case{}, err
	}
	return c, nil
}

// AddNote appends a clerk's note to a case.
func (o *Office) AddNote(ctx context.Context, a Actor, number, text string) (Note, error) {
	text = MultiLine(text)
	v := &ValidationError{}
	checkText(v, "text", text, 1, 20000)
	if err := v.Err(); err != nil {
		return Note{}, err
	}
	c, err := o.Case(ctx, a, number)
	if err != nil {
		return Note{}, err
	}
	n := Note{CaseID: c.ID, AuthorID: a.UserID, Text: text, CreatedAt: o.now()}
	err = o.audited(ctx, a, ActionNoteAdded, func(tx Store) (string, string, error) {
		if err := tx.AddNote(ctx, &n); err != nil {
			return "", "", fmt.Errorf("booking: note on %s: %w", c.Number, err)
		}
		return caseObject(c.ID), "", nil
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// SetCaseStatus lets the responsible clerk (or an admin) mark the
// appointment of a case done, no-show or cancelled.
func (o *Office) SetCaseStatus(ctx context.Context, a Actor, number string, to Status) (Case, error) {
	if to != StatusDone && to != StatusNoShow && to != StatusCancelled {
		return Case{}, invalid("status", "must be done, no_show or cancelled")
	}
	c, err := o.Case(ctx, a, number)
	if err != nil {
		return Case{}, err
	}
	from := []Status{StatusBooked, StatusDone, StatusNoShow}
	if to == StatusCancelled {
		from = []Status{StatusBooked}
	}
	appt, err := o.store.AppointmentOfCase(ctx, c.ID)
	if err != nil {
		return Case{}, fmt.Errorf("booking: case %s: %w", c.Number, err)
	}
	ev := Event{CaseID: c.ID, Type: EventStatusChanged, At: o.now(), ActorID: a.UserID, Detail: string(to)}
	var mails []OutboxEntry
	if to == StatusCancelled {
		ev.Type, ev.Detail = EventCancelled, "by staff"
		if mails, err = o.cancellationMails(ctx, appt, false); err != nil {
			return Case{}, err
		}
	}
	err = o.audited(ctx, a, ActionCaseStatus, func(tx Store) (string, string, error) {
		if err := tx.SetAppointmentStatus(ctx, appt.ID, from, to, ev, mails...); err != nil {
			return "", "", fmt.Errorf("booking: case %s to %s: %w", c.Number, to, err)
		}
		return caseObject(c.ID), string(to), nil
	})
	o.cache.invalidateDay(DateOf(appt.Start.In(o.opt.Location)))
	if err != nil {
		return Case{}, err
	}
	o.mailQueued(len(mails))
	o.appointmentEnded(appt.ID) // to is never booked
	return o.store.CaseByNumber(ctx, c.Number)
}
