package gormstore

// The PostgreSQL schema, one migration per version. Append only: a
// migration is never edited once released, since databases out there have
// applied it as it was; a change to the schema is a new migration at the
// end. Versions 1–4 send the statements the code of those releases had gorm
// send, and migrate_test.go checks them against the released schemas in
// testdata/schema.
func postgresMigrations() []migration {
	return []migration{
		// 1: staff, services, hours, closures, cases, appointments, and the
		// overlap guard: an exclusion constraint refuses two booked
		// appointments of one clerk whose busy spans overlap.
		{
			`CREATE TABLE "services" (
				"id" bigserial,
				"name" varchar(200) NOT NULL,
				"description" text NOT NULL DEFAULT '',
				"duration_minutes" bigint NOT NULL,
				"buffer_minutes" bigint NOT NULL,
				"min_notice_minutes" bigint NOT NULL,
				"horizon_days" bigint NOT NULL,
				"published" boolean NOT NULL,
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_services_published" ON "services" ("published")`,
			`CREATE TABLE "opening_hours" (
				"id" bigserial,
				"service_id" bigint NOT NULL,
				"clerk_id" bigint NOT NULL,
				"weekday" bigint NOT NULL,
				"start_min" bigint NOT NULL,
				"end_min" bigint NOT NULL,
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_opening_hours_clerk_id" ON "opening_hours" ("clerk_id")`,
			`CREATE INDEX "idx_opening_hours_service_id" ON "opening_hours" ("service_id")`,
			`CREATE TABLE "closures" (
				"id" bigserial,
				"day" varchar(10) NOT NULL,
				"clerk_id" bigint NOT NULL DEFAULT 0,
				"reason" varchar(200) NOT NULL DEFAULT '',
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_closures_day" ON "closures" ("day")`,
			`CREATE TABLE "users" (
				"id" bigserial,
				"email" varchar(254) NOT NULL,
				"name" varchar(200) NOT NULL,
				"role" varchar(16) NOT NULL,
				"password_hash" varchar(200) NOT NULL,
				"active" boolean NOT NULL,
				"created_at" bigint NOT NULL,
				PRIMARY KEY ("id"))`,
			`CREATE UNIQUE INDEX "idx_users_email" ON "users" ("email")`,
			`CREATE TABLE "sessions" (
				"token_hash" varchar(64),
				"user_id" bigint NOT NULL,
				"csrf_token" varchar(64) NOT NULL,
				"created_at" bigint NOT NULL,
				"expires_at" bigint NOT NULL,
				PRIMARY KEY ("token_hash"))`,
			`CREATE INDEX "idx_sessions_expires_at" ON "sessions" ("expires_at")`,
			`CREATE INDEX "idx_sessions_user_id" ON "sessions" ("user_id")`,
			`CREATE TABLE "cases" (
				"id" bigserial,
				"number" varchar(32),
				"clerk_id" bigint NOT NULL,
				"created_at" bigint NOT NULL,
				"archive_offered_at" bigint NOT NULL DEFAULT 0,
				"archived_at" bigint NOT NULL DEFAULT 0,
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_cases_clerk_id" ON "cases" ("clerk_id")`,
			`CREATE UNIQUE INDEX "idx_cases_number" ON "cases" ("number")`,
			`CREATE TABLE "appointments" (
				"id" bigserial,
				"case_id" bigint NOT NULL,
				"service_id" bigint NOT NULL,
				"clerk_id" bigint NOT NULL,
				"start_unix" bigint NOT NULL,
				"end_unix" bigint NOT NULL,
				"busy_until_unix" bigint NOT NULL,
				"status" varchar(16) NOT NULL,
				"citizen_name" varchar(200) NOT NULL,
				"citizen_email" varchar(254) NOT NULL,
				"topic" text NOT NULL DEFAULT '',
				"language" varchar(8) NOT NULL,
				"consent_at" bigint NOT NULL,
				"join_token_hash" varchar(64) NOT NULL,
				"join_expires_at" bigint NOT NULL,
				"manage_token_hash" varchar(64) NOT NULL,
				"manage_expires_at" bigint NOT NULL,
				"created_at" bigint NOT NULL,
				"sequence" bigint NOT NULL DEFAULT 0,
				"scheduled_at" bigint NOT NULL DEFAULT 0,
				"join_token_sealed" text NOT NULL DEFAULT '',
				"joined_at" bigint NOT NULL DEFAULT 0,
				"anonymised_at" bigint NOT NULL DEFAULT 0,
				PRIMARY KEY ("id"))`,
			`CREATE UNIQUE INDEX "idx_appointments_manage_token_hash" ON "appointments" ("manage_token_hash")`,
			`CREATE UNIQUE INDEX "idx_appointments_join_token_hash" ON "appointments" ("join_token_hash")`,
			`CREATE INDEX "idx_appointments_citizen_email" ON "appointments" ("citizen_email")`,
			`CREATE INDEX "idx_appt_clerk_start" ON "appointments" ("clerk_id","start_unix","busy_until_unix","status")`,
			`CREATE UNIQUE INDEX "idx_appointments_case_id" ON "appointments" ("case_id")`,
			`CREATE TABLE "notes" (
				"id" bigserial,
				"case_id" bigint NOT NULL,
				"author_id" bigint NOT NULL,
				"text" text NOT NULL,
				"created_at" bigint NOT NULL,
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_notes_case_id" ON "notes" ("case_id")`,
			`CREATE TABLE "case_events" (
				"id" bigserial,
				"case_id" bigint NOT NULL,
				"type" varchar(32) NOT NULL,
				"at" bigint NOT NULL,
				"actor_id" bigint NOT NULL DEFAULT 0,
				"detail" varchar(200) NOT NULL DEFAULT '',
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_case_events_case_id" ON "case_events" ("case_id")`,
			`CREATE EXTENSION IF NOT EXISTS btree_gist`,
			`ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap
			   EXCLUDE USING gist (clerk_id WITH =, int8range(start_unix, busy_until_unix) WITH &&)
			   WHERE (status = 'booked')`,
		},
		// 2: what mails, jobs, audit and calendar feeds need.
		{
			`UPDATE appointments SET scheduled_at = created_at WHERE scheduled_at = 0`,
			`CREATE TABLE "mail_outbox" (
				"id" bigserial,
				"kind" varchar(32) NOT NULL,
				"appointment_id" bigint NOT NULL,
				"dedup_key" varchar(128) NOT NULL,
				"recipient_masked" varchar(254) NOT NULL DEFAULT '',
				"payload" text NOT NULL DEFAULT '',
				"status" varchar(16) NOT NULL,
				"attempts" bigint NOT NULL DEFAULT 0,
				"next_attempt_at" bigint NOT NULL,
				"lease_owner" varchar(64) NOT NULL DEFAULT '',
				"lease_until" bigint NOT NULL DEFAULT 0,
				"last_error" varchar(500) NOT NULL DEFAULT '',
				"created_at" bigint NOT NULL,
				"sent_at" bigint NOT NULL DEFAULT 0,
				"updated_at" bigint NOT NULL,
				PRIMARY KEY ("id"))`,
			`CREATE INDEX "idx_outbox_due" ON "mail_outbox" ("status","next_attempt_at")`,
			`CREATE UNIQUE INDEX "idx_mail_outbox_dedup_key" ON "mail_outbox" ("dedup_key")`,
			`CREATE INDEX "idx_mail_outbox_appointment_id" ON "mail_outbox" ("appointment_id")`,
			`CREATE TABLE "audit_log" (
				"seq" bigint,
				"at" bigint NOT NULL,
				"actor_id" bigint NOT NULL,
				"action" varchar(64) NOT NULL,
				"object" varchar(128) NOT NULL,
				"detail" varchar(200) NOT NULL,
				"prev_hash" varchar(64) NOT NULL,
				"hash" varchar(64) NOT NULL,
				PRIMARY KEY ("seq"))`,
			`CREATE TABLE "settings" (
				"name" varchar(64),
				"value" text NOT NULL,
				PRIMARY KEY ("name"))`,
			`CREATE TABLE "calendar_feeds" (
				"user_id" bigint,
				"token_hash" varchar(64) NOT NULL,
				"created_at" bigint NOT NULL,
				PRIMARY KEY ("user_id"))`,
			`CREATE UNIQUE INDEX "idx_calendar_feeds_token_hash" ON "calendar_feeds" ("token_hash")`,
		},
		// 3: "all appointments of a day" (clerk loads) without visiting every
		// clerk's part of idx_appt_clerk_start.
		{
			`CREATE INDEX idx_appt_start ON appointments (start_unix, status, clerk_id)`,
		},
		// 4: bounded the SQLite overlap triggers; the exclusion constraint
		// uses a GiST index already.
		{},
		// 5: the key the limit of open bookings per address counts
		// (booking.EmailLimitKey: lower-case, without a "+tag"), filled for
		// existing appointments and indexed for the count under the booking
		// lock.
		{
			`ALTER TABLE "appointments" ADD "citizen_email_key" varchar(254) NOT NULL DEFAULT ''`,
			`UPDATE appointments SET citizen_email_key = lower(
				CASE WHEN strpos(citizen_email, '+') > 1 AND strpos(citizen_email, '+') < strpos(citizen_email, '@')
				THEN substr(citizen_email, 1, strpos(citizen_email, '+') - 1) || substr(citizen_email, strpos(citizen_email, '@'))
				ELSE citizen_email END)
			WHERE citizen_email_key = '' AND citizen_email <> ''`,
			`CREATE INDEX idx_appt_email_key ON appointments (citizen_email_key, status, start_unix)`,
		},
		// 6: room sessions (migrations_rooms.go).
		roomSessionsMigration(),
		// 7: the language the citizen booked in (migrations_locale.go).
		localeMigration(`"appointments"`),
	}
}

// postgresVersionTable holds one row per applied migration.
const postgresVersionTable = `CREATE TABLE IF NOT EXISTS "schema_migrations" (
	"version" bigint,
	"applied_at" bigint NOT NULL,
	PRIMARY KEY ("version"))`
