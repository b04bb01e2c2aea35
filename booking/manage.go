package booking

import (
	"context"
	"errors"
	"fmt"
)

// ByManageToken finds the appointment a manage link points to.
// ErrNotFound for unknown tokens, ErrExpired once the appointment is over.
func (o *Office) ByManageToken(ctx context.Context, token string) (Appointment, error) {
	if !plausibleToken(token) {
		return Appointment{}, fmt.Errorf("booking: manage token: %w", ErrNotFound)
	}
	a, err := o.store.AppointmentByManageHash(ctx, HashToken(token))
	if err != nil {
		return Appointment{}, fmt.Errorf("booking: manage token: %w", err)
	}
	if !o.now().Before(a.ManageExpiresAt) {
		return Appointment{}, fmt.Errorf("booking: manage token: %w", ErrExpired)
	}
	return a, nil
}

// ByJoinToken finds the appointment a join link points to, while the link
// is valid: from JoinEarly before the start until the end.
func (o *Office) ByJoinToken(ctx context.Context, token string) (Appointment, error) {
	if !plausibleToken(token) {
		return Appointment{}, fmt.Errorf("booking: join token: %w", ErrNotFound)
	}
	a, err := o.store.AppointmentByJoinHash(ctx, HashToken(token))
	if err != nil {
		return Appointment{}, fmt.Errorf("booking: join token: %w", err)
	}
	if !o.now().Before(a.JoinExpiresAt) {
		return Appointment{}, fmt.Errorf("booking: join token: %w", ErrExpired)
	}
	return a, nil
}

// CancelByToken cancels the appointment of a manage link and frees its time.
// Cancelling twice is not an error, so a citizen's retry is harmless.
func (o *Office) CancelByToken(ctx context.Context, token string) (Appointment, error) {
	a, err := o.ByManageToken(ctx, token)
	if err != nil {
		return Appointment{}, err
	}
	switch {
	case a.Status == StatusCancelled:
		return a, nil
	case a.Status != StatusBooked:
		return Appointment{}, fmt.Errorf("booking: cancel %d (%s): %w", a.ID, a.Status, ErrConflict)
	case !o.now().Before(a.Start):
		return Appointment{}, fmt.Errorf("booking: cancel %d: %w", a.ID, ErrTooLate)
	}
	ev := Event{CaseID: a.CaseID, Type: EventCancelled, At: o.now(), Detail: "by citizen"}
	mails, err := o.cancellationMails(ctx, a, true)
	if err != nil {
		return Appointment{}, err
	}
	err = o.store.SetAppointmentStatus(ctx, a.ID, []Status{StatusBooked}, StatusCancelled, ev, mails...)
	o.cache.invalidateDay(DateOf(a.Start.In(o.opt.Location)))
	if errors.Is(err, ErrConflict) {
		// A concurrent cancel won; report the stored state.
		return o.store.Appointment(ctx, a.ID)
	}
	if err != nil {
		return Appointment{}, fmt.Errorf("booking: cancel %d: %w", a.ID, err)
	}
	o.mailQueued(len(mails))
	o.appointmentEnded(a.ID)
	a.Status = StatusCancelled
	return a, nil
}

// cancellationMails tells the citizen and, when the citizen cancelled, the
// responsible clerk, so the freed time is not a surprise.
func (o *Office) cancellationMails(ctx context.Context, a Appointment, byCitizen bool) ([]OutboxEntry, error) {
	svc := o.serviceName(ctx, a.ServiceID)
	out, err := o.composeMail(MailData{Kind: MailCancellation, Language: a.Locale, To: a.CitizenEmail,
		Appointment: a, ServiceName: svc}, fmt.Sprintf("cancellation:%d", a.ID))
	if err != nil || !byCitizen {
		return out, err
	}
	clerk, err := o.store.User(ctx, a.ClerkID)
	if err != nil {
		return nil, fmt.Errorf("booking: clerk of %d: %w", a.ID, err)
	}
	note, err := o.composeMail(MailData{Kind: MailClerkCancelled, Language: "de", To: clerk.Email,
		Appointment: a, ServiceName: svc}, fmt.Sprintf("clerk_cancelled:%d", a.ID))
	return append(out, note...), err
}
