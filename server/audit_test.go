package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

// TestAuditVerify: staff actions chain up; changing or removing one row
// makes `sprechstunde audit verify` fail naming that entry.
func TestAuditVerify(t *testing.T) {
	tampers := []struct {
		name    string
		sql     string
		wantErr string // "" = intact
	}{
		{"intact", "", ""},
		{"detail changed", "UPDATE audit_log SET detail = 'clerk' WHERE seq = 3", "entry 3: content does not match"},
		{"actor changed", "UPDATE audit_log SET actor_id = actor_id + 1 WHERE seq = 2", "entry 2: content does not match"},
		{"entry removed", "DELETE FROM audit_log WHERE seq = 4", "entry 4: entry missing"},
		{"hash rewritten", "UPDATE audit_log SET hash = prev_hash WHERE seq = 2", "entry 2"},
	}
	for _, kind := range storetest.Kinds(t) {
		for _, tt := range tampers {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				env, _ := newAsyncEnv(t, kind, nil, nil)
				admin := env.login(testAdminEmail)     // 1 login
				env.office(admin, "clerk@amt.example") // 2 user, 3 service, 4 hours
				env.client().do("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@amt.example", "password": "x"}, nil)
				admin.mustDo("POST", "/api/v1/auth/logout", nil, http.StatusNoContent, nil)
				var log []httpapi.AuditEntry
				env.login(testAdminEmail).mustDo("GET", "/api/v1/admin/audit?limit=3", nil, http.StatusOK, &log)
				if len(log) != 3 || log[0].Action != "login" || log[1].Action != "logout" || log[2].Action != "login_failed" {
					t.Fatalf("newest audit entries: %+v", log)
				}
				if tt.sql != "" {
					if err := env.rawSQL().Exec(tt.sql).Error; err != nil {
						t.Fatal(err)
					}
				}
				var out, errOut bytes.Buffer
				getenv := func(k string) string {
					return map[string]string{"SPRECHSTUNDE_DATABASE": env.cfg.Database, "SPRECHSTUNDE_DATA_DIR": env.cfg.DataDir}[k]
				}
				err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut)
				switch {
				case tt.wantErr == "" && err != nil:
					t.Fatalf("verify: %v", err)
				case tt.wantErr == "" && !strings.Contains(out.String(), "intact: 7 entries"):
					t.Fatalf("verify said %q", out.String())
				case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
					t.Fatalf("verify: %v, want %q", err, tt.wantErr)
				}
			})
		}
	}
}

// TestAuditConcurrentAppends: two server processes on one PostgreSQL
// append at once; the chain stays unbroken and gap-free.
func TestAuditConcurrentAppends(t *testing.T) {
	kinds := storetest.Kinds(t)
	if len(kinds) < 2 {
		t.Skip("needs PostgreSQL")
	}
	dsn := storetest.DSN(t, "postgres")
	apps := []*App{newAppOn(t, dsn), newAppOn(t, dsn)}
	var wg sync.WaitGroup
	for i, app := range apps {
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 15 {
					if err := app.office.Audit(context.Background(), booking.Actor{UserID: int64(i + 1)}, "test",
						fmt.Sprintf("w:%d", w), fmt.Sprint(j)); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	n, err := booking.VerifyAudit(context.Background(), apps[0].store)
	if err != nil || n != 2*4*15 {
		t.Fatalf("verify: %d entries, %v", n, err)
	}
}
