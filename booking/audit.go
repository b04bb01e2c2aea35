package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Audit actions. Entries hold IDs and these names only, never personal
// data, so the log may be kept for as long as accountability requires.
const (
	ActionLogin           = "login"
	ActionLoginFailed     = "login_failed"
	ActionLogout          = "logout"
	ActionAdmit           = "admit"
	ActionNoteAdded       = "note_added"
	ActionCaseStatus      = "case_status"
	ActionRebooked        = "rebooked"
	ActionServiceCreated  = "service_created"
	ActionServiceUpdated  = "service_updated"
	ActionHoursAdded      = "hours_added"
	ActionHoursDeleted    = "hours_deleted"
	ActionClosureAdded    = "closure_added"
	ActionClosureDeleted  = "closure_deleted"
	ActionUserCreated     = "user_created"
	ActionUserUpdated     = "user_updated"
	ActionCaseArchived    = "case_archived"
	ActionRetention       = "retention_deleted"
	ActionCalendarFeed    = "calendar_feed_rotated"
	ActionCalendarFeedOff = "calendar_feed_revoked"
	ActionMailRetried     = "mail_retried"
	ActionHoursUpdated    = "hours_updated"
	ActionServiceDeleted  = "service_deleted"
)

// ActionLoginRateLimited counts the refused (429) login attempts of one
// source in one minute: Object "source:<address>", Detail the count.
const ActionLoginRateLimited = "login_rate_limited"

// AuditEntry is one link of the hash chain: Hash covers the previous
// entry's hash and this entry's canonical content, so changing, removing
// or reordering any entry breaks every later hash.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	ActorID  int64  // staff member; 0 for the system (jobs)
	Action   string // one of the Action constants
	Object   string // e.g. "case:42", "user:7", "class:citizen_data"
	Detail   string // IDs, counts or status names only
	PrevHash string
	Hash     string
}

// canonical is the hashed form: one field per line, in a fixed order,
// newlines in values escaped so no two entries share a form.
func (e AuditEntry) canonical() string {
	esc := strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	return strings.Join([]string{
		strconv.FormatInt(e.Seq, 10),
		strconv.FormatInt(e.At.Unix(), 10),
		strconv.FormatInt(e.ActorID, 10),
		esc.Replace(e.Action),
		esc.Replace(e.Object),
		esc.Replace(e.Detail),
	}, "\n")
}

// ChainHash is the hash of e following an entry whose hash is prev.
func ChainHash(prev string, e AuditEntry) string {
	sum := sha256.Sum256([]byte(prev + "\n" + e.canonical()))
	return hex.EncodeToString(sum[:])
}

// Audit appends an entry for a staff action that changes nothing stored
// (a failed login, an admission to a video room). Changes are audited with
// audited, in their own transaction.
func (o *Office) Audit(ctx context.Context, a Actor, action, object, detail string) error {
	return appendAudit(ctx, o.store, AuditEntry{At: o.now(), ActorID: a.UserID, Action: action, Object: object, Detail: detail})
}

// audited runs change and appends the audit entry for it in the same
// transaction, so no crash or failure can leave a change without its entry
// or an entry for a change that was rolled back. change returns the
// entry's object and detail (IDs are known only after an insert). The
// chain stays linear: appends are serialised inside the transaction (see
// AuditStore).
func (o *Office) audited(ctx context.Context, a Actor, action string, change func(tx Store) (object, detail string, err error)) error {
	return o.store.InTx(ctx, func(tx Store) error {
		object, detail, err := change(tx)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, AuditEntry{At: o.now(), ActorID: a.UserID, Action: action, Object: object, Detail: detail})
	})
}

func appendAudit(ctx context.Context, s AuditStore, e AuditEntry) error {
	if err := s.AppendAudit(ctx, &e); err != nil {
		return fmt.Errorf("booking: audit %s: %w", e.Action, err)
	}
	return nil
}

func caseObject(id int64) string { return "case:" + strconv.FormatInt(id, 10) }
func userObject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }
func idObject(kind string, id int64) string {
	return kind + ":" + strconv.FormatInt(id, 10)
}

// AuditBreak names the first entry whose chain does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", b.Seq, b.Reason)
}

// VerifyAudit walks the whole chain from the first entry and returns the
// number of entries checked, or an *AuditBreak at the first broken one.
func VerifyAudit(ctx context.Context, s AuditStore) (int64, error) {
	const page = 1000
	var n, last int64
	prev := ""
	for {
		list, err := s.AuditEntries(ctx, last, page)
		if err != nil {
			return n, fmt.Errorf("booking: read audit log: %w", err)
		}
		for _, e := range list {
			switch {
			case e.Seq != last+1:
				return n, &AuditBreak{Seq: last + 1, Reason: fmt.Sprintf("entry missing (next stored is %d)", e.Seq)}
			case e.PrevHash != prev:
				return n, &AuditBreak{Seq: e.Seq, Reason: "previous hash does not match"}
			case ChainHash(prev, e) != e.Hash:
				return n, &AuditBreak{Seq: e.Seq, Reason: "content does not match its hash"}
			}
			prev, last = e.Hash, e.Seq
			n++
		}
		if len(list) < page {
			return n, nil
		}
	}
}

// AuditLog pages through the log, newest first (admin only).
func (o *Office) AuditLog(ctx context.Context, a Actor, before int64, limit int) ([]AuditEntry, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return o.store.AuditPage(ctx, before, limit)
}
