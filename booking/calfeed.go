package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// feedHorizon is how far ahead a clerk's calendar feed looks.
const feedHorizon = 180 * 24 * time.Hour

// RotateCalendarFeed gives the clerk a new secret feed token; an older one
// stops working. Only the hash is stored.
func (o *Office) RotateCalendarFeed(ctx context.Context, a Actor) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	err = o.audited(ctx, a, ActionCalendarFeed, func(tx Store) (string, string, error) {
		if err := tx.SetCalendarFeed(ctx, a.UserID, hash, o.now()); err != nil {
			return "", "", fmt.Errorf("booking: calendar feed of %d: %w", a.UserID, err)
		}
		return userObject(a.UserID), "", nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeCalendarFeed ends the clerk's feed.
func (o *Office) RevokeCalendarFeed(ctx context.Context, a Actor) error {
	return o.audited(ctx, a, ActionCalendarFeedOff, func(tx Store) (string, string, error) {
		if err := tx.DeleteCalendarFeed(ctx, a.UserID); err != nil {
			return "", "", fmt.Errorf("booking: revoke calendar feed of %d: %w", a.UserID, err)
		}
		return userObject(a.UserID), "", nil
	})
}

// CalendarFeed returns the booked appointments of the feed's clerk from the
// start of today on. ErrNotFound for unknown tokens or inactive clerks.
func (o *Office) CalendarFeed(ctx context.Context, token string) ([]Appointment, error) {
	if !plausibleToken(token) {
		return nil, fmt.Errorf("booking: calendar feed: %w", ErrNotFound)
	}
	uid, err := o.store.CalendarFeedUser(ctx, HashToken(token))
	if err != nil {
		return nil, fmt.Errorf("booking: calendar feed: %w", err)
	}
	u, err := o.store.User(ctx, uid)
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Active) {
		return nil, fmt.Errorf("booking: calendar feed: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("booking: calendar feed: %w", err)
	}
	from := DateOf(o.now()).At(0, o.opt.Location)
	list, err := o.store.ClerkAppointments(ctx, uid, from, from.Add(feedHorizon))
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, a := range list {
		if a.Status == StatusBooked {
			out = append(out, a)
		}
	}
	return out, nil
}
