package mailer

import (
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// TestRenderJoinEarly: the join line and the invitation's alarm state the
// join_early the mail carries, in the booking's language; a cancellation
// has neither.
func TestRenderJoinEarly(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 30, 9, 0, 0, 0, loc)
	r := NewRenderer(Options{PublicURL: "https://termine.example.de", From: "termine@amt.example", Location: loc,
		Now: func() time.Time { return start.Add(-72 * time.Hour) }})
	for _, tc := range []struct {
		kind           booking.MailKind
		lang           string
		early          time.Duration
		text, calendar string
	}{
		{booking.MailConfirmation, "de", 30 * time.Minute, "Zur Video-Sprechstunde (ab 30 Minuten vor Beginn)", "TRIGGER:-PT30M"},
		{booking.MailConfirmation, "en", 2 * time.Hour, "Join the video consultation (from 2 hours before the start)", "TRIGGER:-PT120M"},
		{booking.MailRebooking, "de", time.Hour, "(ab einer Stunde vor Beginn)", "TRIGGER:-PT60M"},
		{booking.MailReminder, "en", 90 * time.Second, "(from 1 minute before the start)", ""},
		{booking.MailCancellation, "de", 30 * time.Minute, "", "METHOD:CANCEL"},
	} {
		t.Run(string(tc.kind)+"/"+tc.lang, func(t *testing.T) {
			m, err := r.Render(booking.MailData{Kind: tc.kind, Language: tc.lang, To: "erika@example.org",
				Appointment: booking.Appointment{ID: 1, CaseNumber: "2026-0001", Start: start, End: start.Add(30 * time.Minute)},
				JoinToken:   "j", ManageToken: "m", Before: time.Hour, JoinEarly: tc.early})
			if err != nil {
				t.Fatal(err)
			}
			if tc.text != "" && !strings.Contains(m.Text, tc.text) {
				t.Errorf("text lacks %q:\n%s", tc.text, m.Text)
			}
			if tc.text == "" && strings.Contains(m.Text, "/join/") {
				t.Errorf("cancellation offers the join link:\n%s", m.Text)
			}
			if !strings.Contains(m.Calendar, tc.calendar) || (tc.kind == booking.MailCancellation && strings.Contains(m.Calendar, "VALARM")) {
				t.Errorf("calendar lacks %q or reminds of a cancelled appointment:\n%s", tc.calendar, m.Calendar)
			}
		})
	}
}
