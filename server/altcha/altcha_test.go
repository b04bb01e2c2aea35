package altcha

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

var testKey = bytes.Repeat([]byte("k"), 32)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newGuard(t *testing.T, c *clock, maxUsed int) *Guard {
	t.Helper()
	g, err := New(testKey, Options{MaxNumber: 2000, TTL: 10 * time.Minute, MaxUsed: maxUsed, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// solve finds the number the way a client does.
func solve(t *testing.T, ch Challenge) int64 {
	t.Helper()
	for n := range ch.MaxNumber + 1 {
		if hashHex(ch.Salt, n) == ch.Challenge {
			return n
		}
	}
	t.Fatalf("challenge %+v has no solution", ch)
	return 0
}

// encode builds the widget's payload from any fields (maps of plain
// values always marshal).
func encode(fields map[string]any) string {
	b, _ := json.Marshal(fields)
	return base64.StdEncoding.EncodeToString(b)
}

// payload is the widget's answer to ch with number n.
func payload(ch Challenge, n int64) map[string]any {
	return map[string]any{"algorithm": ch.Algorithm, "challenge": ch.Challenge, "number": n,
		"salt": ch.Salt, "signature": ch.Signature, "took": 42}
}

func TestVerify(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// build returns the payload to verify, given a fresh challenge and
		// its solution; it may use and move the clock.
		build func(t *testing.T, g *Guard, c *clock, ch Challenge, n int64) string
		want  error
	}{
		{"valid", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			return encode(payload(ch, n))
		}, nil},
		{"valid with fractional took", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			p := payload(ch, n)
			p["took"] = 312.5 // some widgets time with performance.now()
			return encode(p)
		}, nil},
		{"valid just before expiry", func(t *testing.T, _ *Guard, c *clock, ch Challenge, n int64) string {
			c.t = c.t.Add(10 * time.Minute)
			return encode(payload(ch, n))
		}, nil},
		{"wrong number", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			return encode(payload(ch, n+1))
		}, ErrInvalid},
		{"tampered signature", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			p := payload(ch, n)
			p["signature"] = strings.Repeat("0", 64)
			return encode(p)
		}, ErrInvalid},
		{"self-made challenge", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, _ int64) string {
			p := payload(ch, 7)
			p["challenge"] = hashHex(ch.Salt, 7)
			return encode(p)
		}, ErrInvalid},
		{"expired", func(t *testing.T, _ *Guard, c *clock, ch Challenge, n int64) string {
			c.t = c.t.Add(10*time.Minute + time.Second)
			return encode(payload(ch, n))
		}, ErrExpired},
		{"digits moved into the salt keep the expiry", func(t *testing.T, g *Guard, c *clock, ch Challenge, _ int64) string {
			// salt+"15" hashes like (salt+"1")+"5": the moved digit must
			// not lengthen expires=…, which the closing "&" prevents.
			salt := ch.Salt[:strings.Index(ch.Salt, "?")] + "?expires=" + strconv.FormatInt(c.t.Unix(), 10) + "&"
			sum := hashHex(salt, 15)
			c.t = c.t.Add(time.Second)
			return encode(map[string]any{"algorithm": Algorithm, "challenge": sum, "number": 5, "salt": salt + "1", "signature": g.sign(sum)})
		}, ErrExpired},
		{"replayed", func(t *testing.T, g *Guard, _ *clock, ch Challenge, n int64) string {
			p := encode(payload(ch, n))
			if err := g.Verify(p); err != nil {
				t.Fatalf("first use: %v", err)
			}
			return p
		}, ErrReplayed},
		{"malformed base64", func(t *testing.T, _ *Guard, _ *clock, _ Challenge, _ int64) string {
			return "not base64!"
		}, ErrMalformed},
		{"malformed JSON", func(t *testing.T, _ *Guard, _ *clock, _ Challenge, _ int64) string {
			return base64.StdEncoding.EncodeToString([]byte(`{"algorithm":`))
		}, ErrMalformed},
		{"JSON not an object", func(t *testing.T, _ *Guard, _ *clock, _ Challenge, _ int64) string {
			return base64.StdEncoding.EncodeToString([]byte(`[1,2]`))
		}, ErrMalformed},
		{"empty", func(t *testing.T, _ *Guard, _ *clock, _ Challenge, _ int64) string { return "" }, ErrMalformed},
		{"too long", func(t *testing.T, _ *Guard, _ *clock, _ Challenge, _ int64) string {
			return strings.Repeat("A", maxPayload+4)
		}, ErrMalformed},
		{"number missing", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			p := payload(ch, n)
			delete(p, "number")
			return encode(p)
		}, ErrMalformed},
		{"number negative", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			return encode(payload(ch, -n-1))
		}, ErrMalformed},
		{"number not a number", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			p := payload(ch, n)
			p["number"] = "12"
			return encode(p)
		}, ErrMalformed},
		{"wrong algorithm", func(t *testing.T, _ *Guard, _ *clock, ch Challenge, n int64) string {
			p := payload(ch, n)
			p["algorithm"] = "SHA-1"
			return encode(p)
		}, ErrAlgorithm},
		{"signed salt without expiry", func(t *testing.T, g *Guard, _ *clock, _ Challenge, _ int64) string {
			salt := "00112233445566778899aabb"
			ch := hashHex(salt, 5)
			return encode(map[string]any{"algorithm": Algorithm, "challenge": ch, "number": 5, "salt": salt, "signature": g.sign(ch)})
		}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{start}
			g := newGuard(t, c, 0)
			ch, err := g.Create()
			if err != nil {
				t.Fatal(err)
			}
			err = g.Verify(tt.build(t, g, c, ch, solve(t, ch)))
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	g := newGuard(t, c, 0)
	ch, err := g.Create()
	if err != nil {
		t.Fatal(err)
	}
	wantTail := "?expires=" + strconv.FormatInt(c.t.Add(10*time.Minute).Unix(), 10) + "&"
	if ch.Algorithm != Algorithm || ch.MaxNumber != 2000 || !strings.HasSuffix(ch.Salt, wantTail) || len(ch.Salt) != 2*saltBytes+len(wantTail) {
		t.Errorf("challenge %+v: want SHA-256, maxnumber 2000 and a salt ending in %q", ch, wantTail)
	}
	if ch.Signature != g.sign(ch.Challenge) || len(ch.Challenge) != 64 {
		t.Errorf("challenge %+v is not signed hex", ch)
	}
	// The wire names are the protocol's.
	b, _ := json.Marshal(ch)
	for _, k := range []string{`"algorithm"`, `"challenge"`, `"maxnumber"`, `"salt"`, `"signature"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
	if other, _ := g.Create(); other.Salt == ch.Salt {
		t.Error("two challenges share a salt")
	}
	if _, err := New(testKey[:31], Options{MaxNumber: 1, TTL: time.Minute}); err == nil {
		t.Error("New accepted a short key")
	}
}

// TestUsedBounded: the replay memory refuses when full instead of
// forgetting, and empties as challenges expire.
func TestUsedBounded(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	g := newGuard(t, c, 3)
	solved := func() string {
		ch, err := g.Create()
		if err != nil {
			t.Fatal(err)
		}
		return encode(payload(ch, solve(t, ch)))
	}
	for i := range 3 {
		if err := g.Verify(solved()); err != nil {
			t.Fatalf("solution %d: %v", i, err)
		}
	}
	if err := g.Verify(solved()); !errors.Is(err, ErrFull) {
		t.Fatalf("fourth solution: %v, want ErrFull", err)
	}
	c.t = c.t.Add(10*time.Minute + time.Second) // the three expire
	if err := g.Verify(solved()); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := g.used.len(); n != 1 {
		t.Errorf("%d solutions remembered, want 1", n)
	}
}

// FuzzVerify: any input is answered with an error or, for a genuine
// solution, once with nil; never a panic.
func FuzzVerify(f *testing.F) {
	c := &clock{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	g, err := New(testKey, Options{MaxNumber: 50, TTL: time.Minute, Now: c.now})
	if err != nil {
		f.Fatal(err)
	}
	ch, _ := g.Create()
	f.Add(encode(payload(ch, 3)))
	f.Add("e30=")
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"number":1e400}`)))
	f.Fuzz(func(t *testing.T, p string) {
		if err := g.Verify(p); err == nil {
			if err := g.Verify(p); !errors.Is(err, ErrReplayed) {
				t.Fatalf("accepted twice: %v", err)
			}
		}
	})
}

// TestVerifyConcurrentReplay: of many simultaneous uses of one solution,
// exactly one is accepted.
func TestVerifyConcurrentReplay(t *testing.T) {
	c := &clock{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	g := newGuard(t, c, 0)
	ch, err := g.Create()
	if err != nil {
		t.Fatal(err)
	}
	p := encode(payload(ch, solve(t, ch)))
	const n = 16
	errs := make(chan error, n)
	for range n {
		go func() { errs <- g.Verify(p) }()
	}
	accepted := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			accepted++
		case !errors.Is(err, ErrReplayed):
			t.Errorf("Verify: %v, want nil or ErrReplayed", err)
		}
	}
	if accepted != 1 {
		t.Errorf("%d of %d simultaneous uses accepted, want 1", accepted, n)
	}
}
