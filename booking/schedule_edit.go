package booking

import (
	"context"
	"fmt"
)

// UpdateOpeningHours changes an entry's clerk, weekday and times under the
// rules for adding one; it stays with its service. Booked appointments
// keep their times, as when hours are deleted.
func (o *Office) UpdateOpeningHours(ctx context.Context, a Actor, h OpeningHours) (OpeningHours, error) {
	if err := requireAdmin(a); err != nil {
		return OpeningHours{}, err
	}
	all, err := o.store.OpeningHours(ctx, 0)
	if err != nil {
		return OpeningHours{}, fmt.Errorf("booking: hours: %w", err)
	}
	found := false
	for _, e := range all {
		if e.ID == h.ID {
			h.ServiceID, found = e.ServiceID, true
		}
	}
	if !found {
		return OpeningHours{}, fmt.Errorf("booking: hours %d: %w", h.ID, ErrNotFound)
	}
	if err := h.Validate(); err != nil {
		return OpeningHours{}, err
	}
	if err := o.checkClerk(ctx, h.ClerkID, "clerk_id"); err != nil {
		return OpeningHours{}, err
	}
	for _, e := range all {
		if e.ID != h.ID && h.overlaps(e) {
			return OpeningHours{}, invalid("start", "overlaps existing hours "+e.Start.String()+"–"+e.End.String()+" of this clerk")
		}
	}
	defer o.cache.invalidateAll()
	err = o.audited(ctx, a, ActionHoursUpdated, func(tx Store) (string, string, error) {
		if err := tx.UpdateOpeningHours(ctx, h); err != nil {
			return "", "", fmt.Errorf("booking: update hours %d: %w", h.ID, err)
		}
		return idObject("hours", h.ID), idObject("service", h.ServiceID), nil
	})
	if err != nil {
		return OpeningHours{}, err
	}
	return h, nil
}

// DeleteService removes a service nobody has booked, with its opening
// hours; one with appointments (of any state) is refused with
// ErrServiceInUse, since cases and the audit trail name it.
func (o *Office) DeleteService(ctx context.Context, a Actor, id int64) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	defer o.cache.invalidateAll()
	return o.audited(ctx, a, ActionServiceDeleted, func(tx Store) (string, string, error) {
		if err := tx.DeleteService(ctx, id); err != nil {
			return "", "", fmt.Errorf("booking: delete service %d: %w", id, err)
		}
		return idObject("service", id), "", nil
	})
}
