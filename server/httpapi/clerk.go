package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sprechstunde/sprechstunde/booking"
)

type appointmentJSON struct {
	ID          int64  `json:"id"`
	CaseNumber  string `json:"case_number"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Status      string `json:"status"`
	CitizenName string `json:"citizen_name"`
	ServiceID   int64  `json:"service_id"`
	ClerkID     int64  `json:"clerk_id"`
	Topic       string `json:"topic"`
	Language    string `json:"language"`
}

func (a *API) handleClerkAppointments(c echo.Context) error {
	from, to, err := a.dateRange(c, 6)
	if err != nil {
		return err
	}
	var clerkID int64
	if s := c.QueryParam("clerk_id"); s != "" {
		if clerkID, err = strconv.ParseInt(s, 10, 64); err != nil || clerkID <= 0 {
			return fieldError("clerk_id", "must be a staff ID")
		}
	}
	list, err := a.office.ClerkAppointments(c.Request().Context(), staff(c).actor(), clerkID, from, to)
	if err != nil {
		return err
	}
	out := make([]appointmentJSON, len(list))
	for i, ap := range list {
		out[i] = appointmentJSON{ID: ap.ID, CaseNumber: ap.CaseNumber, Start: a.rfc3339(ap.Start), End: a.rfc3339(ap.End),
			Status: string(ap.Status), CitizenName: ap.CitizenName, ServiceID: ap.ServiceID, ClerkID: ap.ClerkID,
			Topic: ap.Topic, Language: ap.Language}
	}
	return c.JSON(http.StatusOK, out)
}

type noteJSON struct {
	ID         int64  `json:"id"`
	Text       string `json:"text"`
	AuthorID   int64  `json:"author_id"`
	AuthorName string `json:"author_name,omitempty"`
	CreatedAt  string `json:"created_at"`
}

type eventJSON struct {
	Type    string `json:"type"`
	At      string `json:"at"`
	ActorID int64  `json:"actor_id,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

type caseJSON struct {
	CaseNumber string      `json:"case_number"`
	Status     string      `json:"status"`
	ClerkID    int64       `json:"clerk_id"`
	ServiceID  int64       `json:"service_id"`
	Start      string      `json:"start"`
	End        string      `json:"end"`
	CreatedAt  string      `json:"created_at"`
	Notes      []noteJSON  `json:"notes"`
	Events     []eventJSON `json:"events"`
}

func (a *API) toCaseJSON(cs booking.Case) caseJSON {
	out := caseJSON{CaseNumber: cs.Number, Status: string(cs.Status), ClerkID: cs.ClerkID, ServiceID: cs.ServiceID,
		Start: a.rfc3339(cs.Start), End: a.rfc3339(cs.End), CreatedAt: a.rfc3339(cs.CreatedAt),
		Notes: []noteJSON{}, Events: []eventJSON{}}
	for _, n := range cs.Notes {
		out.Notes = append(out.Notes, a.toNoteJSON(n))
	}
	for _, e := range cs.Events {
		out.Events = append(out.Events, eventJSON{Type: string(e.Type), At: a.rfc3339(e.At), ActorID: e.ActorID, Detail: e.Detail})
	}
	return out
}

func (a *API) toNoteJSON(n booking.Note) noteJSON {
	return noteJSON{ID: n.ID, Text: n.Text, AuthorID: n.AuthorID, CreatedAt: a.rfc3339(n.CreatedAt)}
}

func (a *API) handleCase(c echo.Context) error {
	cs, err := a.office.Case(c.Request().Context(), staff(c).actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return a.caseAnswer(c, cs)
}

// caseAnswer sends a case with its notes' author names.
func (a *API) caseAnswer(c echo.Context, cs booking.Case) error {
	names, err := a.office.NoteAuthors(c.Request().Context(), cs)
	if err != nil {
		return err
	}
	out := a.toCaseJSON(cs)
	for i := range out.Notes {
		out.Notes[i].AuthorName = names[out.Notes[i].AuthorID]
	}
	return c.JSON(http.StatusOK, out)
}

type noteInputJSON struct {
	Text string `json:"text"`
}

func (a *API) handleAddNote(c echo.Context) error {
	var req noteInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	st := staff(c)
	n, err := a.office.AddNote(c.Request().Context(), st.actor(), c.Param("number"), req.Text)
	if err != nil {
		return err
	}
	out := a.toNoteJSON(n)
	out.AuthorName = st.user.Name
	return c.JSON(http.StatusCreated, out)
}

type statusInputJSON struct {
	Status string `json:"status"`
}

func (a *API) handleCaseStatus(c echo.Context) error {
	var req statusInputJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cs, err := a.office.SetCaseStatus(c.Request().Context(), staff(c).actor(), c.Param("number"), booking.Status(req.Status))
	if errors.Is(err, booking.ErrConflict) {
		return fieldConflict("status", "status_conflict", "The case's current status does not allow this change.")
	}
	if err != nil {
		return err
	}
	return a.caseAnswer(c, cs)
}

func isConflict(err error) bool { return errors.Is(err, booking.ErrConflict) }

// fieldConflict is a 409 that names the field it is about.
func fieldConflict(field, code, msg string) error {
	return &apiError{Status: http.StatusConflict, Code: code, Message: msg, Fields: map[string]string{field: msg}}
}
