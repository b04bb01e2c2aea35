package gormstore

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sprechstunde/sprechstunde/booking"
)

// Setting names. Earlier versions generated the secret key into the
// database (settingSecretKey); it now lives outside, and the database keeps
// only a fingerprint of it (settingKeyCheck) to recognise the right key.
const (
	settingSecretKey = "secret_key"
	settingKeyCheck  = "secret_key_check"
)

// LegacySecretKey returns the key an earlier version stored in the
// database, and false if there is none.
func (s *Store) LegacySecretKey(ctx context.Context) ([]byte, bool, error) {
	var row settingRow
	err := s.read(ctx).Take(&row, "name = ?", settingSecretKey).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("gormstore: legacy secret key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(row.Value)
	if err != nil || len(key) != booking.SecretKeySize {
		return nil, false, errors.New("gormstore: stored secret key is malformed")
	}
	return key, true, nil
}

// DropLegacySecretKey deletes the key from the database once it is kept
// elsewhere.
func (s *Store) DropLegacySecretKey(ctx context.Context) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("name = ?", settingSecretKey).Delete(&settingRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: drop legacy secret key: %w", err)
	}
	return nil
}

// KeyCheck records check as the fingerprint of the installation's secret
// key unless one is recorded already, and returns the recorded one: the
// first process to start decides, and every later one can tell whether it
// holds the same key.
func (s *Store) KeyCheck(ctx context.Context, check string) (string, error) {
	var row settingRow
	err := s.write(ctx, func(tx *gorm.DB) error {
		cand := settingRow{Name: settingKeyCheck, Value: check}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&cand).Error; err != nil {
			return err
		}
		return tx.Take(&row, "name = ?", settingKeyCheck).Error
	})
	if err != nil {
		return "", fmt.Errorf("gormstore: secret key check: %w", err)
	}
	return row.Value, nil
}

// HasKeyCheck reports whether a key fingerprint is recorded.
func (s *Store) HasKeyCheck(ctx context.Context) (bool, error) {
	var n int64
	if err := s.read(ctx).Model(&settingRow{}).Where("name = ?", settingKeyCheck).Count(&n).Error; err != nil {
		return false, fmt.Errorf("gormstore: secret key check: %w", err)
	}
	return n > 0, nil
}

// ResetKeyCheck replaces the recorded fingerprint (a demo starting over
// with a new key).
func (s *Store) ResetKeyCheck(ctx context.Context, check string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&settingRow{Name: settingKeyCheck, Value: check}).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: secret key check: %w", err)
	}
	return nil
}
