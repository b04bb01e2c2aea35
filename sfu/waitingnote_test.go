package sfu_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// clerkPresence lists the waiting_status values c has received, in order.
func clerkPresence(c *sfutest.Client) []bool {
	var out []bool
	for _, m := range c.Messages() {
		if s, ok := m.(*signaling.WaitingStatus); ok {
			out = append(out, s.ClerkPresent)
		}
	}
	return out
}

// TestWaitingStatusTellsClerkPresence: someone waiting learns whether a
// clerk is in the call when joining and whenever that changes.
func TestWaitingStatusTellsClerkPresence(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("clerk2", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)

	cit := e.dial(ctx, "cit", false)
	want := func(what string, seq ...bool) {
		t.Helper()
		waitFor(ctx, t, what, func() bool { return slices.Equal(clerkPresence(cit), seq) })
	}
	want("no clerk yet", false)
	clerk := e.dial(ctx, "clerk", false)
	want("the clerk arrived", false, true)
	if err := clerk.Send(signaling.Leave{}); err != nil {
		t.Fatal(err)
	}
	want("the clerk left", false, true, false)

	// A late arrival hears at once that the clerk is there.
	e.dial(ctx, "clerk2", false)
	want("the clerk is back", false, true, false, true)
	e.grant("cit-late", "r", "p-late", signaling.RoleGuest)
	late := e.dial(ctx, "cit-late", false)
	waitFor(ctx, t, "late guest told", func() bool { return slices.Equal(clerkPresence(late), []bool{true}) })
}

// TestWaitingMessage: a clerk's note reaches only the waiting participant
// it names; citizens cannot send one, admitted participants do not get
// one, and the protocol caps its length.
func TestWaitingMessage(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	e.grant("guest", "r", "p-guest", signaling.RoleGuest)
	clerk := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	cit := e.dial(ctx, "cit", false)
	guest := e.dial(ctx, "guest", false)
	mustWait(ctx, t, clerk, "guest waiting", waitingHas("p-guest"))
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))

	note := func(text string) func(signaling.Message) bool {
		return func(m signaling.Message) bool {
			w, ok := m.(*signaling.WaitingMessage)
			return ok && w.Text == text
		}
	}
	hasNote := func(c *sfutest.Client, text string) bool {
		for _, m := range c.Messages() {
			if note(text)(m) {
				return true
			}
		}
		return false
	}

	if err := clerk.Send(signaling.WaitingMessage{ParticipantID: "p-cit", Text: "Ich bin in 5 Minuten bei Ihnen", Preset: "in_5_min"}); err != nil {
		t.Fatal(err)
	}
	got := mustWait(ctx, t, cit, "the citizen's note", note("Ich bin in 5 Minuten bei Ihnen")).(*signaling.WaitingMessage)
	if got.SentAt.IsZero() || got.ParticipantID != "" || got.Preset != "in_5_min" {
		t.Errorf("delivered note = %+v, want sentAt and the preset set and no participantId", got)
	}
	// The clerk's messages are handled in order: once the guest has its own
	// note, a misrouted earlier one would have arrived before it.
	if err := clerk.Send(signaling.WaitingMessage{ParticipantID: "p-guest", Text: "for the guest"}); err != nil {
		t.Fatal(err)
	}
	mustWait(ctx, t, guest, "the guest's note", note("for the guest"))
	if hasNote(guest, "Ich bin in 5 Minuten bei Ihnen") || hasNote(cit, "for the guest") || hasNote(clerk, "for the guest") {
		t.Error("a note reached someone it did not name")
	}

	for _, tc := range []struct {
		name string
		from *sfutest.Client
		msg  string
		code string
	}{
		{"too long", clerk, `{"type":"waiting_message","participantId":"p-cit","text":"` + strings.Repeat("x", signaling.MaxWaitingMessage+1) + `"}`, signaling.CodeMalformed},
		{"from a waiting citizen", cit, `{"type":"waiting_message","participantId":"p-guest","text":"from the citizen"}`, signaling.CodeForbidden},
		{"to an admitted participant", clerk, `{"type":"waiting_message","participantId":"p-clerk","text":"to the clerk"}`, signaling.CodeNotFound},
		{"to nobody", clerk, `{"type":"waiting_message","participantId":"nobody","text":"to nobody"}`, signaling.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.from.SendRaw([]byte(tc.msg)); err != nil {
				t.Fatal(err)
			}
			mustWait(ctx, t, tc.from, tc.code, func(m signaling.Message) bool {
				er, ok := m.(*signaling.Error)
				return ok && er.Code == tc.code && er.Ref == signaling.TypeWaitingMessage
			})
		})
	}

	t.Run("from an admitted citizen", func(t *testing.T) {
		if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
			t.Fatal(err)
		}
		mustWait(ctx, t, cit, "citizen admitted", isType(signaling.TypeAdmitted))
		if err := cit.Send(signaling.WaitingMessage{ParticipantID: "p-guest", Text: "from the admitted citizen"}); err != nil {
			t.Fatal(err)
		}
		mustWait(ctx, t, cit, "forbidden", func(m signaling.Message) bool {
			er, ok := m.(*signaling.Error)
			return ok && er.Code == signaling.CodeForbidden && er.Ref == signaling.TypeWaitingMessage
		})
		if err := clerk.Send(signaling.WaitingMessage{ParticipantID: "p-guest", Text: "after the citizen's"}); err != nil {
			t.Fatal(err)
		}
		mustWait(ctx, t, guest, "the clerk's second note", note("after the citizen's"))
		if hasNote(guest, "from the admitted citizen") || hasNote(guest, "from the citizen") {
			t.Error("a citizen's note reached the guest")
		}
	})
}
