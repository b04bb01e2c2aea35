package sfu

import (
	"testing"

	"github.com/gorilla/websocket"
)

// The server hands gorilla connections to ServeConn.
func TestGorillaConnSatisfiesConn(t *testing.T) {
	var c Conn = (*websocket.Conn)(nil)
	_ = c
}
