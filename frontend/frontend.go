// Package frontend holds the browser pages, scripts, styles and message
// catalogs. They are plain files (ES modules, CSS, JSON) embedded into the
// binary, so there is no build step and nothing is loaded from third parties.
//
// Layout of static/:
//
//	pages/   layout.html, the one <head> and shell of every page, and one
//	         file per page defining its title key, controller and <main>
//	         (see Pages)
//	js/      ES modules; api.js, signaling.js and format.js are DOM-free
//	css/     one stylesheet, system fonts only
//	i18n/    message catalogs (de.json is the default, en.json the switch)
//	img/     icons
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Static returns the embedded files rooted at static/.
func Static() (fs.FS, error) {
	return fs.Sub(files, "static")
}
