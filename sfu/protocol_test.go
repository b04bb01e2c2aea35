package sfu_test

import (
	"strings"

	"github.com/gorilla/websocket"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// TestMalformedMessagesKeepConnectionUsable: every bad message gets an
// error reply and the next good message still works.
func TestMalformedMessagesKeepConnectionUsable(t *testing.T) {
	e := newEnv(t, nil)
	ctx := testCtx(t, 30*time.Second)
	e.grant("clerk", "r", "p-clerk", sfu.RoleClerk)
	c := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, c, "admitted", isType(sfu.TypeAdmitted))
	for i, tc := range []struct {
		name, raw, code string
	}{
		{"not json", `hello`, sfu.CodeMalformed},
		{"array", `[1,2]`, sfu.CodeMalformed},
		{"unknown type", `{"type":"teleport"}`, sfu.CodeUnknownType},
		{"missing type", `{"text":"x"}`, sfu.CodeUnknownType},
		{"wrong field type", `{"type":"chat","text":5}`, sfu.CodeMalformed},
		{"empty sdp", `{"type":"offer","sdp":""}`, sfu.CodeMalformed},
		{"server-only type", `{"type":"room_closed","reason":"x"}`, sfu.CodeUnknownType},
		{"second join", `{"type":"join","credential":"clerk"}`, sfu.CodeForbidden},
		{"invalid utf8 chat", "{\"type\":\"chat\",\"text\":\"\xff\"}", sfu.CodeMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.SendRaw([]byte(tc.raw)); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitError(ctx, tc.code); err != nil {
				t.Fatalf("want %s: %v", tc.code, err)
			}
			text := "still here " + strings.Repeat("!", i+1)
			_ = c.Send(sfu.Chat{Text: text})
			mustWait(ctx, t, c, "chat echo", func(m sfu.Message) bool {
				ch, ok := m.(*sfu.Chat)
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
	e.grant("cit", "r", "p-cit", sfu.RoleCitizen)
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, e.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, tc := range []struct{ send, wantType, wantCode string }{
		{`{"type":"chat","text":"hi"}`, sfu.TypeError, sfu.CodeJoinFirst},
		{`{nope`, sfu.TypeError, sfu.CodeMalformed},
		{`{"type":"join","credential":"cit"}`, sfu.TypeJoined, ""},
	} {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(tc.send)); err != nil {
			t.Fatal(err)
		}
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		m, typ, err := sfu.Decode(data)
		if err != nil || typ != tc.wantType {
			t.Fatalf("after %s got %s (%v)", tc.send, data, err)
		}
		if er, ok := m.(*sfu.Error); ok && er.Code != tc.wantCode {
			t.Fatalf("after %s got code %s", tc.send, er.Code)
		}
	}
}

// TestRateLimit: a flood is answered with rate_limited, the connection
// survives and works again once tokens refill.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *sfu.Config) { c.MessagesPerSecond = 5; c.MessageBurst = 5 })
	ctx := testCtx(t, 20*time.Second)
	e.grant("clerk", "r", "p-clerk", sfu.RoleClerk)
	c := e.dial(ctx, "clerk", false)
	mustWait(ctx, t, c, "admitted", isType(sfu.TypeAdmitted))
	for range 20 {
		if err := c.Send(sfu.Chat{Text: "flood"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitError(ctx, sfu.CodeRateLimited); err != nil {
		t.Fatal(err)
	}
	chats := 0
	for _, m := range c.Messages() {
		if m.MessageType() == sfu.TypeChat {
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
		_ = c.Send(sfu.Chat{Text: text})
		select {
		case <-ctx.Done():
			t.Fatal("connection never usable again")
		case <-tick.C:
		}
		for _, m := range c.Messages() {
			if ch, ok := m.(*sfu.Chat); ok && ch.Text == text {
				return
			}
		}
	}
}
