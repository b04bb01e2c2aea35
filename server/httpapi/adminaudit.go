package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// AuditEntry is one line of GET /api/v1/admin/audit.
type AuditEntry struct {
	Seq     int64  `json:"seq"`
	At      string `json:"at"`
	ActorID int64  `json:"actor_id"`
	Action  string `json:"action"`
	Object  string `json:"object,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Hash    string `json:"hash"`
}

// handleAudit pages the audit log newest first: ?limit=&before=<seq>.
func (a *API) handleAudit(c echo.Context) error {
	limit, before := 100, int64(0)
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return fieldError("limit", "must be between 1 and 500")
		}
		limit = n
	}
	if s := c.QueryParam("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return fieldError("before", "must be an entry number")
		}
		before = n
	}
	list, err := a.office.AuditLog(c.Request().Context(), staff(c).actor(), before, limit)
	if err != nil {
		return err
	}
	out := make([]AuditEntry, len(list))
	for i, e := range list {
		out[i] = AuditEntry{Seq: e.Seq, At: a.rfc3339(e.At), ActorID: e.ActorID, Action: e.Action,
			Object: e.Object, Detail: e.Detail, Hash: e.Hash}
	}
	return c.JSON(http.StatusOK, out)
}

type archiveOfferJSON struct {
	CaseNumber string `json:"case_number"`
	OfferedAt  string `json:"offered_at"`
}

// handleArchiveOffers lists cases whose retention ended and that await
// the archive's decision.
func (a *API) handleArchiveOffers(c echo.Context) error {
	list, err := a.office.ArchiveOffers(c.Request().Context(), staff(c).actor())
	if err != nil {
		return err
	}
	out := make([]archiveOfferJSON, len(list))
	for i, o := range list {
		out[i] = archiveOfferJSON{CaseNumber: o.Number, OfferedAt: a.rfc3339(o.OfferedAt)}
	}
	return c.JSON(http.StatusOK, out)
}

// handleMarkArchived records that the archive took a case over.
func (a *API) handleMarkArchived(c echo.Context) error {
	if err := a.office.MarkArchived(c.Request().Context(), staff(c).actor(), c.Param("number")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
