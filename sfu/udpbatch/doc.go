// Package udpbatch is the SFU's ICE UDP socket engine: a net.PacketConn
// that reads and writes many datagrams per system call (recvmmsg and
// sendmmsg on Linux), optionally reads on a clock outside Go's network
// poller, and sizes the kernel's socket buffers. It knows nothing of
// rooms or media; Pion's ICE UDP mux reads from it. The measurements behind
// its choices are in docs/benchmarks.md.
package udpbatch
