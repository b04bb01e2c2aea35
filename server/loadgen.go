package server

import (
	"context"
	"fmt"
	"io"
)

// loadgen dispatches `sprechstunde loadgen <kind>`.
func loadgen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: sprechstunde loadgen booking|sfu [flags]")
	}
	switch args[0] {
	case "booking":
		return loadgenBooking(ctx, args[1:], getenv, stdout, stderr)
	case "sfu":
		return loadgenSFU(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("loadgen: unknown kind %q (booking or sfu)", args[0])
}

func loadgenSFU(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return fmt.Errorf("loadgen sfu: not wired yet")
}
