package mailer

import (
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// TestRenderEveryLocale: every language the citizen's pages offer has its
// own text for every citizen mail (nothing falls back to English), a date
// and durations in its own words, and links that carry the language.
func TestRenderEveryLocale(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 30, 9, 0, 0, 0, loc)
	r := NewRenderer(Options{PublicURL: "https://termine.example.de", From: "termine@amt.example", Location: loc,
		Now: func() time.Time { return start.Add(-72 * time.Hour) }})
	render := func(t *testing.T, kind booking.MailKind, lang string) booking.Mail {
		t.Helper()
		m, err := r.Render(booking.MailData{Kind: kind, Language: lang, To: "erika@example.org",
			Appointment: booking.Appointment{ID: 1, CaseNumber: "2026-0001", Start: start, End: start.Add(30 * time.Minute)},
			JoinToken:   "j", ManageToken: "m", Before: 24 * time.Hour, JoinEarly: 15 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	want := map[string]struct{ date, early, reminder string }{
		"de": {"Montag, 30. März 2026", "15 Minuten", "in 24 Stunden"},
		"en": {"Monday, 30 March 2026", "15 minutes", "in 24 hours"},
		"tr": {"30 Mart 2026 Pazartesi", "15 dakika", "24 saat sonra"},
		"ar": {"الاثنين، 30 مارس 2026", "15 دقيقة", "بعد 24 ساعة"},
		"uk": {"понеділок, 30 березня 2026 р.", "15 хвилин", "через 24 години"},
		"ru": {"понедельник, 30 марта 2026 г.", "15 минут", "через 24 часа"},
		"pl": {"poniedziałek, 30 marca 2026", "15 minut", "za 24 godziny"},
	}
	kinds := []booking.MailKind{booking.MailConfirmation, booking.MailRebooking, booking.MailCancellation, booking.MailReminder}
	for _, lang := range booking.Locales() {
		w, ok := want[lang]
		if !ok {
			t.Fatalf("no expectation for %s", lang)
		}
		for _, kind := range kinds {
			t.Run(lang+"/"+string(kind), func(t *testing.T) {
				m := render(t, kind, lang)
				if lang != "en" {
					if en := render(t, kind, "en"); m.Subject == en.Subject || strings.Contains(m.Text, "Case number") {
						t.Errorf("%s mail falls back to English: %q", lang, m.Subject)
					}
				}
				if !strings.Contains(m.Text, w.date) || !strings.Contains(m.HTML, `lang="`+lang+`"`) {
					t.Errorf("lacks date %q or lang attribute:\n%s", w.date, m.Text)
				}
				if kind == booking.MailCancellation {
					return
				}
				for _, s := range []string{"/join/j?lang=" + lang, "/manage/m?lang=" + lang, w.early} {
					if !strings.Contains(m.Text, s) {
						t.Errorf("text lacks %q:\n%s", s, m.Text)
					}
				}
				if kind == booking.MailReminder && !strings.Contains(m.Text, w.reminder) {
					t.Errorf("reminder lacks %q:\n%s", w.reminder, m.Text)
				}
			})
		}
	}
}

func TestDurationForms(t *testing.T) {
	for _, tc := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"ru", time.Minute, "1 минуту"}, {"ru", 21 * time.Minute, "21 минуту"}, {"ru", 3 * time.Hour, "3 часа"},
		{"ru", 12 * time.Hour, "12 часов"}, {"uk", 2 * time.Hour, "2 години"}, {"uk", 11 * time.Minute, "11 хвилин"},
		{"pl", 22 * time.Minute, "22 minuty"}, {"pl", 21 * time.Minute, "21 minut"}, {"pl", time.Hour, "1 godzinę"},
		{"ar", time.Hour, "ساعة واحدة"}, {"ar", 2 * time.Hour, "ساعتين"}, {"ar", 5 * time.Minute, "5 دقائق"},
		{"ar", 30 * time.Minute, "30 دقيقة"}, {"ar", 72 * time.Hour, "3 أيام"}, {"tr", 48 * time.Hour, "2 gün"},
	} {
		if texts, _ := textsFor(tc.lang); texts.duration(tc.d) != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.d, texts.duration(tc.d), tc.want)
		}
	}
}

// TestRenderDirection: an Arabic mail is laid out right to left, the
// others left to right.
func TestRenderDirection(t *testing.T) {
	r := NewRenderer(Options{PublicURL: "https://termine.example.de", Location: time.UTC, Now: time.Now})
	for lang, want := range map[string]string{"ar": `dir="rtl"`, "de": `dir="ltr"`, "tr": `dir="ltr"`} {
		start := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
		m, err := r.Render(booking.MailData{Kind: booking.MailConfirmation, Language: lang, To: "e@example.org",
			Appointment: booking.Appointment{CaseNumber: "2026-0001", Start: start, End: start.Add(30 * time.Minute)}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.HTML, want) || strings.Contains(m.HTML, "ZgotmplZ") {
			t.Errorf("%s mail lacks %s or has an unsafe style:\n%s", lang, want, m.HTML)
		}
	}
}
