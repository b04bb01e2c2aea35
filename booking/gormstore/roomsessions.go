package gormstore

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sprechstunde/sprechstunde/booking"
)

// roomSessionRow is a room cookie's server side (migration 5).
type roomSessionRow struct {
	TokenHash     string `gorm:"primaryKey"`
	AppointmentID int64
	ParticipantID string
	Role          string
	DisplayName   string
	Admitted      bool
	CreatedUnix   int64
	UsedUnix      int64
	ExpiresUnix   int64
	EndsUnix      int64
}

func (roomSessionRow) TableName() string { return "room_sessions" }

func (r roomSessionRow) domain() booking.RoomSession {
	return booking.RoomSession{TokenHash: r.TokenHash, AppointmentID: r.AppointmentID, ParticipantID: r.ParticipantID,
		Role: r.Role, DisplayName: r.DisplayName, Admitted: r.Admitted, CreatedAt: fromUnix(r.CreatedUnix),
		UsedAt: fromUnix(r.UsedUnix), ExpiresAt: fromUnix(r.ExpiresUnix), EndsAt: fromUnix(r.EndsUnix)}
}

// CreateRoomSession implements booking.RoomSessionStore.
func (s *Store) CreateRoomSession(ctx context.Context, rs booking.RoomSession, keep int) ([]string, error) {
	row := roomSessionRow{TokenHash: rs.TokenHash, AppointmentID: rs.AppointmentID, ParticipantID: rs.ParticipantID,
		Role: rs.Role, DisplayName: rs.DisplayName, Admitted: rs.Admitted, CreatedUnix: unix(rs.CreatedAt),
		UsedUnix: unix(rs.UsedAt), ExpiresUnix: unix(rs.ExpiresAt), EndsUnix: unix(rs.EndsAt)}
	var dropped []string
	err := s.write(ctx, func(tx *gorm.DB) error {
		mine := tx.Where("appointment_id = ? AND participant_id = ?", rs.AppointmentID, rs.ParticipantID)
		if err := mine.Session(&gorm.Session{}).Where("expires_unix <= ?", unix(rs.CreatedAt)).
			Delete(&roomSessionRow{}).Error; err != nil {
			return err
		}
		var live []roomSessionRow
		if err := mine.Session(&gorm.Session{}).Select("token_hash", "admitted").
			Order("admitted DESC, used_unix DESC, created_unix DESC").Find(&live).Error; err != nil {
			return err
		}
		for i := keep - 1; i < len(live); i++ {
			if !live[i].Admitted {
				dropped = append(dropped, live[i].TokenHash)
			}
		}
		if len(dropped) > 0 {
			if err := tx.Where("token_hash IN ?", dropped).Delete(&roomSessionRow{}).Error; err != nil {
				return err
			}
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: create room session: %w", mapErr(err))
	}
	return dropped, nil
}

// RoomSession implements booking.RoomSessionStore.
func (s *Store) RoomSession(ctx context.Context, hash string, now time.Time) (booking.RoomSession, error) {
	var row roomSessionRow
	if err := s.read(ctx).Take(&row, "token_hash = ? AND expires_unix > ?", hash, now.Unix()).Error; err != nil {
		return booking.RoomSession{}, fmt.Errorf("gormstore: room session: %w", mapErr(err))
	}
	return row.domain(), nil
}

// TouchRoomSession implements booking.RoomSessionStore.
func (s *Store) TouchRoomSession(ctx context.Context, hash string, usedAt, expiresAt time.Time) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&roomSessionRow{}).Where("token_hash = ?", hash).
			Updates(map[string]any{"used_unix": unix(usedAt), "expires_unix": unix(expiresAt)}).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: touch room session: %w", err)
	}
	return nil
}

// SetRoomSessionAdmitted implements booking.RoomSessionStore.
func (s *Store) SetRoomSessionAdmitted(ctx context.Context, hash string, admitted bool) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var row roomSessionRow
		if err := tx.Select("appointment_id", "participant_id").Take(&row, "token_hash = ?", hash).Error; err != nil {
			return err
		}
		if admitted {
			if err := tx.Model(&roomSessionRow{}).Where("appointment_id = ? AND participant_id = ? AND token_hash <> ?",
				row.AppointmentID, row.ParticipantID, hash).Update("admitted", false).Error; err != nil {
				return err
			}
		}
		return tx.Model(&roomSessionRow{}).Where("token_hash = ?", hash).Update("admitted", admitted).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: room admission: %w", mapErr(err))
	}
	return nil
}

// ResetRoomAdmissions implements booking.RoomSessionStore.
func (s *Store) ResetRoomAdmissions(ctx context.Context, appointmentID int64) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&roomSessionRow{}).Where("appointment_id = ? AND admitted", appointmentID).Update("admitted", false).Error
	})
	if err != nil {
		return fmt.Errorf("gormstore: reset room admissions: %w", err)
	}
	return nil
}

// DeleteExpiredRoomSessions implements booking.RoomSessionStore.
func (s *Store) DeleteExpiredRoomSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("expires_unix <= ?", now.Unix()).Delete(&roomSessionRow{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("gormstore: expired room sessions: %w", err)
	}
	return int(n), nil
}
