package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/emersion/go-smtp"
)

// testSMTP is a real SMTP server in the test process that keeps every
// accepted message. While down it answers MAIL FROM with a temporary
// error, like a relay in maintenance.
type testSMTP struct {
	t     *testing.T
	addr  string
	down  atomic.Bool
	delay atomic.Int64 // nanoseconds to wait before accepting DATA

	mu   sync.Mutex
	msgs []*gotMail
}

func startSMTP(t *testing.T) *testSMTP {
	t.Helper()
	ts := &testSMTP{t: t}
	s := smtp.NewServer(ts)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return ts
}

func (ts *testSMTP) url() string { return "smtp://" + ts.addr }

// NewSession implements smtp.Backend.
func (ts *testSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{ts: ts}, nil }

type smtpSession struct {
	ts *testSMTP
	to []string
}

func (s *smtpSession) Reset()        { s.to = nil }
func (s *smtpSession) Logout() error { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error {
	if s.ts.down.Load() {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "service not available"}
	}
	return nil
}
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	time.Sleep(time.Duration(s.ts.delay.Load())) // a slow relay, for the crash test
	m, err := parseMail(raw, s.to)
	if err != nil {
		s.ts.t.Errorf("unparsable mail: %v", err)
		return err
	}
	s.ts.mu.Lock()
	s.ts.msgs = append(s.ts.msgs, m)
	s.ts.mu.Unlock()
	return nil
}

func (ts *testSMTP) all() []*gotMail {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*gotMail(nil), ts.msgs...)
}

// waitFor polls until n mails arrived or the deadline passes.
func (ts *testSMTP) waitFor(n int, within time.Duration) []*gotMail {
	ts.t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := ts.all()
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				ts.t.Fatalf("got %d mails within %s, want %d", len(got), within, n)
			}
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// gotMail is a received message taken apart.
type gotMail struct {
	To        []string
	MessageID string
	Subject   string
	Text      string
	HTML      string
	ICS       string
	ICSType   string
}

func parseMail(raw []byte, to []string) (*gotMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return nil, err
	}
	m := &gotMail{To: to, MessageID: msg.Header.Get("Message-Id"), Subject: subject}
	err = m.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return m, err
}

// walk descends multipart bodies and keeps the text, HTML and calendar parts.
func (m *gotMail) walk(contentType, encoding string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	case "text/calendar":
		m.ICS, m.ICSType = string(b), contentType
	}
	return nil
}

// calendar parses the .ics attachment and returns its method and single event.
func (m *gotMail) calendar(t *testing.T) (string, *ics.VEvent) {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(m.ICS))
	if err != nil {
		t.Fatalf("parse ics: %v\n%s", err, m.ICS)
	}
	method := ""
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("ics has %d events", len(evs))
	}
	return method, evs[0]
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if x := ev.GetProperty(p); x != nil {
		return x.Value
	}
	return ""
}
