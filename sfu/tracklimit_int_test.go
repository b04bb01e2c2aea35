package sfu_test

import (
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestTrackLimit: an admitted participant offering sixty audio tracks (and
// a camera) is refused with too_many_tracks before anything is set up for
// them: no receiver on the SFU, nothing forwarded to the clerk. The
// connection stays usable.
func TestTrackLimit(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	clerk := e.dial(ctx, "clerk", true)
	mustWait(ctx, t, clerk, "clerk admitted", isType(signaling.TypeAdmitted))
	waitFor(ctx, t, "the clerk's tracks published", func() bool {
		_, n := sfu.PeerMedia(e.s, "p-clerk")
		return n == 2
	})
	cit, err := sfutest.Dial(ctx, sfutest.ClientConfig{URL: e.url, Credential: "cit", Publish: true, ExtraAudio: 59})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cit.Close)
	mustWait(ctx, t, clerk, "citizen waiting", waitingHas("p-cit"))
	if err := clerk.Send(signaling.Admit{ParticipantID: "p-cit"}); err != nil {
		t.Fatal(err)
	}
	m := mustWait(ctx, t, cit, "too_many_tracks", func(m signaling.Message) bool {
		e, ok := m.(*signaling.Error)
		return ok && e.Code == signaling.CodeTooManyTracks
	}).(*signaling.Error)
	if m.Ref != signaling.TypeOffer {
		t.Errorf("error refers to %q, want offer", m.Ref)
	}
	// The offer was refused before it was applied: the citizen's
	// PeerConnection on the SFU receives nothing (at most it sends the
	// clerk's two tracks).
	if tr, pub := sfu.PeerMedia(e.s, "p-cit"); pub != 0 || tr > 2 {
		t.Errorf("after the refusal the SFU has %d transceivers and %d published tracks for the citizen", tr, pub)
	}
	if n := clerk.RemoteStreams()["p-cit"]; n != 0 {
		t.Errorf("clerk receives %d of the citizen's tracks", n)
	}
	_ = cit.Send(signaling.Chat{Text: "still here"})
	mustWait(ctx, t, cit, "chat echo", func(m signaling.Message) bool {
		c, ok := m.(*signaling.Chat)
		return ok && c.Text == "still here"
	})
	if tr, pub := sfu.PeerMedia(e.s, "p-cit"); pub != 0 || tr > 2 {
		t.Errorf("later the SFU has %d transceivers and %d published tracks for the citizen", tr, pub)
	}
}
