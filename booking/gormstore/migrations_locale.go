package gormstore

// localeMigration is migration 7 on both databases: the language the
// citizen booked in, which their mails and links carry. Until now the
// conversation language chose the mail language, so existing bookings keep
// it where pages exist in it. table is the dialect's quoted table name.
func localeMigration(table string) migration {
	return migration{
		`ALTER TABLE ` + table + ` ADD locale VARCHAR(8) NOT NULL DEFAULT 'de'`,
		`UPDATE ` + table + ` SET locale = language WHERE language IN ('en', 'tr', 'ar', 'uk', 'ru', 'pl')`,
	}
}
