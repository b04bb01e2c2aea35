package gormstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sprechstunde/sprechstunde/booking"
)

const settingSecretKey = "secret_key"

// SecretKey returns the installation's generated secret key, creating it on
// first use. Concurrent first starts agree on one key: the insert is
// conflict-free and everyone reads back what won.
func (s *Store) SecretKey(ctx context.Context) ([]byte, error) {
	b := make([]byte, booking.SecretKeySize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("gormstore: secret key: %w", err)
	}
	var row settingRow
	err := s.write(ctx, func(tx *gorm.DB) error {
		cand := settingRow{Name: settingSecretKey, Value: base64.StdEncoding.EncodeToString(b)}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&cand).Error; err != nil {
			return err
		}
		return tx.Take(&row, "name = ?", settingSecretKey).Error
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: secret key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(row.Value)
	if err != nil || len(key) != booking.SecretKeySize {
		return nil, fmt.Errorf("gormstore: stored secret key is malformed")
	}
	return key, nil
}
