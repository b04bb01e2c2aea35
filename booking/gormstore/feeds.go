package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SetCalendarFeed implements booking.FeedStore: one feed per clerk, a new
// token replaces the old.
func (s *Store) SetCalendarFeed(ctx context.Context, userID int64, tokenHash string, at time.Time) error {
	row := feedRow{UserID: userID, TokenHash: tokenHash, CreatedAt: at.Unix()}
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"token_hash", "created_at"})}).Create(&row).Error
	})
}

// DeleteCalendarFeed implements booking.FeedStore.
func (s *Store) DeleteCalendarFeed(ctx context.Context, userID int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("user_id = ?", userID).Delete(&feedRow{}).Error
	})
}

// CalendarFeedUser implements booking.FeedStore.
func (s *Store) CalendarFeedUser(ctx context.Context, tokenHash string) (int64, error) {
	var row feedRow
	if err := s.read(ctx).Take(&row, "token_hash = ?", tokenHash).Error; err != nil {
		return 0, fmt.Errorf("gormstore: calendar feed: %w", mapErr(err))
	}
	return row.UserID, nil
}
