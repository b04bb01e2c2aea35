package gormstore_test

import (
	"context"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

// TestUpgradeLocale: migration 7 gives bookings made before it the language
// their mails were in, where the citizen's pages exist in it, else German.
func TestUpgradeLocale(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			dsn := storetest.DSN(t, kind)
			if err := gormstore.MigrateTo(ctx, dsn, 6); err != nil {
				t.Fatal(err)
			}
			db := storetest.SQL(t, dsn)
			languages := []string{"en", "fr", "ar"}
			emails := []string{"a@example.org", "b@example.org", "c@example.org"}
			for _, q := range version4Rows(emails) {
				if err := db.Exec(q).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			for i, l := range languages {
				if err := db.Exec(`UPDATE appointments SET language = ? WHERE id = ?`, l, i+1).Error; err != nil {
					t.Fatal(err)
				}
			}
			s, err := gormstore.Open(ctx, dsn, discardLog())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i, want := range []string{"en", "de", "ar"} {
				a, err := s.Appointment(ctx, int64(i+1))
				if err != nil {
					t.Fatal(err)
				}
				if a.Locale != want || a.Language != languages[i] {
					t.Errorf("booking in %q: locale %q, want %q", a.Language, a.Locale, want)
				}
			}
		})
	}
}
