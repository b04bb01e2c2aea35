package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestRunUsage: without a known subcommand the tool names both and fails
// with errUsage (exit status 2); help succeeds.
func TestRunUsage(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		wantErr error
	}{
		{nil, errUsage},
		{[]string{"loadgen"}, errUsage},
		{[]string{"help"}, nil},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, func(string) string { return "" }, &out, &errOut)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if text := out.String() + errOut.String(); !strings.Contains(text, "booking") || !strings.Contains(text, "sfu") {
				t.Errorf("usage lacks the subcommands: %q", text)
			}
		})
	}
}
