package gormstore

// The SQLite schema, one migration per version. Append only: a migration is
// never edited once released, since databases out there have applied it as
// it was; a change to the schema is a new migration at the end. Versions
// 1–4 are written exactly as the code of those releases had gorm create
// them (sqlite_master of an old database and of a new one holds the same
// text), and migrate_test.go checks them against the released schemas in
// testdata/schema.
func sqliteMigrations() []migration {
	return []migration{
		// 1: staff, services, hours, closures, cases, appointments, and the
		// overlap guard.
		{
			"CREATE TABLE `services` (`id` integer PRIMARY KEY AUTOINCREMENT,`name` text NOT NULL," +
				"`description` text NOT NULL DEFAULT \"\",`duration_minutes` integer NOT NULL," +
				"`buffer_minutes` integer NOT NULL,`min_notice_minutes` integer NOT NULL," +
				"`horizon_days` integer NOT NULL,`published` numeric NOT NULL)",
			"CREATE INDEX `idx_services_published` ON `services`(`published`)",
			"CREATE TABLE `opening_hours` (`id` integer PRIMARY KEY AUTOINCREMENT," +
				"`service_id` integer NOT NULL,`clerk_id` integer NOT NULL,`weekday` integer NOT NULL," +
				"`start_min` integer NOT NULL,`end_min` integer NOT NULL)",
			"CREATE INDEX `idx_opening_hours_clerk_id` ON `opening_hours`(`clerk_id`)",
			"CREATE INDEX `idx_opening_hours_service_id` ON `opening_hours`(`service_id`)",
			"CREATE TABLE `closures` (`id` integer PRIMARY KEY AUTOINCREMENT,`day` text NOT NULL," +
				"`clerk_id` integer NOT NULL DEFAULT 0,`reason` text NOT NULL DEFAULT \"\")",
			"CREATE INDEX `idx_closures_day` ON `closures`(`day`)",
			"CREATE TABLE `users` (`id` integer PRIMARY KEY AUTOINCREMENT,`email` text NOT NULL," +
				"`name` text NOT NULL,`role` text NOT NULL,`password_hash` text NOT NULL," +
				"`active` numeric NOT NULL,`created_at` integer NOT NULL)",
			"CREATE UNIQUE INDEX `idx_users_email` ON `users`(`email`)",
			"CREATE TABLE `sessions` (`token_hash` text,`user_id` integer NOT NULL," +
				"`csrf_token` text NOT NULL,`created_at` integer NOT NULL,`expires_at` integer NOT NULL," +
				"PRIMARY KEY (`token_hash`))",
			"CREATE INDEX `idx_sessions_expires_at` ON `sessions`(`expires_at`)",
			"CREATE INDEX `idx_sessions_user_id` ON `sessions`(`user_id`)",
			"CREATE TABLE `cases` (`id` integer PRIMARY KEY AUTOINCREMENT,`number` text," +
				"`clerk_id` integer NOT NULL,`created_at` integer NOT NULL," +
				"`archive_offered_at` integer NOT NULL DEFAULT 0,`archived_at` integer NOT NULL DEFAULT 0)",
			"CREATE INDEX `idx_cases_clerk_id` ON `cases`(`clerk_id`)",
			"CREATE UNIQUE INDEX `idx_cases_number` ON `cases`(`number`)",
			"CREATE TABLE `appointments` (`id` integer PRIMARY KEY AUTOINCREMENT," +
				"`case_id` integer NOT NULL,`service_id` integer NOT NULL,`clerk_id` integer NOT NULL," +
				"`start_unix` integer NOT NULL,`end_unix` integer NOT NULL," +
				"`busy_until_unix` integer NOT NULL,`status` text NOT NULL,`citizen_name` text NOT NULL," +
				"`citizen_email` text NOT NULL,`topic` text NOT NULL DEFAULT \"\",`language` text NOT NULL," +
				"`consent_at` integer NOT NULL,`join_token_hash` text NOT NULL," +
				"`join_expires_at` integer NOT NULL,`manage_token_hash` text NOT NULL," +
				"`manage_expires_at` integer NOT NULL,`created_at` integer NOT NULL," +
				"`sequence` integer NOT NULL DEFAULT 0,`scheduled_at` integer NOT NULL DEFAULT 0," +
				"`join_token_sealed` text NOT NULL DEFAULT \"\",`joined_at` integer NOT NULL DEFAULT 0," +
				"`anonymised_at` integer NOT NULL DEFAULT 0)",
			"CREATE UNIQUE INDEX `idx_appointments_manage_token_hash` ON `appointments`(`manage_token_hash`)",
			"CREATE UNIQUE INDEX `idx_appointments_join_token_hash` ON `appointments`(`join_token_hash`)",
			"CREATE INDEX `idx_appointments_citizen_email` ON `appointments`(`citizen_email`)",
			"CREATE INDEX `idx_appt_clerk_start` ON `appointments`(`clerk_id`,`start_unix`," +
				"`busy_until_unix`,`status`)",
			"CREATE UNIQUE INDEX `idx_appointments_case_id` ON `appointments`(`case_id`)",
			"CREATE TABLE `notes` (`id` integer PRIMARY KEY AUTOINCREMENT,`case_id` integer NOT NULL," +
				"`author_id` integer NOT NULL,`text` text NOT NULL,`created_at` integer NOT NULL)",
			"CREATE INDEX `idx_notes_case_id` ON `notes`(`case_id`)",
			"CREATE TABLE `case_events` (`id` integer PRIMARY KEY AUTOINCREMENT," +
				"`case_id` integer NOT NULL,`type` text NOT NULL,`at` integer NOT NULL," +
				"`actor_id` integer NOT NULL DEFAULT 0,`detail` text NOT NULL DEFAULT \"\")",
			"CREATE INDEX `idx_case_events_case_id` ON `case_events`(`case_id`)",
			sqliteOverlapInsert,
			sqliteOverlapUpdate,
		},
		// 2: what mails, jobs, audit and calendar feeds need.
		{
			`UPDATE appointments SET scheduled_at = created_at WHERE scheduled_at = 0`,
			"CREATE TABLE `mail_outbox` (`id` integer PRIMARY KEY AUTOINCREMENT,`kind` text NOT NULL," +
				"`appointment_id` integer NOT NULL,`dedup_key` text NOT NULL," +
				"`recipient_masked` text NOT NULL DEFAULT \"\",`payload` text NOT NULL DEFAULT \"\"," +
				"`status` text NOT NULL,`attempts` integer NOT NULL DEFAULT 0," +
				"`next_attempt_at` integer NOT NULL,`lease_owner` text NOT NULL DEFAULT \"\"," +
				"`lease_until` integer NOT NULL DEFAULT 0,`last_error` text NOT NULL DEFAULT \"\"," +
				"`created_at` integer NOT NULL,`sent_at` integer NOT NULL DEFAULT 0," +
				"`updated_at` integer NOT NULL)",
			"CREATE INDEX `idx_outbox_due` ON `mail_outbox`(`status`,`next_attempt_at`)",
			"CREATE UNIQUE INDEX `idx_mail_outbox_dedup_key` ON `mail_outbox`(`dedup_key`)",
			"CREATE INDEX `idx_mail_outbox_appointment_id` ON `mail_outbox`(`appointment_id`)",
			"CREATE TABLE `audit_log` (`seq` integer,`at` integer NOT NULL,`actor_id` integer NOT NULL," +
				"`action` text NOT NULL,`object` text NOT NULL,`detail` text NOT NULL," +
				"`prev_hash` text NOT NULL,`hash` text NOT NULL,PRIMARY KEY (`seq`))",
			"CREATE TABLE `settings` (`name` text,`value` text NOT NULL,PRIMARY KEY (`name`))",
			"CREATE TABLE `calendar_feeds` (`user_id` integer,`token_hash` text NOT NULL," +
				"`created_at` integer NOT NULL,PRIMARY KEY (`user_id`))",
			"CREATE UNIQUE INDEX `idx_calendar_feeds_token_hash` ON `calendar_feeds`(`token_hash`)",
		},
		// 3: "all appointments of a day" (clerk loads) without visiting every
		// clerk's part of idx_appt_clerk_start.
		{
			`CREATE INDEX idx_appt_start ON appointments (start_unix, status, clerk_id)`,
		},
		// 4: the overlap triggers bound their index scan from below, so a
		// booking's guard reads the clerk's appointments near its start
		// instead of the clerk's whole history.
		{
			`DROP TRIGGER IF EXISTS appointments_no_overlap_insert`,
			`DROP TRIGGER IF EXISTS appointments_no_overlap_update`,
			sqliteOverlapInsert,
			sqliteOverlapUpdate,
		},
		// 5: the key the limit of open bookings per address counts
		// (booking.EmailLimitKey: lower-case, without a "+tag"), filled for
		// existing appointments and indexed for the count under the booking
		// lock.
		{
			"ALTER TABLE `appointments` ADD `citizen_email_key` text NOT NULL DEFAULT \"\"",
			`UPDATE appointments SET citizen_email_key = lower(
				CASE WHEN instr(citizen_email, '+') > 1 AND instr(citizen_email, '+') < instr(citizen_email, '@')
				THEN substr(citizen_email, 1, instr(citizen_email, '+') - 1) || substr(citizen_email, instr(citizen_email, '@'))
				ELSE citizen_email END)
			WHERE citizen_email_key = '' AND citizen_email <> ''`,
			`CREATE INDEX idx_appt_email_key ON appointments (citizen_email_key, status, start_unix)`,
		},
		// 6: room sessions (migrations_rooms.go).
		roomSessionsMigration(),
		// 7: the language the citizen booked in (migrations_locale.go).
		localeMigration("`appointments`"),
	}
}

