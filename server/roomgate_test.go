package server

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// join exchanges the fixture's join link with c's cookies and connects.
func (f *roomFixture) joinAndDial(t *testing.T, ctx context.Context, c *client) (httpapi.RoomInfo, *sfutest.Client) {
	t.Helper()
	var info httpapi.RoomInfo
	c.mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusOK, &info)
	var ct ticketOut
	c.mustDo("POST", "/api/v1/rooms/ticket", nil, http.StatusOK, &ct)
	return info, f.dial(t, ctx, ct.Ticket, false)
}

func (f *roomFixture) clerkDial(t *testing.T, ctx context.Context, clerk *client) *sfutest.Client {
	t.Helper()
	var st ticketOut
	clerk.mustDo("POST", "/api/v1/clerk/appointments/"+itoa(f.booking.ID)+"/ticket", nil, http.StatusOK, &st)
	c := f.dial(t, ctx, st.Ticket, false)
	if _, err := c.WaitType(ctx, signaling.TypeAdmitted); err != nil {
		t.Fatalf("clerk not admitted: %v", err)
	}
	return c
}

func joinedAs(status string) func(signaling.Message) bool {
	return func(m signaling.Message) bool { j, ok := m.(*signaling.Joined); return ok && j.Status == status }
}

// TestJoinLinkReplayWaitsForClerk: the join link exchanged again in the
// same browser rejoins without admission; exchanged elsewhere while the
// citizen is in the call, it neither takes over the seat nor gets in: it
// waits, shown to the clerk as a second device, and the clerk decides.
func TestJoinLinkReplayWaitsForClerk(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	clerk := f.clerkDial(t, ctx, f.clerk)

	citizen := f.env.client()
	info, cit := f.joinAndDial(t, ctx, citizen)
	if _, err := cit.WaitFor(ctx, joinedAs(signaling.StatusWaiting)); err != nil {
		t.Fatal(err)
	}
	if err := clerk.Send(signaling.Admit{ParticipantID: info.ParticipantID}); err != nil {
		t.Fatal(err)
	}
	if _, err := cit.WaitType(ctx, signaling.TypeAdmitted); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "admission stored", func() bool {
		var n int64
		f.env.rawSQL().Raw("SELECT COUNT(*) FROM room_sessions WHERE admitted").Scan(&n)
		return n == 1
	})

	outer := t // connections outlive the subtests
	t.Run("reload in the same browser rejoins admitted", func(t *testing.T) {
		_, again := f.joinAndDial(outer, ctx, citizen)
		if _, err := again.WaitFor(ctx, joinedAs(signaling.StatusAdmitted)); err != nil {
			t.Fatal(err)
		}
		cit = again
	})

	t.Run("another browser waits as a second device", func(t *testing.T) {
		stranger := f.env.client()
		_, other := f.joinAndDial(t, ctx, stranger)
		if _, err := other.WaitFor(ctx, joinedAs(signaling.StatusWaiting)); err != nil {
			t.Fatal(err)
		}
		if _, err := clerk.WaitFor(ctx, func(m signaling.Message) bool {
			w, ok := m.(*signaling.WaitingList)
			return ok && len(w.Waiting) == 1 && w.Waiting[0].SecondDevice
		}); err != nil {
			for _, m := range clerk.Messages() {
				t.Logf("%T %+v", m, m)
			}
			t.Fatal(err)
		}
		var waiting []httpapi.WaitingEntry
		f.clerk.mustDo("GET", "/api/v1/clerk/appointments/"+itoa(f.booking.ID)+"/waiting", nil, http.StatusOK, &waiting)
		if len(waiting) != 1 || !waiting[0].SecondDevice {
			t.Fatalf("waiting endpoint = %+v, want one second device", waiting)
		}
		if err := clerk.Send(signaling.Remove{ParticipantID: info.ParticipantID, SecondDevice: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.WaitType(ctx, signaling.TypeRemoved); err != nil {
			for _, m := range clerk.Messages() {
				if e, ok := m.(*signaling.Error); ok {
					t.Logf("clerk got %+v", e)
				}
			}
			t.Fatal(err)
		}
		for _, m := range cit.Messages() {
			if e, ok := m.(*signaling.Error); ok && e.Code == signaling.CodeReplaced {
				t.Fatal("the citizen in the call was replaced")
			}
		}
		if st := f.env.app.media.Stats(); st.Admitted != 2 || st.Waiting != 0 {
			t.Errorf("media stats %+v, want clerk and citizen admitted, nobody waiting", st)
		}
	})
}

// TestRoomSessionsBounded: many exchanges of one join link keep at most
// booking.MaxRoomSessions sessions; the admitted browser keeps its own,
// and an idle session ends.
func TestRoomSessionsBounded(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	clerk := f.clerkDial(t, ctx, f.clerk)
	citizen := f.env.client()
	info, cit := f.joinAndDial(t, ctx, citizen)
	if _, err := cit.WaitFor(ctx, joinedAs(signaling.StatusWaiting)); err != nil {
		t.Fatal(err)
	}
	if err := clerk.Send(signaling.Admit{ParticipantID: info.ParticipantID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "admission stored", func() bool {
		var n int64
		f.env.rawSQL().Raw("SELECT COUNT(*) FROM room_sessions WHERE admitted").Scan(&n)
		return n == 1
	})
	for range 20 {
		f.env.client().mustDo("POST", "/api/v1/join/"+lastSegment(f.booking.JoinURL), nil, http.StatusOK, nil)
	}
	var n int64
	f.env.rawSQL().Raw("SELECT COUNT(*) FROM room_sessions").Scan(&n)
	if n > booking.MaxRoomSessions {
		t.Errorf("%d room sessions after 20 exchanges, want at most %d", n, booking.MaxRoomSessions)
	}
	citizen.mustDo("GET", "/api/v1/rooms/session", nil, http.StatusOK, nil)

	// Idle: the same session read at a time past its idle expiry is gone.
	var hash string
	f.env.rawSQL().Raw("SELECT token_hash FROM room_sessions WHERE admitted").Scan(&hash)
	later := time.Now().Add(booking.RoomSessionIdle + time.Minute)
	if _, err := f.env.app.store.RoomSession(ctx, hash, later); err == nil {
		t.Error("room session still valid after its idle time")
	}
}

// readSSE returns a channel that closes when the stream ends.
func openWaitingStream(t *testing.T, ctx context.Context, c *client) <-chan struct{} {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+"/api/v1/clerk/waiting/stream", nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream status %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	if _, err := r.ReadString('\n'); err != nil { // "retry: …": the stream is live
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer resp.Body.Close()
		for {
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
		}
	}()
	return done
}

// TestStaffRevocationCutsLiveConnections: logging out, and deactivating an
// account, end the clerk's waiting stream and signaling connection at
// once, not at the next request.
func TestStaffRevocationCutsLiveConnections(t *testing.T) {
	for _, how := range []string{"logout", "deactivation", "password change"} {
		t.Run(how, func(t *testing.T) {
			f := newRoomFixture(t, "sqlite")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			other := f.env.login("clerk@amt.example") // a second login of the same clerk
			stream := openWaitingStream(t, ctx, f.clerk)
			otherStream := openWaitingStream(t, ctx, other)
			ws := f.clerkDial(t, ctx, f.clerk)

			switch how {
			case "logout":
				f.clerk.mustDo("POST", "/api/v1/auth/logout", nil, http.StatusNoContent, nil)
			default:
				var me struct {
					User struct {
						ID int64 `json:"id"`
					} `json:"user"`
				}
				f.clerk.mustDo("GET", "/api/v1/auth/me", nil, http.StatusOK, &me)
				body := map[string]any{"active": false}
				if how == "password change" {
					body = map[string]any{"password": "another correct horse"}
				}
				f.admin.mustDo("PATCH", "/api/v1/admin/users/"+itoa(me.User.ID), body, http.StatusOK, nil)
			}
			select {
			case <-stream:
			case <-ctx.Done():
				t.Fatal("waiting stream still open")
			}
			m, err := ws.WaitType(ctx, signaling.TypeRemoved)
			if err != nil {
				t.Fatalf("signaling connection not ended: %v", err)
			}
			if r := m.(*signaling.Removed).Reason; r != signaling.ReasonSessionEnded {
				t.Errorf("reason %q", r)
			}
			<-ws.Done()
			if how == "logout" {
				select {
				case <-otherStream:
					t.Error("logout ended the stream of another login")
				default:
				}
				return
			}
			// Every login of the user ends, each stream in its own goroutine.
			select {
			case <-otherStream:
			case <-ctx.Done():
				t.Errorf("%s left another login's stream open", how)
			}
		})
	}
}

// TestDanglingCallsClosedAtStart: a call_started without call_ended, left
// by a process that died, gets an explicit end at the next start.
func TestDanglingCallsClosedAtStart(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx := context.Background()
	c, err := f.env.app.store.CaseByNumber(ctx, f.booking.CaseNumber)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.env.app.store.AppendEvent(ctx, booking.Event{CaseID: c.ID, Type: booking.EventCallStarted, At: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	f.env.app.closeDanglingCalls(ctx)
	f.env.app.closeDanglingCalls(ctx) // once is enough: nothing left to close
	var cs struct {
		Events []struct {
			Type   string `json:"type"`
			Detail string `json:"detail"`
		} `json:"events"`
	}
	f.clerk.mustDo("GET", "/api/v1/cases/"+f.booking.CaseNumber, nil, http.StatusOK, &cs)
	ended := 0
	for _, e := range cs.Events {
		if e.Type == string(booking.EventCallEnded) && strings.Contains(e.Detail, booking.CallEndedByRestart) {
			ended++
		}
	}
	if ended != 1 {
		t.Errorf("%d call_ended (%s) events, want 1: %+v", ended, booking.CallEndedByRestart, cs.Events)
	}
}

// TestClosedRoomForgetsAdmission: once the clerk closes the room, the
// stored admission goes with it; the citizen coming back waits again.
func TestClosedRoomForgetsAdmission(t *testing.T) {
	f := newRoomFixture(t, "sqlite")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	clerk := f.clerkDial(t, ctx, f.clerk)
	citizen := f.env.client()
	info, cit := f.joinAndDial(t, ctx, citizen)
	if _, err := cit.WaitFor(ctx, joinedAs(signaling.StatusWaiting)); err != nil {
		t.Fatal(err)
	}
	if err := clerk.Send(signaling.Admit{ParticipantID: info.ParticipantID}); err != nil {
		t.Fatal(err)
	}
	if _, err := cit.WaitType(ctx, signaling.TypeAdmitted); err != nil {
		t.Fatal(err)
	}
	admitted := func() int64 {
		var n int64
		f.env.rawSQL().Raw("SELECT COUNT(*) FROM room_sessions WHERE admitted").Scan(&n)
		return n
	}
	waitFor(t, ctx, "admission stored", func() bool { return admitted() == 1 })
	if err := clerk.Send(signaling.CloseRoom{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cit.WaitType(ctx, signaling.TypeRoomClosed); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "admission forgotten", func() bool { return admitted() == 0 })
	_, again := f.joinAndDial(t, ctx, citizen)
	if _, err := again.WaitFor(ctx, joinedAs(signaling.StatusWaiting)); err != nil {
		t.Fatalf("citizen not waiting in the reopened room: %v", err)
	}
}
