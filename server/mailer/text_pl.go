package mailer

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func polishTexts() mailTexts {
	// Accusative forms: "za 1 godzinę", "na 15 minut przed".
	u := units{
		day:    [4]string{"{n} dzień", "{n} dni", "{n} dni"},
		hour:   [4]string{"{n} godzinę", "{n} godziny", "{n} godzin"},
		minute: [4]string{"{n} minutę", "{n} minuty", "{n} minut"},
		pick:   slavicForm(true),
	}
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Potwierdzenie terminu – sprawa %s",
			booking.MailRebooking:      "Termin został przesunięty – sprawa %s",
			booking.MailCancellation:   "Termin został odwołany – sprawa %s",
			booking.MailReminder:       "Przypomnienie o terminie – sprawa %s",
			booking.MailClerkCancelled: "Odwołane przez obywatela – sprawa %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Pana/Pani termin wideokonsultacji został zarezerwowany.",
			booking.MailRebooking:      "Pana/Pani termin został przesunięty. Poprzedni termin jest już nieważny.",
			booking.MailCancellation:   "Pana/Pani termin został odwołany.",
			booking.MailClerkCancelled: "Obywatel odwołał termin w Pana/Pani kalendarzu. Ten czas jest znowu wolny.",
		},
		when: "Termin", service: "Sprawa", caseNo: "Numer sprawy",
		join:     "Dołączenie do wideokonsultacji (możliwe na %s przed rozpoczęciem)",
		manage:   "Wyświetlenie, przesunięcie lub odwołanie terminu",
		footer:   "Ta wiadomość została wysłana automatycznie. Prosimy na nią nie odpowiadać.",
		reminder: "Pana/Pani termin rozpocznie się %s.",
		weekdays: [7]string{"niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"},
		months:   [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
		dayFmt:   "%[1]s, %[2]d %[3]s %[4]d",
		calTitle: "Wideokonsultacja", calNoLink: "Link do dołączenia znajduje się w e-mailu z potwierdzeniem.",
		hoursFmt: func(d time.Duration) string { return "za " + u.say(d) },
		duration: u.say,
	}
}
