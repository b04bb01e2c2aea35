package booking

import (
	"context"
	"fmt"
	"time"
)

// CallEndedByRestart is the detail of the call_ended event that closes a
// call which was running when the server process stopped without a
// shutdown (kill -9, power loss): no call_ended was written then.
const CallEndedByRestart = "ended by server restart"

// OpenCall is a call_started event without a later call_ended.
type OpenCall struct {
	CaseID    int64
	StartedAt time.Time
}

// CallStore finds calls left open on case timelines.
type CallStore interface {
	// OpenCallsBefore lists calls started before t that have no call_ended
	// after their call_started.
	OpenCallsBefore(ctx context.Context, t time.Time) ([]OpenCall, error)
}

// CloseDanglingCalls ends, on the timeline, every call that started before
// this process did and was never ended: the process that ran it is gone,
// because rooms live in the memory of the process that serves them. It
// runs once at start, before this process opens rooms; it returns how many
// calls it closed. With several processes on one database, call it only
// where no other process serves rooms (see docs/operations.md).
func (o *Office) CloseDanglingCalls(ctx context.Context, startedBefore time.Time) (int, error) {
	open, err := o.store.OpenCallsBefore(ctx, startedBefore)
	if err != nil {
		return 0, fmt.Errorf("booking: open calls: %w", err)
	}
	now := o.now()
	for i, c := range open {
		ev := Event{CaseID: c.CaseID, Type: EventCallEnded, At: now, Detail: CallEndedByRestart}
		if err := o.store.AppendEvent(ctx, ev); err != nil {
			return i, fmt.Errorf("booking: close call of case %d: %w", c.CaseID, err)
		}
	}
	return len(open), nil
}
