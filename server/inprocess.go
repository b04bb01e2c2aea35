package server

import (
	"context"
	"io"
	"log/slog"
	"net"
)

// StartInProcess runs cfg's HTTP server in this process on ln, after
// creating the configured admin account, without background jobs or the
// metrics listener: the target the booking load tool starts when it is not
// given a running server. stop ends serving and closes the database.
func StartInProcess(ctx context.Context, cfg Config, ln net.Listener, log *slog.Logger) (stop func(), err error) {
	app, err := NewApp(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := app.bootstrap(ctx, io.Discard); err != nil {
		_ = app.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = app.Serve(sctx, ln); close(done) }()
	return func() {
		cancel()
		<-done
		_ = app.Close()
	}, nil
}
