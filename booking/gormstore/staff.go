package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// CreateUser implements booking.StaffStore.
func (s *Store) CreateUser(ctx context.Context, u *booking.User) error {
	row := toUserRow(*u)
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: create user: %w", mapErr(err))
	}
	u.ID = row.ID
	return nil
}

// UpdateUser implements booking.StaffStore.
func (s *Store) UpdateUser(ctx context.Context, u booking.User) error {
	row := toUserRow(u)
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&userRow{}).Where("id = ?", u.ID).
			Select("name", "role", "password_hash", "active").Updates(&row)
		if res.Error != nil {
			return fmt.Errorf("gormstore: update user %d: %w", u.ID, mapErr(res.Error))
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("gormstore: update user %d: %w", u.ID, booking.ErrNotFound)
		}
		return nil
	})
}

// User implements booking.StaffStore.
func (s *Store) User(ctx context.Context, id int64) (booking.User, error) {
	var row userRow
	if err := s.read(ctx).Take(&row, "id = ?", id).Error; err != nil {
		return booking.User{}, fmt.Errorf("gormstore: user %d: %w", id, mapErr(err))
	}
	return row.domain(), nil
}

// UserByEmail implements booking.StaffStore.
func (s *Store) UserByEmail(ctx context.Context, email string) (booking.User, error) {
	var row userRow
	if err := s.read(ctx).Take(&row, "email = ?", email).Error; err != nil {
		return booking.User{}, fmt.Errorf("gormstore: user by e-mail: %w", mapErr(err))
	}
	return row.domain(), nil
}

// Users implements booking.StaffStore.
func (s *Store) Users(ctx context.Context) ([]booking.User, error) {
	var rows []userRow
	if err := s.read(ctx).Order("name, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gormstore: users: %w", err)
	}
	out := make([]booking.User, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CountUsers implements booking.StaffStore.
func (s *Store) CountUsers(ctx context.Context, role booking.Role) (int, error) {
	var n int64
	q := s.read(ctx).Model(&userRow{})
	if role != "" {
		q = q.Where("role = ?", string(role))
	}
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("gormstore: count users: %w", err)
	}
	return int(n), nil
}

// CreateSession implements booking.StaffStore.
func (s *Store) CreateSession(ctx context.Context, ses booking.Session) error {
	row := sessionRow{TokenHash: ses.TokenHash, UserID: ses.UserID, CSRFToken: ses.CSRFToken,
		CreatedAt: unix(ses.CreatedAt), ExpiresAt: unix(ses.ExpiresAt)}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("gormstore: create session: %w", mapErr(err))
	}
	return nil
}

// SessionByHash implements booking.StaffStore.
func (s *Store) SessionByHash(ctx context.Context, hash string, now time.Time) (booking.Session, error) {
	var row sessionRow
	err := s.read(ctx).Take(&row, "token_hash = ? AND expires_at > ?", hash, now.Unix()).Error
	if err != nil {
		return booking.Session{}, fmt.Errorf("gormstore: session: %w", mapErr(err))
	}
	return row.domain(), nil
}

// DeleteSession implements booking.StaffStore.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("token_hash = ?", hash).Delete(&sessionRow{}).Error
	})
}

// DeleteUserSessions implements booking.StaffStore.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("user_id = ?", userID).Delete(&sessionRow{}).Error
	})
}

// DeleteExpiredSessions implements booking.StaffStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("expires_at <= ?", now.Unix()).Delete(&sessionRow{})
		n = res.RowsAffected
		return res.Error
	})
	return int(n), err
}
