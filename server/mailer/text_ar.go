package mailer

import (
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

func arabicTexts() mailTexts {
	u := units{
		day:    [4]string{"يوم واحد", "يومين", "{n} أيام", "{n} يومًا"},
		hour:   [4]string{"ساعة واحدة", "ساعتين", "{n} ساعات", "{n} ساعة"},
		minute: [4]string{"دقيقة واحدة", "دقيقتين", "{n} دقائق", "{n} دقيقة"},
		pick:   arabicForm,
	}
	return mailTexts{
		subject: map[booking.MailKind]string{
			booking.MailConfirmation:   "تأكيد الموعد – رقم الملف %s",
			booking.MailRebooking:      "تم تغيير موعدكم – رقم الملف %s",
			booking.MailCancellation:   "تم إلغاء موعدكم – رقم الملف %s",
			booking.MailReminder:       "تذكير بموعدكم – رقم الملف %s",
			booking.MailClerkCancelled: "ألغى المواطن الموعد – رقم الملف %s",
		},
		heading: map[booking.MailKind]string{
			booking.MailConfirmation:   "تم حجز موعدكم للاستشارة عبر الفيديو.",
			booking.MailRebooking:      "تم نقل موعدكم إلى وقت آخر. الموعد القديم لم يعد صالحًا.",
			booking.MailCancellation:   "تم إلغاء موعدكم.",
			booking.MailClerkCancelled: "ألغى المواطن موعدًا في تقويمكم. أصبح هذا الوقت متاحًا من جديد.",
		},
		when: "الموعد", service: "الموضوع", caseNo: "رقم الملف",
		join:     "الانضمام إلى الاستشارة عبر الفيديو (متاح قبل البدء بـ %s)",
		manage:   "عرض الموعد أو تغييره أو إلغاؤه",
		footer:   "أُرسلت هذه الرسالة تلقائيًا. يرجى عدم الرد عليها.",
		reminder: "يبدأ موعدكم %s.",
		weekdays: [7]string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"},
		months:   [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		dayFmt:   "%[1]s، %[2]d %[3]s %[4]d",
		calTitle: "استشارة عبر الفيديو", calNoLink: "تجدون رابط الانضمام في رسالة التأكيد الإلكترونية.",
		hoursFmt: func(d time.Duration) string { return "بعد " + u.say(d) },
		duration: u.say,
	}
}
