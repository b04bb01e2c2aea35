package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/sprechstunde/sprechstunde/booking"
)

// bootstrap creates the configured admin on a fresh installation and, in
// demo mode on an empty database, a demo office to click through.
func (a *App) bootstrap(ctx context.Context, stdout io.Writer) error {
	if a.cfg.AdminEmail != "" {
		created, err := a.office.EnsureAdmin(ctx, a.cfg.AdminEmail, a.cfg.AdminPassword, "Administrator")
		if err != nil {
			return fmt.Errorf("server: create admin: %w", err)
		}
		if created {
			a.log.Info("admin account created from configuration")
		}
	}
	if !a.cfg.Demo {
		return nil
	}
	n, err := a.store.CountUsers(ctx, "")
	if err != nil {
		return fmt.Errorf("server: demo: %w", err)
	}
	if n > 0 && a.cfg.AdminEmail == "" {
		return nil
	}
	services, err := a.office.Services(ctx, false)
	if err != nil || len(services) > 0 {
		return err
	}
	return a.seedDemo(ctx, stdout)
}

// demoPassword makes a fresh password per demo database, printed once.
func demoPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (a *App) seedDemo(ctx context.Context, stdout io.Writer) error {
	adminPW, err := demoPassword()
	if err != nil {
		return err
	}
	clerkPW, err := demoPassword()
	if err != nil {
		return err
	}
	admin, err := a.office.CreateUser(ctx, booking.Actor{Role: booking.RoleAdmin}, booking.NewUser{
		Email: "admin@demo.example", Name: "Demo-Administration", Password: adminPW, Role: booking.RoleAdmin})
	if err != nil {
		return fmt.Errorf("server: demo admin: %w", err)
	}
	act := booking.Actor{UserID: admin.ID, Role: booking.RoleAdmin}
	clerk, err := a.office.CreateUser(ctx, act, booking.NewUser{
		Email: "sachbearbeitung@demo.example", Name: "Alex Beispiel", Password: clerkPW, Role: booking.RoleClerk})
	if err != nil {
		return fmt.Errorf("server: demo clerk: %w", err)
	}
	demo := []booking.Service{
		{Name: "Allgemeine Beratung", Description: "Fragen zu Anträgen und Bescheiden.", DurationMinutes: 30, BufferMinutes: 5, MinNoticeMinutes: 60, HorizonDays: 28, Published: true},
		{Name: "Wohngeld-Beratung", Description: "Beratung zum Wohngeldantrag, bitte Unterlagen bereithalten.", DurationMinutes: 45, BufferMinutes: 15, MinNoticeMinutes: 120, HorizonDays: 42, Published: true},
	}
	for _, s := range demo {
		svc, err := a.office.CreateService(ctx, act, s)
		if err != nil {
			return fmt.Errorf("server: demo service: %w", err)
		}
		for wd := 1; wd <= 5; wd++ {
			if _, err := a.office.AddOpeningHours(ctx, act, booking.OpeningHours{ServiceID: svc.ID, ClerkID: clerk.ID,
				Weekday: wd, Start: 8 * 60, End: 16 * 60}); err != nil {
				return fmt.Errorf("server: demo hours: %w", err)
			}
		}
	}
	printDemoBanner(stdout, a.cfg.PublicURL, a.cfg.Database, a.cfg.Timezone, adminPW, clerkPW)
	return nil
}

// printDemoBanner is the last thing a first `make run` prints: where to
// book, where staff sign in, the logins, and how to get new ones (the
// passwords are stored only as hashes).
func printDemoBanner(w io.Writer, publicURL, database, timezone, adminPW, clerkPW string) {
	base := strings.TrimSuffix(publicURL, "/")
	fmt.Fprintf(w, `
Demo office ready at %s
  Citizens book at   %s/
  Staff sign in at   %s/staff  (administration: %s/admin)
    Admin: admin@demo.example / %s
    Clerk: sachbearbeitung@demo.example / %s
  Two services with weekday hours 08:00–16:00 (%s). These passwords are shown only now.
  New logins: the admin resets passwords and adds staff at %s/admin; or stop the server,
  %s and start it again for a fresh demo office.

`, base, base, base, base, adminPW, clerkPW, timezone, base, freshDemoHint(database))
}

// freshDemoHint says how to empty the database without printing a URL
// that may carry a password.
func freshDemoHint(database string) string {
	if strings.Contains(database, "://") {
		return "empty the database"
	}
	return "delete " + database
}
