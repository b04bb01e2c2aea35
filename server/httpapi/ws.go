package httpapi

import (
	"net/http"
	"net/url"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"
)

// handleRoomSocket upgrades to the signaling websocket and hands the
// connection to the media server, which authenticates its first message.
func (a *API) handleRoomSocket(c echo.Context) error {
	up := websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		CheckOrigin:     a.allowedOrigin,
	}
	conn, err := up.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		// Upgrade has answered already (403 for a foreign Origin, 400 otherwise).
		a.log.Info("websocket upgrade refused", "err", err)
		return nil
	}
	a.media.ServeConn(c.Request().Context(), conn)
	return nil
}

// allowedOrigin accepts browsers on our public origin (OWASP ASVS V4.4.2).
// Clients that send no Origin are not browsers and cannot ride on a
// citizen's cookies; they still need a ticket.
func (a *API) allowedOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	o, err := url.Parse(origin)
	if err != nil {
		return false
	}
	p, err := url.Parse(a.cfg.PublicURL)
	return err == nil && o.Scheme == p.Scheme && o.Host == p.Host
}
