package booking

import "strings"

// EmailLimitKey is the form of an address that the limit of open bookings
// per address counts: lower-case and without a sub-address tag, so
// "Erika+1@example.org" and "erika+2@example.org" share one limit (most
// providers deliver both to one mailbox). Dots in the local part are kept:
// only some providers ignore them, and elsewhere they tell people apart.
// Mails still go to the address as given.
func EmailLimitKey(email string) string {
	email = NormalizeEmail(email)
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return email
	}
	if plus := strings.IndexByte(email[:at], '+'); plus > 0 {
		return email[:plus] + email[at:]
	}
	return email
}
