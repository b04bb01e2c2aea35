package mailer

import (
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// TestRenderOfficeSignature: the configured office signs every mail under
// the footer, in the text and (escaped) in the HTML part; without one the
// mail ends with the footer.
func TestRenderOfficeSignature(t *testing.T) {
	start := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	data := booking.MailData{Kind: booking.MailConfirmation, Language: "de", To: "erika@example.org",
		Appointment: booking.Appointment{ID: 1, CaseNumber: "2026-0001", Start: start, End: start.Add(30 * time.Minute)},
		JoinToken:   "j", ManageToken: "m"}
	for _, tc := range []struct {
		name, office, address string
		text, html            []string
	}{
		{"unset", "", "", nil, nil},
		{"name and address", "Bürgeramt <Musterstadt>", "Markt 1\n\n12345 Musterstadt",
			[]string{"Bürgeramt <Musterstadt>\nMarkt 1\n12345 Musterstadt\n"},
			[]string{"Bürgeramt &lt;Musterstadt&gt;<br>Markt 1<br>12345 Musterstadt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRenderer(Options{PublicURL: "https://termine.example.de", From: "termine@amt.example", Location: time.UTC,
				Now: func() time.Time { return start.Add(-time.Hour) }, OfficeName: tc.office, OfficeAddress: tc.address})
			m, err := r.Render(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.text {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
			}
			for _, w := range tc.html {
				if !strings.Contains(m.HTML, w) {
					t.Errorf("HTML lacks %q:\n%s", w, m.HTML)
				}
			}
			if tc.office == "" && !strings.HasSuffix(strings.TrimSpace(m.Text), "Bitte antworten Sie nicht darauf.") {
				t.Errorf("without an office the text should end with the footer:\n%s", m.Text)
			}
		})
	}
}
