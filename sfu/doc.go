// Package sfu is the media plane of Sprechstunde: a selective forwarding unit
// for small consultation rooms (clerk, citizen, optional interpreter).
//
// Clients speak JSON over a websocket: the messages are package signaling
// (docs/signaling.md), which clients use without this package. Nobody but the
// clerk enters a room without admission; media is only forwarded between
// admitted participants. Admission is remembered per room for the whole
// appointment so that a reconnecting participant does not wait again.
//
// Every ICE packet goes through one UDP port (ICE UDP mux on the batched
// socket of package udpbatch) and optionally one TCP port (ICE-TCP); an
// embedded TURN server hands out short-lived credentials to admitted
// participants only.
//
// Memory and GC in production: forwarding allocates little per packet (the
// headerCache interceptor spares Pion's per-packet header parsing) and the
// live heap stays small (per forwarded video track mostly the NACK history,
// ~100 KB, plus Pion's receive buffers). Run the server with GOGC=200 and
// GOMEMLIMIT at about 80 % of the memory granted to the process, e.g.
// GOMEMLIMIT=400MiB for a 512 MiB container: GC then runs half as often at
// normal load and the limit, not GOGC, caps memory at peak load. The load
// generator's SFU process uses GOGC=200 and GOMEMLIMIT=256MiB; about 100
// concurrent 1:1 sessions fit in that.
package sfu
