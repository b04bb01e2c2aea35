package roomgate

import (
	"context"
	"testing"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/sfu"
)

// TestStaffLinksEndAtExpiry: a login's waiting stream ends when the login
// expires, though no request tells the server so; other logins stay.
func TestStaffLinksEndAtExpiry(t *testing.T) {
	l := NewStaffLinks(func() *sfu.SFU { return nil })
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	expiring, done1 := l.Stream(ctx, 1, booking.Session{TokenHash: "a", ExpiresAt: time.Now().Add(50 * time.Millisecond)})
	defer done1()
	other, done2 := l.Stream(ctx, 1, booking.Session{TokenHash: "b", ExpiresAt: time.Now().Add(time.Hour)})
	defer done2()
	select {
	case <-expiring.Done():
	case <-ctx.Done():
		t.Fatal("stream of an expired login still open")
	}
	if other.Err() != nil {
		t.Error("another login's stream ended with the first")
	}
	l.EndStreams()
	if other.Err() == nil {
		t.Error("endStreams left a stream open")
	}
}
