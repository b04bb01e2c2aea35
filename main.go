// Command sprechstunde is a self-hostable platform for video consultations
// between public offices and citizens: booking, cases and a WebRTC SFU in
// one binary. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sprechstunde/sprechstunde/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := server.Run(ctx, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "sprechstunde:", err)
		os.Exit(1)
	}
}
