package booking

// Locales are the languages the citizen's pages, mails and calendar texts
// exist in, German first (the default). Staff pages stay German and English.
func Locales() []string { return []string{"de", "en", "tr", "ar", "uk", "ru", "pl"} }

// IsLocale reports whether l is one of Locales.
func IsLocale(l string) bool {
	for _, x := range Locales() {
		if x == l {
			return true
		}
	}
	return false
}
