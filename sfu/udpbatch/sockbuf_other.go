//go:build !linux

package udpbatch

import "net"

// SetBuffers asks for the buffer sizes; other systems do not report
// what they granted, so the request is echoed back.
func SetBuffers(c *net.UDPConn, rcv, snd int) (int, int, error) {
	if rcv > 0 {
		if err := c.SetReadBuffer(rcv); err != nil {
			return 0, 0, err
		}
	}
	if snd > 0 {
		if err := c.SetWriteBuffer(snd); err != nil {
			return 0, 0, err
		}
	}
	return rcv, snd, nil
}
