package mailer

import "net/url"

// JoinURL and ManageURL are the citizen's personal links. They carry the
// booking's language, so the page opens in the language of the mail
// whatever the browser was set to.
func JoinURL(publicURL, token, lang string) string {
	return citizenURL(publicURL, "/join/", token, lang)
}

// ManageURL: see JoinURL.
func ManageURL(publicURL, token, lang string) string {
	return citizenURL(publicURL, "/manage/", token, lang)
}

func citizenURL(publicURL, path, token, lang string) string {
	u := publicURL + path + token
	if lang != "" {
		u += "?lang=" + url.QueryEscape(lang)
	}
	return u
}
