package gormstore

import (
	"context"
	"fmt"

	"github.com/sprechstunde/sprechstunde/booking"
)

// The checks below let the booking load tool ask, after a rush, whether the
// database kept its promises: the overlap guard held under contention and
// every confirmed booking was stored. They keep the schema in this package.

// DoubleBookings counts the pairs of booked appointments of one clerk whose
// busy spans [start, busy_until) overlap: any answer but 0 is a bug.
func (s *Store) DoubleBookings(ctx context.Context) (int, error) {
	var n int64
	err := s.read(ctx).Raw(`SELECT count(*) FROM appointments a JOIN appointments b
		ON a.clerk_id = b.clerk_id AND a.id < b.id AND a.status = ? AND b.status = ?
		AND a.start_unix < b.busy_until_unix AND b.start_unix < a.busy_until_unix`,
		string(booking.StatusBooked), string(booking.StatusBooked)).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("gormstore: double-booking check: %w", err)
	}
	return int(n), nil
}

// BookedAppointments counts the booked appointments of a service.
func (s *Store) BookedAppointments(ctx context.Context, serviceID int64) (int, error) {
	var n int64
	err := s.read(ctx).Model(&appointmentRow{}).
		Where("service_id = ? AND status = ?", serviceID, string(booking.StatusBooked)).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("gormstore: count bookings of service %d: %w", serviceID, err)
	}
	return int(n), nil
}
