package signaling

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    Message
		wantErr error
	}{
		{"join", `{"type":"join","credential":"abc"}`, &Join{Credential: "abc"}, nil},
		{"offer with sources", `{"type":"offer","sdp":"v=0","sources":{"t1":"screen"}}`,
			&Offer{SDP: "v=0", Sources: map[string]string{"t1": "screen"}}, nil},
		{"candidate", `{"type":"candidate","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0"}}`,
			&Candidate{Candidate: webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host", SDPMid: ptr("0")}}, nil},
		{"unknown fields ignored", `{"type":"mute","audio":true,"extra":1}`, &Mute{Audio: true}, nil},
		{"leave", `{"type":"leave"}`, &Leave{}, nil},
		{"empty credential", `{"type":"join","credential":""}`, nil, ErrMalformed},
		{"unknown type", `{"type":"x"}`, nil, ErrUnknownType},
		{"not an object", `"join"`, nil, ErrMalformed},
		{"truncated", `{"type":"join"`, nil, ErrMalformed},
		{"wrong type", `{"type":"admit","participantId":7}`, nil, ErrMalformed},
		{"empty admit", `{"type":"admit"}`, nil, ErrMalformed},
		{"empty chat", `{"type":"chat","text":""}`, nil, ErrMalformed},
		{"waiting message", `{"type":"waiting_message","participantId":"p","text":"Gleich"}`, &WaitingMessage{ParticipantID: "p", Text: "Gleich"}, nil},
		{"empty waiting message", `{"type":"waiting_message","participantId":"p","text":""}`, nil, ErrMalformed},
		{"waiting message too long", `{"type":"waiting_message","participantId":"p","text":"` + strings.Repeat("x", MaxWaitingMessage+1) + `"}`, nil, ErrMalformed},
		{"waiting message with preset", `{"type":"waiting_message","participantId":"p","text":"Gleich","preset":"in_5_min"}`, &WaitingMessage{ParticipantID: "p", Text: "Gleich", Preset: "in_5_min"}, nil},
		{"waiting message with a sentence as preset", `{"type":"waiting_message","participantId":"p","text":"Gleich","preset":"Bin gleich da"}`, nil, ErrMalformed},
		{"waiting status", `{"type":"waiting_status","clerkPresent":true}`, &WaitingStatus{ClerkPresent: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := Decode([]byte(tc.in))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, m := range []Message{
		&Join{Credential: "c"},
		&Joined{ParticipantID: "p", Role: RoleCitizen, Status: StatusWaiting, NotAfter: now},
		&WaitingList{Waiting: []WaitingEntry{{ParticipantID: "p", DisplayName: "Änne Müller", Role: RoleGuest, Since: now}}},
		&Admitted{ICEServers: []ICEServer{{URLs: []string{"turn:x:1?transport=udp"}, Username: "1:p", Credential: "pw"}}},
		&Chat{Text: "Grüß Gott", From: "p", SentAt: now},
		&Leave{},
		&WaitingStatus{ClerkPresent: true},
		&WaitingMessage{Text: "Ich bin in 5 Minuten bei Ihnen", SentAt: now},
		&Error{Code: CodeMalformed, Ref: "x"},
	} {
		t.Run(m.MessageType(), func(t *testing.T) {
			b, err := Encode(reflect.ValueOf(m).Elem().Interface().(Message))
			if err != nil {
				t.Fatal(err)
			}
			var env map[string]any
			if err := json.Unmarshal(b, &env); err != nil || env["type"] != m.MessageType() {
				t.Fatalf("encoded %s: %v", b, err)
			}
			got, _, err := Decode(b)
			if err != nil {
				t.Fatalf("decode %s: %v", b, err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("round trip: got %#v, want %#v", got, m)
			}
		})
	}
}

// FuzzDecode: Decode never panics, and what it accepts encodes and decodes
// to the same value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"type":"join","credential":"abc"}`,
		`{"type":"offer","sdp":"v=0\r\n","sources":{"a":"screen"}}`,
		`{"type":"candidate","candidate":{"candidate":"x","sdpMLineIndex":0}}`,
		`{"type":"chat","text":"hallo"}`,
		`{"type":"admit","participantId":"p"}`,
		`{"type":"mute","audio":true,"video":false}`,
		`{"type":"waiting_message","participantId":"p","text":"gleich"}`,
		`{"type":"ice_servers"}`, `{"type":"leave"}`, `[]`, `null`, `{"type":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnknownType) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("encode accepted message: %v", err)
		}
		m2, _, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decode %s: %v", b, err)
		}
		b2, _ := Encode(m2)
		if string(b) != string(b2) {
			t.Fatalf("not stable: %s vs %s", b, b2)
		}
	})
}

func ptr[T any](v T) *T { return &v }
