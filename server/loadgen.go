package server

import (
	"context"
	"errors"
	"io"
)

func loadgen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("loadgen: not yet built")
}
