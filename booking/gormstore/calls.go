package gormstore

import (
	"context"
	"fmt"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// OpenCallsBefore implements booking.CallStore. Timeline entries of a case
// are appended in order, so "later" is a higher ID.
func (s *Store) OpenCallsBefore(ctx context.Context, t time.Time) ([]booking.OpenCall, error) {
	var rows []struct {
		CaseID int64
		At     int64
	}
	err := s.read(ctx).Raw(`SELECT e.case_id, e.at FROM case_events e
		WHERE e.type = ? AND e.at < ?
		  AND NOT EXISTS (SELECT 1 FROM case_events x
		                  WHERE x.case_id = e.case_id AND x.type = ? AND x.id > e.id)
		ORDER BY e.id`,
		string(booking.EventCallStarted), t.Unix(), string(booking.EventCallEnded)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gormstore: open calls: %w", err)
	}
	out := make([]booking.OpenCall, len(rows))
	for i, r := range rows {
		out[i] = booking.OpenCall{CaseID: r.CaseID, StartedAt: fromUnix(r.At)}
	}
	return out, nil
}
