package booking

import (
	"context"
	"fmt"
	"strconv"
)

// ClerkAppointment returns one appointment to its clerk (or an admin), so
// the console can show the case's context and find the case number
// whether or not the room is open. Another clerk's looks missing.
func (o *Office) ClerkAppointment(ctx context.Context, a Actor, id int64) (Appointment, error) {
	ap, err := o.store.Appointment(ctx, id)
	if err != nil {
		return Appointment{}, fmt.Errorf("booking: appointment %d: %w", id, err)
	}
	if err := mayHandle(a, ap.ClerkID, "appointment "+strconv.FormatInt(id, 10)); err != nil {
		return Appointment{}, err
	}
	return ap, nil
}
