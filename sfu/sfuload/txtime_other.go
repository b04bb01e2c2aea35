//go:build !linux

package sfuload

import (
	"net"
	"time"
)

// txClock: only Linux gives transmit timestamps; sends keep the time taken
// before the send call.
type txClock struct{}

func (x *txClock) enable(*net.UDPConn)                      {}
func (x *txClock) drain(func(rtpHead []byte, at time.Time)) {}
func (x *txClock) request([]byte) []byte                    { return nil }
func (x *txClock) stamping() bool                           { return false }
func (x *txClock) asked(int)                                {}
