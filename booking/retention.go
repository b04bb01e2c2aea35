package booking

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Retention periods per data class (DSGVO Art. 5(1)(e), 17; Anlage 31b).
type Retention struct {
	CitizenData  time.Duration // name, e-mail, topic, session metadata after the appointment
	CaseNotes    time.Duration // case with notes and timeline after the appointment, then offered to the archive
	ArchiveGrace time.Duration // after the offer: deleted unless an admin marked it archived
	MailLog      time.Duration // delivered or failed outbox rows (bodies are blanked on delivery)
}

// DefaultRetention gives the periods used for every one left zero.
func DefaultRetention() Retention {
	return Retention{
		CitizenData:  90 * 24 * time.Hour,
		CaseNotes:    730 * 24 * time.Hour,
		ArchiveGrace: 90 * 24 * time.Hour,
		MailLog:      30 * 24 * time.Hour,
	}
}

func (r Retention) withDefaults() Retention {
	d := DefaultRetention()
	if r.CitizenData > 0 {
		d.CitizenData = r.CitizenData
	}
	if r.CaseNotes > 0 {
		d.CaseNotes = r.CaseNotes
	}
	if r.ArchiveGrace > 0 {
		d.ArchiveGrace = r.ArchiveGrace
	}
	if r.MailLog > 0 {
		d.MailLog = r.MailLog
	}
	return d
}

// Data classes as named in the audit log.
const (
	ClassCitizenData   = "citizen_data"
	ClassArchiveOffer  = "archive_offer"
	ClassCase          = "case"
	ClassMailLog       = "mail_log"
	ClassStaffSessions = "staff_sessions"
)

// ApplyRetention deletes or anonymises what is due at now and records in
// the audit log what class and how many, never what.
func (o *Office) ApplyRetention(ctx context.Context, now time.Time) (map[string]int, error) {
	r := o.opt.Retention
	steps := []struct {
		class string
		run   func(tx Store) (int, error)
	}{
		{ClassCitizenData, func(tx Store) (int, error) { return tx.AnonymiseCitizenData(ctx, now.Add(-r.CitizenData)) }},
		{ClassArchiveOffer, func(tx Store) (int, error) { return tx.OfferForArchive(ctx, now.Add(-r.CaseNotes), now) }},
		{ClassCase, func(tx Store) (int, error) { return tx.DeleteUnarchivedCases(ctx, now.Add(-r.ArchiveGrace)) }},
		{ClassMailLog, func(tx Store) (int, error) { return tx.DeleteDeliveredMail(ctx, now.Add(-r.MailLog)) }},
	}
	done := map[string]int{}
	for _, s := range steps {
		// Each step is deleted together with its audit entry.
		err := o.store.InTx(ctx, func(tx Store) error {
			n, err := s.run(tx)
			if err != nil {
				return fmt.Errorf("booking: retention %s: %w", s.class, err)
			}
			done[s.class] = n
			if n == 0 {
				return nil
			}
			return appendAudit(ctx, tx, AuditEntry{At: now, Action: ActionRetention, Object: "class:" + s.class, Detail: "count=" + strconv.Itoa(n)})
		})
		if err != nil {
			delete(done, s.class)
			return done, err
		}
	}
	return done, nil
}

// ArchiveOffer is a case due for the archive: IDs and dates only.
type ArchiveOffer struct {
	CaseID    int64
	Number    string
	OfferedAt time.Time
}

// ArchiveOffers lists cases offered to the archive (admin only).
func (o *Office) ArchiveOffers(ctx context.Context, a Actor) ([]ArchiveOffer, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	return o.store.ArchiveOffers(ctx)
}

// MarkArchived records that the archive took a case over, which exempts
// it from deletion (admin only).
func (o *Office) MarkArchived(ctx context.Context, a Actor, number string) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	c, err := o.store.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("booking: archive %q: %w", number, err)
	}
	return o.audited(ctx, a, ActionCaseArchived, func(tx Store) (string, string, error) {
		if err := tx.MarkCaseArchived(ctx, c.ID, o.now()); err != nil {
			return "", "", fmt.Errorf("booking: archive %s: %w", c.Number, err)
		}
		return caseObject(c.ID), "", nil
	})
}
