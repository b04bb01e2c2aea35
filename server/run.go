package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu"
)

// Run is the whole program: it dispatches the subcommand in args (serve by
// default) and returns when it is done or ctx ends.
func Run(ctx context.Context, args []string, getenv func(string) string) error {
	if getenv("GOGC") == "" {
		// The live heap is small and short-lived garbage plentiful (one
		// request after another); collecting half as often costs little
		// memory and takes GC work off the request path. GOGC overrides.
		debug.SetGCPercent(200)
	}
	return run(ctx, args, getenv, os.Stdout, os.Stderr)
}

const usage = `usage: sprechstunde [command] [flags]

commands:
  serve            start the server (default)
  user add         create a staff account: -email -name -role (password from SPRECHSTUNDE_NEW_PASSWORD)
  healthcheck      exit 0 when the local server answers /healthz (for containers)
  audit verify     check the hash chain of the audit log; names the first broken entry

flags:
  -config FILE     YAML configuration (or SPRECHSTUNDE_CONFIG)
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		if getenv("GOMAXPROCS") == "" {
			runtime.GOMAXPROCS(sfu.Procs(runtime.GOMAXPROCS(0)))
		}
		return serve(ctx, args, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, getenv)
	case "audit":
		return auditCommand(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		_, _ = io.WriteString(stdout, usage)
		return nil
	}
	_, _ = io.WriteString(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := Load(args, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	app, err := NewApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.bootstrap(ctx, stdout); err != nil {
		return err
	}
	app.closeDanglingCalls(ctx)
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("server: listen: %w", err)
	}
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			_ = ln.Close()
			return fmt.Errorf("server: listen metrics: %w", err)
		}
	}
	if err := app.StartJobs(); err != nil {
		return err
	}
	app.logMailSetup()
	sctx, stop := context.WithCancel(ctx)
	metricsDone := make(chan error, 1)
	if mln != nil {
		log.Info("metrics listening", "addr", mln.Addr().String(), "token", cfg.MetricsToken != "")
		go func() { metricsDone <- app.ServeMetrics(sctx, mln) }()
	} else {
		metricsDone <- nil
	}
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "database", databaseKind(cfg))
	err = app.Serve(sctx, ln)
	stop()
	if merr := <-metricsDone; merr != nil {
		log.Warn("metrics listener", "err", merr)
	}
	// Shutdown order: HTTP (done in Serve), jobs, rooms (participants are
	// told), then a last mail pass, all before the deferred Close of the
	// database.
	app.StopJobs()
	if err := app.closeMedia(); err != nil {
		log.Warn("closing rooms", "err", err)
	}
	app.FlushMail(context.Background(), 5*time.Second)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// databaseKind names the database without its URL, which may hold a password.
func databaseKind(cfg Config) string {
	if cfg.IsPostgres() {
		return "postgresql"
	}
	return "sqlite"
}
