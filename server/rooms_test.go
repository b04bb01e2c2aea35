package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

type ticketOut struct {
	Ticket string `json:"ticket"`
	WSURL  string `json:"ws_url"`
	Room   struct {
		Role          string `json:"role"`
		DisplayName   string `json:"display_name"`
		ParticipantID string `json:"participant_id"`
	} `json:"room"`
}

// roomFixture books the next slot of a ten-minute service with round-the-
// clock hours, on real time, so its join window is open now.
type roomFixture struct {
	env     *testEnv
	admin   *client
	clerk   *client
	booking bookingOut
}

func newRoomFixture(t *testing.T, kind string) *roomFixture {
	t.Helper()
	env := newTestEnvClock(t, kind, nil, time.Now)
	admin := env.login(testAdminEmail)
	svc, slots := openNow(env, admin)
	f := &roomFixture{env: env, admin: admin}
	env.client().mustDo("POST", "/api/v1/bookings", map[string]any{"service_id": svc, "start": slots[0].Start,
		"name": "Erika Mustermann", "email": "erika@example.org", "consent": true}, http.StatusCreated, &f.booking)
	f.clerk = env.login("clerk@amt.example")
	return f
}

func (f *roomFixture) wsURL() string {
	return "ws" + strings.TrimPrefix(f.env.srv.URL, "http") + httpapi.SignalingPath
}

