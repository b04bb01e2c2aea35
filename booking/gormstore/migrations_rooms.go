package gormstore

// roomSessionsMigration is migration 6 on both databases: room sessions in
// the database instead of one process's memory, so a call survives a
// restart (and several processes share them), and call events indexed for
// closing calls a crash left open. Released; never edit.
func roomSessionsMigration() migration {
	return migration{
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
	}
}
