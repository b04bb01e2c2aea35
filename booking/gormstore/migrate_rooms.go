package gormstore

import (
	"fmt"

	"gorm.io/gorm"
)

// migrateRoomSessions keeps room sessions in the database instead of one
// process's memory, so a call survives a restart (and several processes
// share them), and indexes call events for closing calls a crash left open.
func migrateRoomSessions(tx *gorm.DB, _ bool) error {
	for _, q := range []string{
		`CREATE TABLE room_sessions (
			token_hash     VARCHAR(64) PRIMARY KEY,
			appointment_id BIGINT NOT NULL,
			participant_id VARCHAR(64) NOT NULL,
			role           VARCHAR(16) NOT NULL,
			display_name   VARCHAR(200) NOT NULL DEFAULT '',
			admitted       BOOLEAN NOT NULL DEFAULT FALSE,
			created_unix   BIGINT NOT NULL,
			used_unix      BIGINT NOT NULL,
			expires_unix   BIGINT NOT NULL,
			ends_unix      BIGINT NOT NULL)`,
		`CREATE INDEX idx_room_sessions_participant ON room_sessions (appointment_id, participant_id)`,
		`CREATE INDEX idx_room_sessions_expires ON room_sessions (expires_unix)`,
		`CREATE INDEX idx_case_events_type_at ON case_events (type, at)`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
