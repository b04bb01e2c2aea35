package httpapi

// zoneName is the office's IANA time zone, which pages show every time in
// (see frontend.Pages); "Local" means nothing to a browser, so it becomes ""
// and pages then show the digits the API sent.
func (a *API) zoneName() string {
	if a.cfg.Location == nil || a.cfg.Location.String() == "Local" {
		return ""
	}
	return a.cfg.Location.String()
}