// sqliteVersionTable holds one row per applied migration.
const sqliteVersionTable = "CREATE TABLE IF NOT EXISTS `schema_migrations` (`version` integer," +
	"`applied_at` integer NOT NULL,PRIMARY KEY (`version`))"

// The overlap triggers (migrations 1 and 4) make the database itself refuse
// two booked appointments of one clerk whose busy spans [start,
// busy_until) overlap. 43200 seconds is booking.MaxBusySpan: an
// appointment starting earlier cannot reach NEW.start_unix, so the bound
// only narrows the index range.
const (
	sqliteOverlapInsert = `CREATE TRIGGER appointments_no_overlap_insert BEFORE INSERT ON appointments
	 WHEN NEW.status = 'booked' AND EXISTS (SELECT 1 FROM appointments a
	   WHERE a.clerk_id = NEW.clerk_id AND a.status = 'booked'
	     AND a.start_unix < NEW.busy_until_unix AND a.start_unix > NEW.start_unix - 43200
	     AND a.busy_until_unix > NEW.start_unix)
	 BEGIN SELECT RAISE(ABORT, 'appointments_no_overlap'); END`
	sqliteOverlapUpdate = `CREATE TRIGGER appointments_no_overlap_update BEFORE UPDATE OF status, clerk_id, start_unix, busy_until_unix ON appointments
	 WHEN NEW.status = 'booked' AND EXISTS (SELECT 1 FROM appointments a
	   WHERE a.id <> NEW.id AND a.clerk_id = NEW.clerk_id AND a.status = 'booked'
	     AND a.start_unix < NEW.busy_until_unix AND a.start_unix > NEW.start_unix - 43200
	     AND a.busy_until_unix > NEW.start_unix)
	 BEGIN SELECT RAISE(ABORT, 'appointments_no_overlap'); END`
)
