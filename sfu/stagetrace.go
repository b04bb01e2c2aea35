//go:build !sfutrace || !linux

package sfu

import (
	"syscall"

	"golang.org/x/net/ipv4"
)

// Stage tracing is a build for measuring where a packet's time goes inside
// the SFU (go build -tags sfutrace, see stagetrace_on.go). In normal builds
// these hooks are empty and compile away.

func traceSocket(syscall.Conn, []ipv4.Message) {}
func traceRead([]ipv4.Message)                 {}
func traceForward([]byte) int64                { return 0 }
func traceForwarded(int64)                     {}
func traceNow() int64                          { return 0 }
func traceKick(int64)                          {}
func traceSend(int64)                          {}
