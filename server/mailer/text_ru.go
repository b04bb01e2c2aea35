package mailer

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func russianTexts() mailTexts {
	// Accusative forms: "через 1 час", "за 15 минут".
	u := units{
		day:    [4]string{"{n} день", "{n} дня", "{n} дней"},
		hour:   [4]string{"{n} час", "{n} часа", "{n} часов"},
		minute: [4]string{"{n} минуту", "{n} минуты", "{n} минут"},
		pick:   slavicForm(false),
	}
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Подтверждение записи – дело %s",
			booking.MailRebooking:      "Ваша запись перенесена – дело %s",
			booking.MailCancellation:   "Ваша запись отменена – дело %s",
			booking.MailReminder:       "Напоминание о Вашей записи – дело %s",
			booking.MailClerkCancelled: "Отменено гражданином – дело %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Вы записаны на видеоконсультацию.",
			booking.MailRebooking:      "Ваша запись перенесена. Прежнее время больше не действительно.",
			booking.MailCancellation:   "Ваша запись отменена.",
			booking.MailClerkCancelled: "Гражданин отменил запись в Вашем календаре. Это время снова свободно.",
		},
		when: "Время приёма", service: "Вопрос", caseNo: "Номер дела",
		join:     "Присоединиться к видеоконсультации (доступно за %s до начала)",
		manage:   "Посмотреть, перенести или отменить запись",
		footer:   "Это сообщение отправлено автоматически. Пожалуйста, не отвечайте на него.",
		reminder: "Ваш приём начнётся %s.",
		weekdays: [7]string{"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
		months:   [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		dayFmt:   "%[1]s, %[2]d %[3]s %[4]d г.",
		calTitle: "Видеоконсультация", calNoLink: "Ссылку для входа Вы найдёте в письме с подтверждением.",
		hoursFmt: func(d time.Duration) string { return "через " + u.say(d) },
		duration: u.say,
	}
}
