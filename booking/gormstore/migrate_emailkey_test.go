package gormstore_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestMigrateEmailKey: appointments stored before migration 5 get the key
// the per-address limit counts, the same booking.EmailLimitKey computes.
func TestMigrateEmailKey(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			dsn := storetest.DSN(t, kind)
			s, err := gormstore.Open(ctx, dsn, log)
			if err != nil {
				t.Fatal(err)
			}
			db := s.DB()
			for _, q := range []string{
				`INSERT INTO cases (id, number, clerk_id, created_at) VALUES (1, '2026-000001', 1, 0), (2, '2026-000002', 1, 0), (3, '2026-000003', 1, 0)`,
			} {
				if err := db.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			emails := []string{"erika+termin@example.org", "Max@Example.ORG", "+x@example.org"}
			for i, e := range emails {
				if err := db.Exec(`INSERT INTO appointments (case_id, service_id, clerk_id, start_unix, end_unix, busy_until_unix, status,
					citizen_name, citizen_email, language, consent_at, join_token_hash, join_expires_at, manage_token_hash, manage_expires_at, created_at)
					VALUES (?, 1, 1, ?, ?, ?, 'booked', 'N', ?, 'de', 0, ?, 0, ?, 0, 0)`,
					i+1, 3600*(i+1), 3600*(i+1)+60, 3600*(i+1)+60, e, "j"+e, "m"+e).Error; err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Exec(`DELETE FROM schema_migrations WHERE version = 5`).Error; err != nil {
				t.Fatal(err)
			}
			_ = s.Close()
			if s, err = gormstore.Open(ctx, dsn, log); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for _, e := range emails {
				var key string
				if err := s.DB().Raw(`SELECT citizen_email_key FROM appointments WHERE citizen_email = ?`, e).Scan(&key).Error; err != nil {
					t.Fatal(err)
				}
				if key != booking.EmailLimitKey(e) {
					t.Errorf("%s: key %q, want %q", e, key, booking.EmailLimitKey(e))
				}
			}
		})
	}
}
