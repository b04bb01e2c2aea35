package mailer

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func ukrainianTexts() mailTexts {
	// Accusative forms: "через 1 годину", "за 15 хвилин".
	u := units{
		day:    [4]string{"{n} день", "{n} дні", "{n} днів"},
		hour:   [4]string{"{n} годину", "{n} години", "{n} годин"},
		minute: [4]string{"{n} хвилину", "{n} хвилини", "{n} хвилин"},
		pick:   slavicForm(false),
	}
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Підтвердження запису – справа %s",
			booking.MailRebooking:      "Ваш запис перенесено – справа %s",
			booking.MailCancellation:   "Ваш запис скасовано – справа %s",
			booking.MailReminder:       "Нагадування про Ваш запис – справа %s",
			booking.MailClerkCancelled: "Скасовано громадянином – справа %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Вас записано на відеоконсультацію.",
			booking.MailRebooking:      "Ваш запис перенесено. Попередній час більше не дійсний.",
			booking.MailCancellation:   "Ваш запис скасовано.",
			booking.MailClerkCancelled: "Громадянин скасував запис у Вашому календарі. Цей час знову вільний.",
		},
		when: "Час прийому", service: "Питання", caseNo: "Номер справи",
		join:     "Приєднатися до відеоконсультації (доступно за %s до початку)",
		manage:   "Переглянути, перенести або скасувати запис",
		footer:   "Це повідомлення надіслано автоматично. Будь ласка, не відповідайте на нього.",
		reminder: "Ваш прийом почнеться %s.",
		weekdays: [7]string{"неділя", "понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота"},
		months:   [12]string{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
		dayFmt:   "%[1]s, %[2]d %[3]s %[4]d р.",
		calTitle: "Відеоконсультація", calNoLink: "Посилання для входу Ви знайдете в електронному листі з підтвердженням.",
		hoursFmt: func(d time.Duration) string { return "через " + u.say(d) },
		duration: u.say,
	}
}
