// Package sfu is the media plane of Sprechstunde: a selective forwarding unit
// for small consultation rooms (clerk, citizen, optional interpreter).
//
// Clients speak JSON over a websocket (see docs/signaling.md). Nobody but the
// clerk enters a room without admission; media is only forwarded between
// admitted participants. Admission is remembered per room for the whole
// appointment so that a reconnecting participant does not wait again.
//
// Every ICE packet goes through one UDP port (ICE UDP mux) and optionally one
// TCP port (ICE-TCP); an embedded TURN server hands out short-lived
// credentials to admitted participants only.
package sfu
