package gormstore

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func toServiceRow(s booking.Service) serviceRow {
	return serviceRow{
		ID: s.ID, Name: s.Name, Description: s.Description,
		DurationMinutes: s.DurationMinutes, BufferMinutes: s.BufferMinutes,
		MinNoticeMinutes: s.MinNoticeMinutes, HorizonDays: s.HorizonDays, Published: s.Published,
	}
}

func (r serviceRow) domain() booking.Service {
	return booking.Service{
		ID: r.ID, Name: r.Name, Description: r.Description,
		DurationMinutes: r.DurationMinutes, BufferMinutes: r.BufferMinutes,
		MinNoticeMinutes: r.MinNoticeMinutes, HorizonDays: r.HorizonDays, Published: r.Published,
	}
}

func (r hoursRow) domain() booking.OpeningHours {
	return booking.OpeningHours{
		ID: r.ID, ServiceID: r.ServiceID, ClerkID: r.ClerkID, Weekday: r.Weekday,
		Start: booking.ClockTime(r.StartMin), End: booking.ClockTime(r.EndMin),
	}
}

func (r closureRow) domain() booking.Closure {
	d, _ := booking.ParseDate(r.Day) // written by us in that format
	return booking.Closure{ID: r.ID, Date: d, ClerkID: r.ClerkID, Reason: r.Reason}
}

func toUserRow(u booking.User) userRow {
	return userRow{
		ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role),
		PasswordHash: u.PasswordHash, Active: u.Active, CreatedAt: unix(u.CreatedAt),
	}
}

func (r userRow) domain() booking.User {
	return booking.User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: booking.Role(r.Role),
		PasswordHash: r.PasswordHash, Active: r.Active, CreatedAt: fromUnix(r.CreatedAt),
	}
}

func (r sessionRow) domain() booking.Session {
	return booking.Session{
		TokenHash: r.TokenHash, UserID: r.UserID, CSRFToken: r.CSRFToken,
		CreatedAt: fromUnix(r.CreatedAt), ExpiresAt: fromUnix(r.ExpiresAt),
	}
}

func toAppointmentRow(a booking.Appointment) appointmentRow {
	return appointmentRow{
		ID: a.ID, CaseID: a.CaseID, ServiceID: a.ServiceID, ClerkID: a.ClerkID,
		StartUnix: unix(a.Start), EndUnix: unix(a.End), BusyUntilUnix: unix(a.BusyUntil),
		Status: string(a.Status), CitizenName: a.CitizenName, CitizenEmail: a.CitizenEmail,
		CitizenEmailKey: booking.EmailLimitKey(a.CitizenEmail), Topic: a.Topic, Language: a.Language, Locale: a.Locale, ConsentAt: unix(a.ConsentAt),
		JoinTokenHash: a.JoinTokenHash, JoinExpiresAt: unix(a.JoinExpiresAt),
		ManageTokenHash: a.ManageTokenHash, ManageExpiresAt: unix(a.ManageExpiresAt),
		CreatedAt: unix(a.CreatedAt), Sequence: a.Sequence, ScheduledAt: unix(a.ScheduledAt),
		JoinTokenSealed: a.JoinTokenSealed, JoinedAt: unix(a.JoinedAt),
	}
}

func (r appointmentRow) domain() booking.Appointment {
	a := booking.Appointment{
		ID: r.ID, CaseID: r.CaseID, ServiceID: r.ServiceID, ClerkID: r.ClerkID,
		Start: fromUnix(r.StartUnix), End: fromUnix(r.EndUnix), BusyUntil: fromUnix(r.BusyUntilUnix),
		Status: booking.Status(r.Status), CitizenName: r.CitizenName, CitizenEmail: r.CitizenEmail,
		Topic: r.Topic, Language: r.Language, Locale: r.Locale, ConsentAt: fromUnix(r.ConsentAt),
		JoinTokenHash: r.JoinTokenHash, JoinExpiresAt: fromUnix(r.JoinExpiresAt),
		ManageTokenHash: r.ManageTokenHash, ManageExpiresAt: fromUnix(r.ManageExpiresAt),
		CreatedAt: fromUnix(r.CreatedAt), Sequence: r.Sequence, ScheduledAt: fromUnix(r.ScheduledAt),
		JoinTokenSealed: r.JoinTokenSealed, JoinedAt: fromUnix(r.JoinedAt),
	}
	if r.CaseNumber != nil {
		a.CaseNumber = *r.CaseNumber
	}
	return a
}

func (r noteRow) domain() booking.Note {
	return booking.Note{ID: r.ID, CaseID: r.CaseID, AuthorID: r.AuthorID, Text: r.Text, CreatedAt: fromUnix(r.CreatedAt)}
}

func toEventRow(e booking.Event) eventRow {
	return eventRow{CaseID: e.CaseID, Type: string(e.Type), At: unix(e.At), ActorID: e.ActorID, Detail: e.Detail}
}

func (r eventRow) domain() booking.Event {
	return booking.Event{ID: r.ID, CaseID: r.CaseID, Type: booking.EventType(r.Type), At: fromUnix(r.At), ActorID: r.ActorID, Detail: r.Detail}
}
