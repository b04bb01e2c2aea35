package gormstore

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// CaseByNumber implements booking.CaseStore.
func (s *Store) CaseByNumber(ctx context.Context, number string) (booking.Case, error) {
	db := s.read(ctx)
	var c caseRow
	if err := db.Take(&c, "number = ?", number).Error; err != nil {
		return booking.Case{}, fmt.Errorf("gormstore: case: %w", mapErr(err))
	}
	var a appointmentRow
	if err := db.Select("id, service_id, start_unix, end_unix, status").Take(&a, "case_id = ?", c.ID).Error; err != nil {
		return booking.Case{}, fmt.Errorf("gormstore: case %d appointment: %w", c.ID, mapErr(err))
	}
	var notes []noteRow
	if err := db.Where("case_id = ?", c.ID).Order("created_at, id").Find(&notes).Error; err != nil {
		return booking.Case{}, fmt.Errorf("gormstore: case %d notes: %w", c.ID, err)
	}
	var events []eventRow
	if err := db.Where("case_id = ?", c.ID).Order("at, id").Find(&events).Error; err != nil {
		return booking.Case{}, fmt.Errorf("gormstore: case %d events: %w", c.ID, err)
	}
	out := booking.Case{
		ID: c.ID, Number: number, ClerkID: c.ClerkID, Status: booking.Status(a.Status), AppointmentID: a.ID,
		ServiceID: a.ServiceID, Start: fromUnix(a.StartUnix), End: fromUnix(a.EndUnix),
		CreatedAt: fromUnix(c.CreatedAt),
	}
	for _, n := range notes {
		out.Notes = append(out.Notes, n.domain())
	}
	for _, e := range events {
		out.Events = append(out.Events, e.domain())
	}
	return out, nil
}

// AddNote implements booking.CaseStore.
func (s *Store) AddNote(ctx context.Context, n *booking.Note) error {
	row := noteRow{CaseID: n.CaseID, AuthorID: n.AuthorID, Text: n.Text, CreatedAt: unix(n.CreatedAt)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		ev := toEventRow(booking.Event{CaseID: n.CaseID, Type: booking.EventNoteAdded, At: n.CreatedAt, ActorID: n.AuthorID})
		return tx.Create(&ev).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: add note: %w", mapErr(err))
	}
	n.ID = row.ID
	return nil
}

// AppendEvent implements booking.CaseStore.
func (s *Store) AppendEvent(ctx context.Context, ev booking.Event) error {
	row := toEventRow(ev)
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: append event: %w", mapErr(err))
	}
	return nil
}
