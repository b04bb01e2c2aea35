package gormstore_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// releasedSchema is a schema an earlier release created on a new
// database, dumped into testdata/schema from a database its own code made:
// the expectation the literal migrations are checked against. exact: that
// code's CREATE statements are the literal ones, so even the text SQLite
// keeps is equal.
type releasedSchema struct {
	version int
	exact   bool
}

func releasedSchemas() []releasedSchema {
	return []releasedSchema{
		{version: 4, exact: true}, // code at 8cc0c91, the last with migrations created by gorm
		{version: 6},              // code at a4f5516, the last before the literal migrations
	}
}

func releasedPath(r releasedSchema, kind string) string {
	return fmt.Sprintf("testdata/schema/v%d.%s.sql", r.version, kind)
}

// releasedDB creates a database as the release left it: its schema and its
// version rows.
func releasedDB(t *testing.T, kind string, r releasedSchema) string {
	t.Helper()
	dsn := storetest.DSN(t, kind)
	db := storetest.SQL(t, dsn)
	execScript(t, db, releasedPath(r, kind))
	for v := 1; v <= r.version; v++ {
		if err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`, v).Error; err != nil {
			t.Fatal(err)
		}
	}
	return dsn
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestMigrationsMatchReleasedSchemas: the first n literal migrations build
// the schema the release with n migrations created.
func TestMigrationsMatchReleasedSchemas(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		for _, r := range releasedSchemas() {
			t.Run(fmt.Sprintf("%s/v%d", kind, r.version), func(t *testing.T) {
				lit := storetest.DSN(t, kind)
				if err := gormstore.MigrateTo(context.Background(), lit, r.version); err != nil {
					t.Fatal(err)
				}
				got, want := storetest.SQL(t, lit), storetest.SQL(t, releasedDB(t, kind, r))
				if g, w := dumpSchema(t, kind, got), dumpSchema(t, kind, want); g != w {
					t.Errorf("schema differs from %s:\n%s", releasedPath(r, kind), diffLines(w, g))
				}
				if r.exact && kind == "sqlite" {
					if g, w := sqliteMaster(t, got), sqliteMaster(t, want); g != w {
						t.Errorf("sqlite_master text differs from %s:\n%s", releasedPath(r, kind), diffLines(w, g))
					}
				}
			})
		}
	}
}

// TestMigrateStepByStepMatchesFresh: a database migrated one version at a
// time, and one each release left behind upgraded by Open, end with the
// schema of a new database.
func TestMigrateStepByStepMatchesFresh(t *testing.T) {
	if a, b := gormstore.MigrationCount(false), gormstore.MigrationCount(true); a != b {
		t.Fatalf("SQLite has %d migrations, PostgreSQL %d: a version must mean the same on both", a, b)
	}
	ctx := context.Background()
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			fresh := storetest.DSN(t, kind)
			s, err := gormstore.Open(ctx, fresh, discardLog())
			if err != nil {
				t.Fatal(err)
			}
			_ = s.Close()
			want := dumpSchema(t, kind, storetest.SQL(t, fresh))

			step := storetest.DSN(t, kind)
			stepDB := storetest.SQL(t, step)
			n := gormstore.MigrationCount(kind == "postgres")
			for v := 1; v <= n; v++ {
				if err := gormstore.MigrateTo(ctx, step, v); err != nil {
					t.Fatalf("to version %d: %v", v, err)
				}
				if got := schemaVersion(t, stepDB); got != v {
					t.Fatalf("version %d after migrating to %d", got, v)
				}
			}
			if got := dumpSchema(t, kind, stepDB); got != want {
				t.Errorf("step by step differs from fresh:\n%s", diffLines(want, got))
			}

			for _, r := range releasedSchemas() {
				dsn := releasedDB(t, kind, r)
				s, err := gormstore.Open(ctx, dsn, discardLog())
				if err != nil {
					t.Fatalf("upgrade from %s: %v", releasedPath(r, kind), err)
				}
				_ = s.Close()
				db := storetest.SQL(t, dsn)
				if got := dumpSchema(t, kind, db); got != want {
					t.Errorf("%s upgraded differs from fresh:\n%s", releasedPath(r, kind), diffLines(want, got))
				}
				if got := schemaVersion(t, db); got != n {
					t.Errorf("%s upgraded to version %d, want %d", releasedPath(r, kind), got, n)
				}
			}
		})
	}
}

func schemaVersion(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var n int
	if err := db.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUpgradeFromVersion4KeepsData: a database at version 4 with rows in
// every table upgrades to the newest version with every row kept, the
// limit key filled as booking.EmailLimitKey computes it, and the overlap
// guard still in force.
func TestUpgradeFromVersion4KeepsData(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dsn := storetest.DSN(t, kind)
			if err := gormstore.MigrateTo(ctx, dsn, 4); err != nil {
				t.Fatal(err)
			}
			db := storetest.SQL(t, dsn)
			emails := []string{"erika+termin@example.org", "Max@Example.ORG", "+x@example.org"}
			for _, q := range version4Rows(emails) {
				if err := db.Exec(q).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			before := map[string][]string{}
			for _, table := range version4Tables() {
				before[table] = queryLines(t, db, `SELECT * FROM `+table+` ORDER BY 1`, false)
				if len(before[table]) == 0 {
					t.Fatalf("no rows in %s", table)
				}
			}
			cols := map[string]string{}
			for _, table := range version4Tables() {
				cols[table] = columnList(t, db, table)
			}

			s, err := gormstore.Open(ctx, dsn, discardLog())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for _, table := range version4Tables() {
				after := queryLines(t, db, `SELECT `+cols[table]+` FROM `+table+` ORDER BY 1`, false)
				if strings.Join(after, "\n") != strings.Join(before[table], "\n") {
					t.Errorf("%s changed:\n%s", table, diffLines(strings.Join(before[table], "\n"), strings.Join(after, "\n")))
				}
			}
			for i, e := range emails {
				a, err := s.Appointment(ctx, int64(i+1))
				if err != nil {
					t.Fatal(err)
				}
				var key string
				if err := db.Raw(`SELECT citizen_email_key FROM appointments WHERE id = ?`, a.ID).Scan(&key).Error; err != nil {
					t.Fatal(err)
				}
				if a.CitizenEmail != e || key != booking.EmailLimitKey(e) {
					t.Errorf("appointment %d: address %q key %q, want %q key %q", a.ID, a.CitizenEmail, key, e, booking.EmailLimitKey(e))
				}
			}
			if u, err := s.UserByEmail(ctx, "admin@amt.example"); err != nil || u.ID != 1 {
				t.Errorf("user after upgrade: %+v, %v", u, err)
			}
			err = db.Exec(`INSERT INTO appointments (id, case_id, service_id, clerk_id, start_unix, end_unix, busy_until_unix, status,
				citizen_name, citizen_email, language, consent_at, join_token_hash, join_expires_at, manage_token_hash, manage_expires_at, created_at)
				VALUES (9, 9, 1, 1, 3630, 3700, 3700, 'booked', 'N', 'n@example.org', 'de', 0, 'j9', 0, 'm9', 0, 0)`).Error
			if err == nil || !strings.Contains(err.Error(), "appointments_no_overlap") {
				t.Errorf("overlapping booking after upgrade: %v, want the overlap guard", err)
			}
		})
	}
}

// version4Tables are the tables of schema version 4 (schema_migrations
// aside, which the upgrade adds to).
func version4Tables() []string {
	return []string{"services", "opening_hours", "closures", "users", "sessions", "cases", "appointments",
		"notes", "case_events", "mail_outbox", "audit_log", "settings", "calendar_feeds"}
}

// version4Rows fills every table of version 4; appointment i+1 is clerk 1's
// booking at hour i+1 from emails[i].
func version4Rows(emails []string) []string {
	qs := []string{
		`INSERT INTO users (id, email, name, role, password_hash, active, created_at) VALUES (1, 'admin@amt.example', 'A', 'admin', 'h', TRUE, 1)`,
		`INSERT INTO services (id, name, description, duration_minutes, buffer_minutes, min_notice_minutes, horizon_days, published)
			VALUES (1, 'Beratung', 'd', 30, 5, 60, 30, TRUE)`,
		`INSERT INTO opening_hours (id, service_id, clerk_id, weekday, start_min, end_min) VALUES (1, 1, 1, 1, 480, 720)`,
		`INSERT INTO closures (id, day, clerk_id, reason) VALUES (1, '2026-12-24', 0, 'Heiligabend')`,
		`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ('s1', 1, 'c1', 1, 2)`,
		`INSERT INTO notes (id, case_id, author_id, text, created_at) VALUES (1, 1, 1, 'Notiz', 5)`,
		`INSERT INTO case_events (id, case_id, type, at, actor_id, detail) VALUES (1, 1, 'booked', 5, 0, '')`,
		`INSERT INTO mail_outbox (id, kind, appointment_id, dedup_key, recipient_masked, payload, status, attempts, next_attempt_at,
			lease_owner, lease_until, last_error, created_at, sent_at, updated_at)
			VALUES (1, 'confirm', 1, 'confirm:1', 'e***@example.org', 'sealed', 'pending', 0, 5, '', 0, '', 5, 0, 5)`,
		`INSERT INTO audit_log (seq, at, actor_id, action, object, detail, prev_hash, hash) VALUES (1, 5, 1, 'user.create', 'user:1', '', '', 'x')`,
		`INSERT INTO settings (name, value) VALUES ('office', '{}')`,
		`INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (1, 'f1', 5)`,
	}
	for i, e := range emails {
		id, start := i+1, 3600*(i+1)
		qs = append(qs,
			fmt.Sprintf(`INSERT INTO cases (id, number, clerk_id, created_at) VALUES (%d, '2026-%06d', 1, 0)`, id, id),
			fmt.Sprintf(`INSERT INTO appointments (id, case_id, service_id, clerk_id, start_unix, end_unix, busy_until_unix, status,
				citizen_name, citizen_email, topic, language, consent_at, join_token_hash, join_expires_at, manage_token_hash,
				manage_expires_at, created_at, sequence, scheduled_at, join_token_sealed, joined_at, anonymised_at)
				VALUES (%d, %d, 1, 1, %d, %d, %d, 'booked', 'N', '%s', 't', 'de', 1, 'j%d', 2, 'm%d', 3, 4, 1, 4, 'sealed', 0, 0)`,
				id, id, start, start+1800, start+2100, e, id, id))
	}
	return qs
}

// columnList names table's columns as they are now, for reading the same
// columns after an upgrade added others.
func columnList(t *testing.T, db *gorm.DB, table string) string {
	t.Helper()
	rows, err := db.Raw(`SELECT * FROM ` + table + ` WHERE 1 = 0`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(cols, ", ")
}

// TestOverlapTriggersBoundByMaxBusySpan: the SQLite triggers' frozen lower
// bound is booking.MaxBusySpan; a longer span needs a new migration.
func TestOverlapTriggersBoundByMaxBusySpan(t *testing.T) {
	dsn := storetest.DSN(t, "sqlite")
	if err := gormstore.MigrateTo(context.Background(), dsn, gormstore.MigrationCount(false)); err != nil {
		t.Fatal(err)
	}
	var triggers []string
	if err := storetest.SQL(t, dsn).Raw(`SELECT sql FROM sqlite_master WHERE type = 'trigger'`).Scan(&triggers).Error; err != nil {
		t.Fatal(err)
	}
	bound := fmt.Sprintf("NEW.start_unix - %d\n", int64(booking.MaxBusySpan/time.Second))
	for _, sql := range triggers {
		if !strings.Contains(sql, bound) {
			t.Errorf("trigger without bound %q:\n%s", bound, sql)
		}
	}
	if len(triggers) != 2 {
		t.Errorf("%d triggers, want 2", len(triggers))
	}
}

// TestMigrateRefusesEditedVersionTable: a version row deleted by hand stops
// the start instead of running a released migration a second time.
func TestMigrateRefusesEditedVersionTable(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dsn := storetest.DSN(t, kind)
			if err := gormstore.MigrateTo(ctx, dsn, gormstore.MigrationCount(kind == "postgres")); err != nil {
				t.Fatal(err)
			}
			if err := storetest.SQL(t, dsn).Exec(`DELETE FROM schema_migrations WHERE version = 2`).Error; err != nil {
				t.Fatal(err)
			}
			s, err := gormstore.Open(ctx, dsn, discardLog())
			if err == nil {
				_ = s.Close()
			}
			if err == nil || !strings.Contains(err.Error(), "schema_migrations holds") {
				t.Errorf("open: %v, want the version table refused", err)
			}
		})
	}
}
