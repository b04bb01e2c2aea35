package sfu

import (
	"fmt"
	"strings"
	"testing"
)

// sdpWith builds a minimal description with one media section per entry:
// "audio sendrecv", "video recvonly", "video sendonly rids=3", "audio
// sendrecv port=0", "video" (no direction attribute).
func sdpWith(sections ...string) string {
	var b strings.Builder
	b.WriteString("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
	for i, sec := range sections {
		f := strings.Fields(sec)
		port, rids := "9", 0
		for _, x := range f[1:] {
			if v, ok := strings.CutPrefix(x, "port="); ok {
				port = v
			}
			if v, ok := strings.CutPrefix(x, "rids="); ok {
				fmt.Sscan(v, &rids)
			}
		}
		fmt.Fprintf(&b, "m=%s %s UDP/TLS/RTP/SAVPF 96\r\na=mid:%d\r\n", f[0], port, i)
		if len(f) > 1 && !strings.Contains(f[1], "=") {
			fmt.Fprintf(&b, "a=%s\r\n", f[1])
		}
		for r := range rids {
			fmt.Fprintf(&b, "a=rid:r%d send\r\n", r)
		}
	}
	return b.String()
}

func TestPublishesTooMuch(t *testing.T) {
	sixty := make([]string, 60)
	for i := range sixty {
		sixty[i] = "audio sendrecv"
	}
	for _, tc := range []struct {
		name     string
		sections []string
		want     bool
	}{
		{"microphone and camera", []string{"audio sendrecv", "video sendrecv"}, false},
		{"with a screen share", []string{"audio sendrecv", "video sendrecv", "video sendonly"}, false},
		{"no direction means sendrecv", []string{"audio", "audio"}, true},
		{"receiving others is free", []string{"audio sendrecv", "video sendrecv", "audio recvonly", "video recvonly",
			"audio recvonly", "video recvonly", "video inactive"}, false},
		{"ended screen shares", []string{"video sendrecv", "video recvonly", "video recvonly", "video sendrecv"}, false},
		{"stopped sections", []string{"audio sendrecv", "audio sendrecv port=0", "video sendrecv port=0"}, false},
		{"two microphones", []string{"audio sendrecv", "audio sendonly"}, true},
		{"three videos", []string{"video sendrecv", "video sendrecv", "video sendonly"}, true},
		{"sixty audio tracks", sixty, true},
		{"simulcast layers count", []string{"audio sendrecv", "video sendrecv rids=3"}, true},
		{"unparsable is left to pion", []string{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sdp := sdpWith(tc.sections...)
			if len(tc.sections) == 0 {
				sdp = "not sdp"
			}
			if got := publishesTooMuch(sdp); got != tc.want {
				t.Errorf("publishesTooMuch = %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzPublishesTooMuch: any client description is judged without panic.
func FuzzPublishesTooMuch(f *testing.F) {
	f.Add(sdpWith("audio sendrecv", "video sendrecv"))
	f.Add(sdpWith("audio", "audio", "video sendonly rids=3"))
	f.Add("v=0\r\nm=audio 0 x 0\r\n")
	f.Fuzz(func(_ *testing.T, sdp string) { publishesTooMuch(sdp) })
}
