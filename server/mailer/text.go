package mailer

import (
	"fmt"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// mailTexts are the fixed phrases of one language.
type mailTexts struct {
	subject  map[booking.MailKind]string // %s: case number
	heading  map[booking.MailKind]string
	when     string
	service  string
	caseNo   string
	join     string // %s: how long before the start, "15 Minuten"
	manage   string
	footer   string
	reminder string // %s: "in 24 hours"
	weekdays [7]string
	months   [12]string // in the form a date needs (genitive in Slavic languages)
	dayFmt   string     // weekday, day, month, year: "%[1]s, %[2]d %[3]s %[4]d"
	clock    string     // suffix after the time span
	// calTitle names the calendar entry when the service has no name;
	// calNoLink describes a downloaded entry, which cannot hold the join link.
	calTitle, calNoLink string
	hoursFmt            func(time.Duration) string // "in 24 Stunden"
	duration            func(time.Duration) string // "24 Stunden"
}

func germanTexts() mailTexts {
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Terminbestätigung – Vorgang %s",
			booking.MailRebooking:      "Termin verschoben – Vorgang %s",
			booking.MailCancellation:   "Termin abgesagt – Vorgang %s",
			booking.MailReminder:       "Erinnerung an Ihren Termin – Vorgang %s",
			booking.MailClerkCancelled: "Absage durch Bürger/in – Vorgang %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Ihr Termin für eine Video-Sprechstunde ist gebucht.",
			booking.MailRebooking:      "Ihr Termin wurde verschoben. Der alte Termin gilt nicht mehr.",
			booking.MailCancellation:   "Ihr Termin wurde abgesagt.",
			booking.MailClerkCancelled: "Ein Termin in Ihrem Kalender wurde von der Bürgerin oder dem Bürger abgesagt. Die Zeit ist wieder frei.",
		},
		when: "Termin", service: "Anliegen", caseNo: "Vorgangsnummer",
		join:     "Zur Video-Sprechstunde (ab %s vor Beginn)",
		manage:   "Termin ansehen, verschieben oder absagen",
		footer:   "Diese Nachricht wurde automatisch versandt. Bitte antworten Sie nicht darauf.",
		reminder: "Ihr Termin beginnt %s.",
		weekdays: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		months:   [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		dayFmt:   "%[1]s, %[2]d. %[3]s %[4]d",
		clock:    " Uhr",
		calTitle: "Video-Sprechstunde", calNoLink: "Den Link zum Beitreten finden Sie in Ihrer Bestätigungs-E-Mail.",
		hoursFmt: func(d time.Duration) string { return "in " + germanDuration(d) },
		duration: germanDuration,
	}
}

func englishTexts() mailTexts {
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Appointment confirmed – case %s",
			booking.MailRebooking:      "Appointment moved – case %s",
			booking.MailCancellation:   "Appointment cancelled – case %s",
			booking.MailReminder:       "Reminder of your appointment – case %s",
			booking.MailClerkCancelled: "Cancelled by the citizen – case %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Your video consultation is booked.",
			booking.MailRebooking:      "Your appointment has been moved. The old time is no longer valid.",
			booking.MailCancellation:   "Your appointment has been cancelled.",
			booking.MailClerkCancelled: "An appointment in your calendar was cancelled by the citizen. The time is free again.",
		},
		when: "Appointment", service: "Service", caseNo: "Case number",
		join:     "Join the video consultation (from %s before the start)",
		manage:   "View, move or cancel the appointment",
		footer:   "This message was sent automatically. Please do not reply.",
		reminder: "Your appointment starts %s.",
		weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		dayFmt:   "%[1]s, %[2]d %[3]s %[4]d",
		calTitle: "Video consultation", calNoLink: "The link to join is in your confirmation e-mail.",
		hoursFmt: func(d time.Duration) string { return "in " + englishDuration(d) },
		duration: englishDuration,
	}
}

// textsFor picks the texts of lang and the language they are in: one of
// booking.Locales, English for anything else.
func textsFor(lang string) (mailTexts, string) {
	switch lang {
	case "de":
		return germanTexts(), lang
	case "tr":
		return turkishTexts(), lang
	case "ar":
		return arabicTexts(), lang
	case "uk":
		return ukrainianTexts(), lang
	case "ru":
		return russianTexts(), lang
	case "pl":
		return polishTexts(), lang
	}
	return englishTexts(), "en"
}

// span formats an appointment as "Monday, 30 March 2026, 09:00–09:30 (Europe/Berlin)".
func (t mailTexts) span(start, end time.Time) string {
	day := fmt.Sprintf(t.dayFmt, t.weekdays[start.Weekday()], start.Day(), t.months[start.Month()-1], start.Year())
	return fmt.Sprintf("%s, %s–%s%s (%s)", day, start.Format("15:04"), end.Format("15:04"), t.clock, start.Location())
}

// CalendarTexts are the title of a calendar entry without a service name
// and the description of a downloaded entry, in lang (see textsFor).
func CalendarTexts(lang string) (title, noLink string) {
	t, _ := textsFor(lang)
	return t.calTitle, t.calNoLink
}

// germanDuration says "24 Stunden" rather than "einem Tag": up to two days
// hours are what people count down in.
func germanDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 && d >= 48*time.Hour {
		if n := int(d / (24 * time.Hour)); n != 1 {
			return fmt.Sprintf("%d Tagen", n)
		}
		return "einem Tag"
	}
	if d%time.Hour == 0 {
		if n := int(d / time.Hour); n != 1 {
			return fmt.Sprintf("%d Stunden", n)
		}
		return "einer Stunde"
	}
	return fmt.Sprintf("%d Minuten", int(d/time.Minute))
}

func englishDuration(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	if d%(24*time.Hour) == 0 && d >= 48*time.Hour {
		return plural(int(d/(24*time.Hour)), "day")
	}
	if d%time.Hour == 0 {
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/time.Minute), "minute")
}
