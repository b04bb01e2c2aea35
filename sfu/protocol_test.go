package sfu_test

import (
	"strings"

	"github.com/gorilla/websocket"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// TestMalformedMessagesKeepConnectionUsable: every bad message gets an
// error reply and the next good message still works.
func TestMalformedMessagesKeepConnectionUsable(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	c := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, c, "admitted", isType(signaling.TypeAdmitted))
	for i, tc := range []struct {
		name, raw, code string
	}{
		{"not json", `hello`, signaling.CodeMalformed},
		{"array", `[1,2]`, signaling.CodeMalformed},
		{"unknown type", `{"type":"teleport"}`, signaling.CodeUnknownType},
		{"missing type", `{"text":"x"}`, signaling.CodeUnknownType},
		{"wrong field type", `{"type":"chat","text":5}`, signaling.CodeMalformed},
		{"empty sdp", `{"type":"offer","sdp":""}`, signaling.CodeMalformed},
		{"server-only type", `{"type":"room_closed","reason":"x"}`, signaling.CodeUnknownType},
		{"second join", `{"type":"join","credential":"clerk"}`, signaling.CodeForbidden},
		{"invalid utf8 chat", "{\"type\":\"chat\",\"text\":\"\xff\"}", signaling.CodeMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.SendRaw([]byte(tc.raw)); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitError(ctx, tc.code); err != nil {
				t.Fatalf("want %s: %v", tc.code, err)
			}
			text := "still here " + strings.Repeat("!", i+1)
			_ = c.Send(signaling.Chat{Text: text})
			mustWait(ctx, t, c, "chat echo", func(m signaling.Message) bool {
				ch, ok := m.(*signaling.Chat)
				return ok && ch.Text == text
			})
		})
	}
}

// TestJoinFirst: before join, other and malformed messages get errors and
// the connection still accepts the join.
func TestJoinFirst(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 10*time.Second)
	e.grant("cit", "r", "p-cit", signaling.RoleCitizen)
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, e.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, tc := range []struct{ send, wantType, wantCode string }{
		{`{"type":"chat","text":"hi"}`, signaling.TypeError, signaling.CodeJoinFirst},
		{`{nope`, signaling.TypeError, signaling.CodeMalformed},
		{`{"type":"join","credential":"cit"}`, signaling.TypeJoined, ""},
	} {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(tc.send)); err != nil {
			t.Fatal(err)
		}
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		m, typ, err := signaling.Decode(data)
		if err != nil || typ != tc.wantType {
			t.Fatalf("after %s got %s (%v)", tc.send, data, err)
		}
		if er, ok := m.(*signaling.Error); ok && er.Code != tc.wantCode {
			t.Fatalf("after %s got code %s", tc.send, er.Code)
		}
	}
}

// TestRateLimit: a flood is answered with rate_limited, the connection
// survives and works again once tokens refill.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.MessagesPerSecond = 5; c.MessageBurst = 5 })
	ctx := testCtx(t, 20*time.Second)
	e.grant("clerk", "r", "p-clerk", signaling.RoleClerk)
	c := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, c, "admitted", isType(signaling.TypeAdmitted))
	for range 20 {
		if err := c.Send(signaling.Chat{Text: "flood"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitError(ctx, signaling.CodeRateLimited); err != nil {
		t.Fatal(err)
	}
	chats := 0
	for _, m := range c.Messages() {
		if m.MessageType() == signaling.TypeChat {
			chats++
		}
	}
	if chats > 8 {
		t.Errorf("%d of 20 flood messages went through a 5/s bucket", chats)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		text := "after flood " + strings.Repeat("x", i)
		_ = c.Send(signaling.Chat{Text: text})
		select {
		case <-ctx.Done():
			t.Fatal("connection never usable again")
		case <-tick.C:
		}
		for _, m := range c.Messages() {
			if ch, ok := m.(*signaling.Chat); ok && ch.Text == text {
				return
			}
		}
	}
}
