// Package signaling is the wire protocol between clients and the SFU: the
// JSON messages on the websocket, their type names, status, reason and
// error codes, and Encode/Decode. It knows nothing of rooms or media, so
// test and load clients depend on the protocol, not on the SFU. The
// protocol is written up in docs/signaling.md.
package signaling
