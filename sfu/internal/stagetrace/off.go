//go:build !sfutrace || !linux

package stagetrace

import (
	"syscall"

	"golang.org/x/net/ipv4"
)

// In normal builds the hooks are empty and compile away (see on.go for
// what they measure in a build with -tags sfutrace).

// Socket prepares the ICE socket and its read slots for kernel stamps.
func Socket(syscall.Conn, []ipv4.Message) {}

// Read notes the datagrams of one batch read.
func Read([]ipv4.Message) {}

// Forward notes an RTP packet read for forwarding; it returns the start of
// the forward stage.
func Forward([]byte) int64 { return 0 }

// Forwarded ends the forward stage begun at t0.
func Forwarded(t0 int64) {}

// Now is the clock the stages are measured with.
func Now() int64 { return 0 }

// Kick ends the wait of a queue that went busy at since for the flusher.
func Kick(since int64) {}

// Send ends one batch send begun at since.
func Send(since int64) {}
