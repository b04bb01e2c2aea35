package server

import (
	"net/http"
	"testing"
)

// TestBrowserManage: the manage link moves and cancels a booking; without
// the link the page explains what to do. Each state passes axe-core.
func TestBrowserManage(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	b := newBrowser(t, f.env.srv.URL)
	p := b.tab("manage")
	p.open(pathOf(t, f.booking.ManageURL))
	p.wait("booking", `location.pathname === "/manage" && document.getElementById("m-status")`)
	before := eval[string](p, `document.getElementById("m-time").textContent`)
	p.click("#rebook-btn")
	p.wait("picker", `document.querySelectorAll("#day-times .time").length > 1`)
	p.click("#day-times li:nth-child(2) .time")
	p.wait("confirm question", `!document.getElementById("rebook-confirm").hidden`)
	p.checkpoint("manage rebook confirm")
	question := eval[string](p, `document.getElementById("rebook-question").textContent`)
	p.click("#rebook-yes")
	// Either the booking moved or the page says why not (in the question).
	p.wait("moved or refused", `document.getElementById("m-time").textContent !== `+jsString(before)+
		` || document.getElementById("rebook-question").textContent !== `+jsString(question))
	if got := eval[string](p, `document.getElementById("m-time").textContent`); got == before {
		t.Fatalf("rebooking refused: %s", eval[string](p, `document.getElementById("rebook-question").textContent`))
	}
	p.checkpoint("manage rebooked")

	p.click("#cancel-btn")
	p.wait("cancel question", `!document.getElementById("cancel-confirm").hidden`)
	p.click("#cancel-yes")
	p.wait("cancelled", `document.getElementById("m-status").textContent === "abgesagt"`)
	p.checkpoint("manage cancelled")
	// The stored token is the new one the rebooking returned: it still works.
	p.open("/manage")
	p.wait("cancelled after reload", `document.getElementById("m-status") && document.getElementById("m-status").textContent === "abgesagt"`)

	other := b.tab("no link")
	other.open("/manage")
	other.wait("hint", `document.getElementById("manage-status").textContent.length > 10`)
	other.checkpoint("manage without link")

	var st struct {
		Status string `json:"status"`
	}
	f.clerk.mustDo("GET", "/api/v1/cases/"+f.booking.CaseNumber, nil, http.StatusOK, &st)
	if st.Status != "cancelled" {
		t.Errorf("case status %q, want cancelled", st.Status)
	}
}

func jsString(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		if r == '"' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, string(r)...)
	}
	return string(append(b, '"'))
}
