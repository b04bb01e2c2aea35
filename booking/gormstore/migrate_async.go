package gormstore

import (
	"fmt"

	"gorm.io/gorm"
)

// migrateAsync (version 2) adds what mails, jobs, audit and feeds need:
// new appointment and case columns and four tables. Databases created
// after these columns joined the row structs got them in version 1
// already, hence the HasColumn checks.
func migrateAsync(tx *gorm.DB, _ bool) error {
	m := tx.Migrator()
	for _, c := range []struct {
		model any
		field string
	}{
		{&appointmentRow{}, "Sequence"},
		{&appointmentRow{}, "ScheduledAt"},
		{&appointmentRow{}, "JoinTokenSealed"},
		{&appointmentRow{}, "JoinedAt"},
		{&appointmentRow{}, "AnonymisedAt"},
		{&caseRow{}, "ArchiveOfferedAt"},
		{&caseRow{}, "ArchivedAt"},
	} {
		if m.HasColumn(c.model, c.field) {
			continue
		}
		if err := m.AddColumn(c.model, c.field); err != nil {
			return fmt.Errorf("add column %s: %w", c.field, err)
		}
	}
	if err := tx.Exec("UPDATE appointments SET scheduled_at = created_at WHERE scheduled_at = 0").Error; err != nil {
		return fmt.Errorf("backfill scheduled_at: %w", err)
	}
	return tx.AutoMigrate(&outboxRow{}, &auditRow{}, &settingRow{}, &feedRow{})
}
