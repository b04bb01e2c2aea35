package sfu_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestSignalingBurstKeepsConnection: a burst of several hundred messages,
// sent without reading, is cut to the bucket. The excess is dropped with
// one rate_limited notice per run of drops, so the replies stay within the
// send queue and the connection stays; once tokens refill, messages are
// handled again.
func TestSignalingBurstKeepsConnection(t *testing.T) {
	const burst = 60
	e := newEnv(t, func(c *sfu.Config) { c.MessagesPerSecond = 20; c.MessageBurst = burst })
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, e.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send := func(m signaling.Message) {
		t.Helper()
		b, err := signaling.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := ws.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	send(signaling.Join{Credential: "clerk"})
	start := time.Now()
	for range 2 { // two bursts back to back: 600 messages, one run of drops
		for range 300 {
			send(signaling.Chat{Text: "flood"})
		}
	}

	// Read everything the burst caused, then probe at the rate until a
	// probe comes back: messages are handled in order, so by then every
	// message of the burst has been seen.
	got := make(chan signaling.Message, 1024)
	go func() {
		defer close(got)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if m, _, err := signaling.Decode(data); err == nil {
				got <- m
			}
		}
	}()
	floods, notices := 0, 0
	probe := time.NewTicker(100 * time.Millisecond)
	defer probe.Stop()
	for i := 0; ; {
		select {
		case m, ok := <-got:
			if !ok {
				t.Fatalf("connection closed after %d echoes and %d notices", floods, notices)
			}
			switch m := m.(type) {
			case *signaling.Chat:
				if m.Text != "flood" {
					// The bucket refills while the burst is read, at 20/s.
					limit := burst + int(20*time.Since(start).Seconds()) + 1
					// One notice per run of drops, and a new run begins
					// only after a message refilled tokens let through.
					// (join took one token of the burst).
					if floods > limit || notices < 1 || notices > floods-(burst-1)+1 {
						t.Errorf("burst of 600: %d handled (at most %d), %d rate_limited notices (want 1 per run of drops)", floods, limit, notices)
					}
					return
				}
				floods++
			case *signaling.Error:
				if m.Code == signaling.CodeRateLimited {
					notices++
				}
			}
		case <-probe.C:
			i++
			send(signaling.Chat{Text: "probe " + strconv.Itoa(i)})
		case <-ctx.Done():
			t.Fatalf("no probe handled after the burst: %v", context.Cause(ctx))
		}
	}
}
