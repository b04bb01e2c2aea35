// Package stagetrace measures where a packet's time goes inside the SFU,
// from the kernel through the UDP socket engine and forwarding to the
// batched send. It is on only in a build with -tags sfutrace (Linux, see
// on.go); otherwise its hooks are empty and compile away. The socket engine
// and the forwarding path share it, so it sits below both.
package stagetrace
