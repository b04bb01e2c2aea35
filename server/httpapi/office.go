package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// OfficeInfo is the office as the public pages show it: the Impressum, the
// controller and data-protection contact of the privacy notice (Art. 13
// DSGVO) and where to report a barrier. Empty fields are not configured.
type OfficeInfo struct {
	Name                 string `json:"name"`
	Address              string `json:"address"`
	Controller           string `json:"controller"`
	PrivacyContact       string `json:"privacy_contact"`
	AccessibilityContact string `json:"accessibility_contact"`
}

func (a *API) handleOffice(c echo.Context) error {
	return c.JSON(http.StatusOK, a.cfg.Office)
}
