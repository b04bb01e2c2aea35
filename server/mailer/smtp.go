package mailer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/sprechstunde/sprechstunde/booking"
)

// smtpTimeout bounds one delivery; the mail lease must exceed it.
const smtpTimeout = 30 * time.Second

// SMTPSender delivers outbox mails with go-mail over the configured URL:
// smtp:// without credentials is plain (a local relay), with credentials
// it requires STARTTLS; smtps:// is TLS from the first byte.
type SMTPSender struct {
	host     string
	opts     []gomail.Option
	from     string
	domain   string
	hostname string // for the error log; never the credentials
}

// NewSMTPSender delivers over smtpURL as from; domain is the HELO name and
// the right-hand side of Message-IDs.
func NewSMTPSender(smtpURL, from, domain string) (*SMTPSender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("mailer: smtp_url: %w", err)
	}
	opts := []gomail.Option{gomail.WithTimeout(smtpTimeout), gomail.WithHELO(domain)}
	port := 25
	switch {
	case u.Scheme == "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case u.User != nil:
		port = 587
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mailer: smtp_url port: %w", err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &SMTPSender{host: u.Hostname(), opts: opts, from: from, domain: domain, hostname: u.Hostname()}, nil
}

// Send implements booking.MailSender.
func (s *SMTPSender) Send(ctx context.Context, messageID string, m booking.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mailer: mail from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mailer: mail recipient invalid: %w", booking.ErrMailRejected)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID + "@" + s.domain)
	msg.SetDate()
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	if m.Calendar != "" {
		ct := gomail.ContentType("text/calendar; method=" + m.Method + "; charset=utf-8")
		if err := msg.AttachReader("termin.ics", strings.NewReader(m.Calendar), gomail.WithFileContentType(ct)); err != nil {
			return fmt.Errorf("mailer: attach calendar: %w", err)
		}
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mailer: smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return fmt.Errorf("smtp %s: %w: %w", s.hostname, booking.ErrMailRejected, err)
		}
		return fmt.Errorf("smtp %s: %w", s.hostname, err)
	}
	return nil
}
