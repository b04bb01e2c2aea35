package booking

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// DefaultReminders are sent before each appointment unless configured otherwise.
func DefaultReminders() []time.Duration { return []time.Duration{24 * time.Hour, time.Hour} }

// SendReminders queues the reminder mails due at now. For each booked
// appointment only the latest due reminder counts (after a downtime the
// citizen gets one mail, not a burst), none that fell due before the time
// was chosen, and none once it has begun. A dedup key per appointment,
// sequence and offset makes repeated runs harmless.
func (o *Office) SendReminders(ctx context.Context, now time.Time) (queued int, err error) {
	defer func() { o.mailQueued(queued) }()
	offsets := o.opt.Reminders
	if len(offsets) == 0 {
		return 0, nil
	}
	longest := slices.Max(offsets)
	// One second past the longest offset so a reminder due exactly now is seen.
	list, err := o.store.UpcomingAppointments(ctx, now, now.Add(longest+time.Second))
	if err != nil {
		return 0, fmt.Errorf("booking: reminders: %w", err)
	}
	names := map[int64]string{}
	for _, a := range list {
		d, ok := dueReminder(offsets, a, now)
		if !ok {
			continue
		}
		if _, seen := names[a.ServiceID]; !seen {
			names[a.ServiceID] = o.serviceName(ctx, a.ServiceID)
		}
		mails, err := o.composeMail(MailData{Kind: MailReminder, Language: a.Locale, To: a.CitizenEmail,
			Appointment: a, ServiceName: names[a.ServiceID], JoinToken: o.joinToken(a), Before: d},
			fmt.Sprintf("reminder:%d:%d:%d", a.ID, a.Sequence, int64(d/time.Minute)))
		if err != nil {
			return queued, err
		}
		n, err := o.store.EnqueueMail(ctx, mails...)
		if err != nil {
			return queued, fmt.Errorf("booking: queue reminder for %d: %w", a.ID, err)
		}
		queued += n
	}
	return queued, nil
}

// dueReminder picks the shortest offset whose time has come.
func dueReminder(offsets []time.Duration, a Appointment, now time.Time) (time.Duration, bool) {
	if !now.Before(a.Start) || a.Status != StatusBooked {
		return 0, false
	}
	best, found := time.Duration(0), false
	for _, d := range offsets {
		due := a.Start.Add(-d)
		if now.Before(due) || !due.After(a.ScheduledAt) {
			continue
		}
		if !found || d < best {
			best, found = d, true
		}
	}
	return best, found
}
