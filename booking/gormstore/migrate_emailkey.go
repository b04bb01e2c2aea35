package gormstore

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// migrateEmailKey (version 5) stores beside each address the key the limit
// of open bookings counts (booking.EmailLimitKey: lower-case, without a
// "+tag"), fills it for existing appointments and indexes it for the count
// under the booking lock. Databases created after the column joined
// appointmentRow got it in version 1 already.
func migrateEmailKey(tx *gorm.DB, postgres bool) error {
	if m := tx.Migrator(); !m.HasColumn(&appointmentRow{}, "CitizenEmailKey") {
		if err := m.AddColumn(&appointmentRow{}, "CitizenEmailKey"); err != nil {
			return fmt.Errorf("add column citizen_email_key: %w", err)
		}
	}
	pos := "instr(citizen_email, '%s')"
	if postgres {
		pos = "strpos(citizen_email, '%s')"
	}
	plus, at := fmt.Sprintf(pos, "+"), fmt.Sprintf(pos, "@")
	backfill := strings.NewReplacer("{plus}", plus, "{at}", at).Replace(`UPDATE appointments SET citizen_email_key =
	  lower(CASE WHEN {plus} > 1 AND {plus} < {at}
	    THEN substr(citizen_email, 1, {plus} - 1) || substr(citizen_email, {at})
	    ELSE citizen_email END)
	  WHERE citizen_email_key = '' AND citizen_email <> ''`)
	for _, q := range []string{backfill,
		`CREATE INDEX IF NOT EXISTS idx_appt_email_key ON appointments (citizen_email_key, status, start_unix)`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
