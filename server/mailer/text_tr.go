package mailer

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func turkishTexts() mailTexts {
	u := units{day: [4]string{"{n} gün"}, hour: [4]string{"{n} saat"}, minute: [4]string{"{n} dakika"},
		pick: func(int) int { return 0 }}
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "Randevu onayı – dosya %s",
			booking.MailRebooking:      "Randevunuz değiştirildi – dosya %s",
			booking.MailCancellation:   "Randevunuz iptal edildi – dosya %s",
			booking.MailReminder:       "Randevunuzu hatırlatırız – dosya %s",
			booking.MailClerkCancelled: "Vatandaş tarafından iptal – dosya %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "Video görüşme randevunuz alınmıştır.",
			booking.MailRebooking:      "Randevunuz başka bir zamana alınmıştır. Eski randevu artık geçerli değildir.",
			booking.MailCancellation:   "Randevunuz iptal edilmiştir.",
			booking.MailClerkCancelled: "Takviminizdeki bir randevu vatandaş tarafından iptal edildi. Bu zaman yeniden boştur.",
		},
		when: "Randevu", service: "Konu", caseNo: "Dosya numarası",
		join:     "Video görüşmeye katılın (başlangıçtan %s önce açılır)",
		manage:   "Randevuyu görüntüleyin, değiştirin veya iptal edin",
		footer:   "Bu mesaj otomatik olarak gönderilmiştir. Lütfen yanıtlamayınız.",
		reminder: "Randevunuz %s başlıyor.",
		weekdays: [7]string{"Pazar", "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi"},
		months:   [12]string{"Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"},
		dayFmt:   "%[2]d %[3]s %[4]d %[1]s",
		calTitle: "Video görüşme", calNoLink: "Katılım bağlantısı onay e-postanızdadır.",
		hoursFmt: func(d time.Duration) string { return u.say(d) + " sonra" },
		duration: u.say,
	}
}