func (f *roomFixture) dial(t *testing.T, ctx context.Context, ticket string, publish bool) *sfutest.Client {
	t.Helper()
	c, err := sfutest.Dial(ctx, sfutest.ClientConfig{URL: f.wsURL(), Credential: ticket, Publish: publish})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestRoomJourney: the citizen exchanges the join link, waits, is admitted
// by the clerk, media flows both ways, and the case records the session.
func TestRoomJourney(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	citizen := f.env.client()
	var info httpapi.RoomInfo
	citizen.mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusOK, &info)
	if info.Role != "citizen" || info.DisplayName != "Erika Mustermann" || info.Appointment.CaseNumber != f.booking.CaseNumber {
		t.Fatalf("room info: %+v", info)
	}
	// After a reload the cookie alone is enough: the token left the URL.
	citizen.mustDo("GET", "/api/v1/rooms/session", nil, http.StatusOK, &info)
	var ct ticketOut
	citizen.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &ct)
	cit := f.dial(t, ctx, ct.Ticket, true)
	if _, err := cit.WaitFor(ctx, func(m signaling.Message) bool { j, ok := m.(*signaling.Joined); return ok && j.Status == "waiting" }); err != nil {
		t.Fatalf("citizen not waiting: %v", err)
	}

	var st ticketOut
	f.clerk.mustDo("POST", "/api/v1/clerk/appointments/"+itoa(f.booking.ID)+"/ticket", nil, http.StatusOK, &st)
	if st.Room.Role != "clerk" || st.Room.DisplayName != "Frau Schmidt" {
		t.Fatalf("clerk ticket: %+v", st)
	}
	clerk := f.dial(t, ctx, st.Ticket, true)
	wl, err := clerk.WaitFor(ctx, func(m signaling.Message) bool { w, ok := m.(*signaling.WaitingList); return ok && len(w.Waiting) == 1 })
	if err != nil {
		t.Fatalf("clerk sees nobody waiting: %v", err)
	}
	if w := wl.(*signaling.WaitingList).Waiting[0]; w.DisplayName != "Erika Mustermann" {
		t.Fatalf("waiting: %+v", w)
	}
	var waiting []httpapi.WaitingEntry
	f.clerk.mustDo("GET", "/api/v1/clerk/appointments/"+itoa(f.booking.ID)+"/waiting", nil, http.StatusOK, &waiting)
	if len(waiting) != 1 || waiting[0].DisplayName != "Erika Mustermann" {
		t.Fatalf("waiting endpoint: %+v", waiting)
	}
	if err := clerk.Send(signaling.Admit{ParticipantID: info.ParticipantID}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*sfutest.Client{"citizen": cit, "clerk": clerk} {
		if err := c.WaitConnected(ctx); err != nil {
			t.Fatalf("%s not connected: %v", name, err)
		}
	}
	waitFor(t, ctx, "media both ways", func() bool {
		return cit.Video.Packets.Load() > 30 && clerk.Video.Packets.Load() > 30 && cit.Audio.Packets.Load() > 10 && clerk.Audio.Packets.Load() > 10
	})

	var cs struct {
		Events []struct {
			Type   string `json:"type"`
			Detail string `json:"detail"`
		} `json:"events"`
	}
	waitFor(t, ctx, "session events on the case", func() bool {
		f.clerk.mustDo("GET", "/api/v1/cases/"+f.booking.CaseNumber, nil, http.StatusOK, &cs)
		seen := map[string]bool{}
		for _, e := range cs.Events {
			seen[e.Type] = true
		}
		return seen["room_joined"] && seen["room_admitted"] && seen["call_started"]
	})
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

// TestRoomAccessRules: tickets are single-use, foreign origins and strangers
// are refused, guests are invited by the clerk and wait, a cancelled
// appointment closes the door.
func TestRoomAccessRules(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	id := itoa(f.booking.ID)

	t.Run("unknown join token", func(t *testing.T) {
		f.env.client().mustDo("POST", "/api/v1/join/"+strings.Repeat("A", 43), nil, http.StatusNotFound, nil)
	})
	t.Run("no room session", func(t *testing.T) {
		f.env.client().mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusUnauthorized, nil)
	})
	t.Run("ticket is single-use and refused when unknown", func(t *testing.T) {
		var st ticketOut
		f.clerk.mustDo("POST", "/api/v1/clerk/appointments/"+id+"/ticket", nil, http.StatusOK, &st)
		c := f.dial(t, ctx, st.Ticket, false)
		if _, err := c.WaitType(ctx, "joined"); err != nil {
			t.Fatal(err)
		}
		again := f.dial(t, ctx, st.Ticket, false)
		if err := again.WaitError(ctx, "unauthorized"); err != nil {
			t.Fatalf("reused ticket: %v", err)
		}
	})
	t.Run("foreign origin", func(t *testing.T) {
		h := http.Header{"Origin": {"https://evil.example"}}
		_, resp, err := websocket.DefaultDialer.DialContext(ctx, f.wsURL(), h)
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", err, resp)
		}
	})
	t.Run("other clerk", func(t *testing.T) {
		f.admin.mustDo("POST", "/api/v1/admin/users", map[string]any{"email": "other@amt.example", "name": "Other",
			"password": testPassword, "role": "clerk"}, http.StatusCreated, nil)
		other := f.env.login("other@amt.example")
		other.mustDo("POST", "/api/v1/clerk/appointments/"+id+"/ticket", nil, http.StatusNotFound, nil)
		other.mustDo("POST", "/api/v1/clerk/appointments/"+id+"/guest-link", nil, http.StatusNotFound, nil)
	})
	t.Run("guest link", func(t *testing.T) {
		var link httpapi.GuestLink
		f.clerk.mustDo("POST", "/api/v1/clerk/appointments/"+id+"/guest-link", nil, http.StatusCreated, &link)
		token := lastSegment(link.URL)
		guest := f.env.client()
		var e apiErr
		guest.mustDo("POST", "/api/v1/guest/"+token, map[string]string{"name": " "}, http.StatusUnprocessableEntity, &e)
		var info httpapi.RoomInfo
		guest.mustDo("POST", "/api/v1/guest/"+token, map[string]string{"name": "Dolmetscherin Ayse"}, http.StatusOK, &info)
		if info.Role != "guest" || info.DisplayName != "Dolmetscherin Ayse" {
			t.Fatalf("guest: %+v", info)
		}
		f.env.client().mustDo("POST", "/api/v1/guest/"+token, map[string]string{"name": "Zweite"}, http.StatusNotFound, nil)
		var gt ticketOut
		guest.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &gt)
		g := f.dial(t, ctx, gt.Ticket, false)
		if _, err := g.WaitFor(ctx, func(m signaling.Message) bool { j, ok := m.(*signaling.Joined); return ok && j.Status == "waiting" }); err != nil {
			t.Fatalf("guest not waiting: %v", err)
		}
	})
	t.Run("cancelled appointment", func(t *testing.T) {
		var st ticketOut
		f.clerk.mustDo("POST", "/api/v1/clerk/appointments/"+id+"/ticket", nil, http.StatusOK, &st)
		inside := f.dial(t, ctx, st.Ticket, false)
		if _, err := inside.WaitType(ctx, "joined"); err != nil {
			t.Fatal(err)
		}
		citizen := f.env.client()
		citizen.mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusOK, nil)
		citizen.mustDo("DELETE", "/api/v1/bookings/manage/"+lastSegment(f.booking.ManageURL), nil, http.StatusNoContent, nil)
		citizen.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusGone, nil)
		f.env.client().mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusGone, nil)
		if _, err := inside.WaitType(ctx, "room_closed"); err != nil {
			t.Fatalf("participants not told of the cancellation: %v", err)
		}
	})
}
