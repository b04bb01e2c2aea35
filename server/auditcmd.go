package server

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
)

// auditCommand: `sprechstunde audit verify [-config FILE]` walks the hash
// chain and fails naming the first entry that does not hold.
func auditCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: sprechstunde audit verify [-config FILE]")
	}
	cfg, err := Load(args[1:], getenv)
	if err != nil {
		return err
	}
	store, err := gormstore.Open(ctx, cfg.Database, newLogger(cfg, stderr))
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	defer store.Close()
	n, err := booking.VerifyAudit(ctx, store)
	if err != nil {
		return fmt.Errorf("audit verify: %d entries intact before: %w", n, err)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries\n", n)
	return nil
}
