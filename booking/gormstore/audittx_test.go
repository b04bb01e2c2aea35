package gormstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/booking/gormstore"
	"github.com/sprechstunde/sprechstunde/booking/gormstore/storetest"
)

var errInjected = errors.New("injected failure")

// faultyTx is a transaction's Store with one step made to fail.
type faultyTx struct {
	booking.Store
	fault string
}

func (f faultyTx) CreateService(ctx context.Context, s *booking.Service) error {
	if err := f.Store.CreateService(ctx, s); err != nil || f.fault != "change" {
		return err
	}
	return errInjected // stored, then the transaction fails
}

func (f faultyTx) AppendAudit(ctx context.Context, e *booking.AuditEntry) error {
	switch f.fault {
	case "append":
		return errInjected
	case "after append":
		if err := f.Store.AppendAudit(ctx, e); err != nil {
			return err
		}
		return errInjected
	}
	return f.Store.AppendAudit(ctx, e)
}

// faultyStore hands out faultyTx in its transactions.
type faultyStore struct {
	*gormstore.Store
	fault string
}

func (s faultyStore) InTx(ctx context.Context, fn func(booking.Store) error) error {
	return s.Store.InTx(ctx, func(tx booking.Store) error { return fn(faultyTx{tx, s.fault}) })
}

// TestAuditInChangeTransaction: a change and its audit entry are stored
// together or not at all.
func TestAuditInChangeTransaction(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		for _, fault := range []string{"change", "append", "after append"} {
			t.Run(kind+"/"+fault, func(t *testing.T) {
				ctx := context.Background()
				store := storetest.Open(t, kind)
				office, err := booking.New(faultyStore{store, fault}, booking.Options{Hasher: storetest.FastHasher{}})
				if err != nil {
					t.Fatal(err)
				}
				admin := booking.Actor{UserID: 1, Role: booking.RoleAdmin}
				_, err = office.CreateService(ctx, admin, booking.Service{Name: "Beratung", DurationMinutes: 30, HorizonDays: 30})
				if !errors.Is(err, errInjected) {
					t.Fatalf("create: %v", err)
				}
				services, err := store.Services(ctx, false)
				if err != nil {
					t.Fatal(err)
				}
				entries, err := store.AuditEntries(ctx, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(services) != 0 || len(entries) != 0 {
					t.Fatalf("after a failed transaction: %d services, %d audit entries", len(services), len(entries))
				}
			})
		}
	}
}

// TestAuditChainUnderConcurrentChanges: audited changes from many
// goroutines at once leave one unbroken chain with one entry per change.
func TestAuditChainUnderConcurrentChanges(t *testing.T) {
	for _, kind := range storetest.Kinds(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, kind, 2, 0)
			before, err := booking.VerifyAudit(ctx, f.store)
			if err != nil {
				t.Fatal(err)
			}
			const n = 24
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					switch i % 3 {
					case 0:
						_, err = f.office.CreateService(ctx, f.admin, booking.Service{Name: fmt.Sprintf("S%d", i), DurationMinutes: 30, HorizonDays: 30})
					case 1:
						_, err = f.office.RotateCalendarFeed(ctx, booking.Actor{UserID: f.clerks[i%2], Role: booking.RoleClerk})
					case 2:
						_, err = f.office.AddClosure(ctx, f.admin, booking.Closure{Date: booking.Date{Year: 2026, Month: 5, Day: 1 + i}})
					}
					if err != nil {
						t.Errorf("change %d: %v", i, err)
					}
				}()
			}
			wg.Wait()
			after, err := booking.VerifyAudit(ctx, f.store)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if after != before+n {
				t.Fatalf("%d entries after %d changes, want %d", after, n, before+n)
			}
		})
	}
}
