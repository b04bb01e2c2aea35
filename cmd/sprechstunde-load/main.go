// Command sprechstunde-load holds the load generators, apart from the
// product binary so that it never links test clients, net/http/httptest or
// the SFU child's allow-all authorizer:
//
//	sprechstunde-load booking [flags]   an appointment rush against a server
//	sprechstunde-load sfu [flags]       a ramp of 1:1 video sessions through the SFU
//
// Both print one line per phase or step and a closing JSON line. See
// docs/benchmarks.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/sprechstunde/sprechstunde/sfu/sfuload"
)

const usage = `usage: sprechstunde-load booking|sfu [flags]

  booking  run an appointment rush against a server and print figures
  sfu      ramp 1:1 video sessions through the SFU and print figures
`

func main() {
	// The sfu ramp re-executes this binary as the SFU under test.
	if sfuload.IsChild() {
		sfuload.RunChild()
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "sprechstunde-load:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		_, _ = io.WriteString(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "booking":
		return loadgenBooking(ctx, args[1:], getenv, stdout, stderr)
	case "sfu":
		return loadgenSFU(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		_, _ = io.WriteString(stdout, usage)
		return nil
	}
	_, _ = io.WriteString(stderr, usage)
	return errUsage
}
