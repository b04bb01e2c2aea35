package server

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/mailer"
)

// TestBookingLocale: the language a booking was made in, whatever the
// conversation language, is stored with it: its links carry it and the
// calendar download, read back from the store, speaks it.
func TestBookingLocale(t *testing.T) {
	env := newTestEnv(t, "sqlite", nil)
	_, svc := setupOffice(env.login(testAdminEmail), "clerk@amt.example", []int{1}, "09:00", "13:00")
	for i, locale := range booking.Locales() {
		t.Run(locale, func(t *testing.T) {
			start := fmt.Sprintf("2026-03-30T%02d:%02d:00+02:00", 9+i/2, 30*(i%2))
			b := env.bookIn(svc, start, locale+"@example.org", "de", locale)
			for _, link := range []string{b.JoinURL, b.ManageURL} {
				if !strings.HasSuffix(link, "?lang="+locale) {
					t.Errorf("link %s does not carry lang=%s", link, locale)
				}
			}
			resp, err := http.Get(env.srv.URL + "/api/v1/bookings/manage/" + lastSegment(b.ManageURL) + "/ics")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			ics := strings.NewReplacer("\r\n ", "", "\n ", "", `\,`, ",").Replace(string(raw))
			if _, want := mailer.CalendarTexts(locale); !strings.Contains(ics, "DESCRIPTION:"+want) {
				t.Errorf("calendar download lacks %q:\n%s", want, ics)
			}
		})
	}
}
