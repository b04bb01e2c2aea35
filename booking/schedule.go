package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CreateService stores a new slot type.
func (o *Office) CreateService(ctx context.Context, a Actor, s Service) (Service, error) {
	if err := requireAdmin(a); err != nil {
		return Service{}, err
	}
	if err := s.Validate(); err != nil {
		return Service{}, err
	}
	s.ID = 0
	err := o.audited(ctx, a, ActionServiceCreated, func(tx Store) (string, string, error) {
		if err := tx.CreateService(ctx, &s); err != nil {
			return "", "", fmt.Errorf("booking: create service: %w", err)
		}
		return idObject("service", s.ID), "", nil
	})
	if err != nil {
		return Service{}, err
	}
	return s, nil
}

// UpdateService replaces a slot type's settings. Booked appointments keep
// their times; only future slots follow the new grid.
func (o *Office) UpdateService(ctx context.Context, a Actor, s Service) (Service, error) {
	if err := requireAdmin(a); err != nil {
		return Service{}, err
	}
	if err := s.Validate(); err != nil {
		return Service{}, err
	}
	err := o.audited(ctx, a, ActionServiceUpdated, func(tx Store) (string, string, error) {
		if err := tx.UpdateService(ctx, s); err != nil {
			return "", "", fmt.Errorf("booking: update service %d: %w", s.ID, err)
		}
		return idObject("service", s.ID), "", nil
	})
	o.cache.invalidateAll()
	if err != nil {
		return Service{}, err
	}
	return s, nil
}

// Services lists slot types; citizens see published ones only.
func (o *Office) Services(ctx context.Context, publishedOnly bool) ([]Service, error) {
	return o.store.Services(ctx, publishedOnly)
}

// Service returns one slot type.
func (o *Office) Service(ctx context.Context, id int64) (Service, error) {
	return o.store.Service(ctx, id)
}

// AddOpeningHours gives a clerk weekly hours for a service.
func (o *Office) AddOpeningHours(ctx context.Context, a Actor, h OpeningHours) (OpeningHours, error) {
	if err := requireAdmin(a); err != nil {
		return OpeningHours{}, err
	}
	if err := h.Validate(); err != nil {
		return OpeningHours{}, err
	}
	if _, err := o.store.Service(ctx, h.ServiceID); err != nil {
		return OpeningHours{}, fmt.Errorf("booking: hours for service %d: %w", h.ServiceID, err)
	}
	if err := o.checkClerk(ctx, h.ClerkID, "clerk_id"); err != nil {
		return OpeningHours{}, err
	}
	existing, err := o.store.OpeningHours(ctx, h.ServiceID)
	if err != nil {
		return OpeningHours{}, fmt.Errorf("booking: hours: %w", err)
	}
	for _, e := range existing {
		if h.overlaps(e) {
			return OpeningHours{}, invalid("start", "overlaps existing hours "+e.Start.String()+"–"+e.End.String()+" of this clerk")
		}
	}
	h.ID = 0
	err = o.audited(ctx, a, ActionHoursAdded, func(tx Store) (string, string, error) {
		if err := tx.AddOpeningHours(ctx, &h); err != nil {
			return "", "", fmt.Errorf("booking: add hours: %w", err)
		}
		return idObject("hours", h.ID), idObject("service", h.ServiceID), nil
	})
	o.cache.invalidateAll()
	if err != nil {
		return OpeningHours{}, err
	}
	return h, nil
}

// checkClerk reports a validation error on field unless id is an active staff member.
func (o *Office) checkClerk(ctx context.Context, id int64, field string) error {
	u, err := o.store.User(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Active) {
		return invalid(field, "is not an active staff member")
	}
	if err != nil {
		return fmt.Errorf("booking: clerk %d: %w", id, err)
	}
	return nil
}

// OpeningHours lists the weekly hours of a service (0: all services).
func (o *Office) OpeningHours(ctx context.Context, a Actor, serviceID int64) ([]OpeningHours, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	return o.store.OpeningHours(ctx, serviceID)
}

// DeleteOpeningHours removes a weekly entry; booked appointments stay.
func (o *Office) DeleteOpeningHours(ctx context.Context, a Actor, id int64) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	defer o.cache.invalidateAll()
	return o.audited(ctx, a, ActionHoursDeleted, func(tx Store) (string, string, error) {
		return idObject("hours", id), "", tx.DeleteOpeningHours(ctx, id)
	})
}

// AddClosure closes a day for the office (ClerkID 0) or a clerk.
func (o *Office) AddClosure(ctx context.Context, a Actor, c Closure) (Closure, error) {
	if err := requireAdmin(a); err != nil {
		return Closure{}, err
	}
	v := &ValidationError{}
	c.Reason = strings.TrimSpace(c.Reason)
	checkLine(v, "reason", c.Reason, 0, 200)
	if err := v.Err(); err != nil {
		return Closure{}, err
	}
	if c.ClerkID != 0 {
		if err := o.checkClerk(ctx, c.ClerkID, "clerk_id"); err != nil {
			return Closure{}, err
		}
	}
	c.ID = 0
	err := o.audited(ctx, a, ActionClosureAdded, func(tx Store) (string, string, error) {
		if err := tx.AddClosure(ctx, &c); err != nil {
			return "", "", fmt.Errorf("booking: add closure: %w", err)
		}
		return idObject("closure", c.ID), "", nil
	})
	o.cache.invalidateAll()
	if err != nil {
		return Closure{}, err
	}
	return c, nil
}

// Closures lists closures in a date range.
func (o *Office) Closures(ctx context.Context, a Actor, from, to Date) ([]Closure, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	return o.store.Closures(ctx, from, to)
}

// DeleteClosure reopens a day.
func (o *Office) DeleteClosure(ctx context.Context, a Actor, id int64) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	defer o.cache.invalidateAll()
	return o.audited(ctx, a, ActionClosureDeleted, func(tx Store) (string, string, error) {
		return idObject("closure", id), "", tx.DeleteClosure(ctx, id)
	})
}
