package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/sprechstunde/sprechstunde/booking"
)

// userCommand: `sprechstunde user add -email … -name … -role clerk`. The
// password comes from SPRECHSTUNDE_NEW_PASSWORD so it is not in the shell
// history or the process list.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: sprechstunde user add -email E -name N -role admin|clerk [-config FILE]")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address (login)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "clerk", "admin or clerk")
	cfgFile := fs.String("config", "", "YAML configuration")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var cfgArgs []string
	if *cfgFile != "" {
		cfgArgs = []string{"-config", *cfgFile}
	}
	cfg, err := Load(cfgArgs, getenv)
	if err != nil {
		return err
	}
	app, err := NewApp(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer app.Close()
	u, err := app.office.CreateUser(ctx, booking.Actor{Role: booking.RoleAdmin}, booking.NewUser{
		Email: *email, Name: *name, Password: getenv("SPRECHSTUNDE_NEW_PASSWORD"), Role: booking.Role(*role)})
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(stdout, "created %s account %d\n", u.Role, u.ID)
	return nil
}

// healthcheck asks the local server's /healthz; containers without curl
// use it as their health probe.
func healthcheck(ctx context.Context, args []string, getenv func(string) string) error {
	cfg, err := Load(args, getenv)
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: status %d", resp.StatusCode)
	}
	return nil
}
