// Package mailer renders booking mails (plain text, HTML and an iCalendar
// invitation, in the booking's language) and delivers them over SMTP.
package mailer

import (
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sprechstunde/sprechstunde/booking"
	"github.com/sprechstunde/sprechstunde/server/ical"
)

// Renderer implements booking.MailRenderer with a plain-text and an
// HTML part (html/template escapes every value) and, where the calendar
// changes, an iCalendar attachment.
type Renderer struct {
	publicURL string
	from      string
	domain    string // right-hand side of UIDs and Message-IDs
	loc       *time.Location
	now       func() time.Time
	office    []string // signature lines: the office's name and address
	text      *texttemplate.Template
	html      *htmltemplate.Template
}

// Options is what rendering needs from the configuration.
type Options struct {
	PublicURL string         // links point here; its host names UIDs and Message-IDs
	From      string         // organizer of invitations
	Location  *time.Location // the office's time zone
	Now       func() time.Time
	// OfficeName and OfficeAddress (lines separated by newlines) sign
	// every mail under its footer; empty ones are left out.
	OfficeName, OfficeAddress string
}

// NewRenderer returns a renderer for o.
func NewRenderer(o Options) *Renderer {
	return &Renderer{
		publicURL: o.PublicURL, from: o.From, domain: Domain(o.PublicURL), loc: o.Location, now: o.Now,
		office: officeLines(o.OfficeName, o.OfficeAddress),
		text:   texttemplate.Must(texttemplate.New("text").Parse(textMailTemplate)),
		html:   htmltemplate.Must(htmltemplate.New("html").Parse(htmlMailTemplate)),
	}
}

// Domain is the host of the public URL, used in UIDs and Message-IDs.
func Domain(publicURL string) string {
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

type mailLine struct{ Label, Value string }

type mailView struct {
	Lang, Subject, Heading string
	Dir, Start, End        string // writing direction; where a line starts and ends
	Lines                  []mailLine
	JoinLabel, JoinURL     string
	ManageLabel, ManageURL string
	Footer                 string
	Office                 []string
}

// officeLines are the non-blank lines of the office's name and address.
func officeLines(name, address string) []string {
	var out []string
	for _, l := range strings.Split(name+"\n"+address, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

const textMailTemplate = `{{.Heading}}

{{range .Lines}}{{.Label}}: {{.Value}}
{{end}}{{if .JoinURL}}
{{.JoinLabel}}:
{{.JoinURL}}
{{end}}{{if .ManageURL}}
{{.ManageLabel}}:
{{.ManageURL}}
{{end}}
--
{{.Footer}}
{{range .Office}}{{.}}
{{end}}`

const htmlMailTemplate = `<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;line-height:1.5">
<p>{{.Heading}}</p>
<table>{{range .Lines}}<tr><th style="text-align:{{$.Start}};padding-{{$.End}}:1em">{{.Label}}</th><td>{{.Value}}</td></tr>{{end}}</table>
{{if .JoinURL}}<p><a href="{{.JoinURL}}">{{.JoinLabel}}</a></p>{{end}}
{{if .ManageURL}}<p><a href="{{.ManageURL}}">{{.ManageLabel}}</a></p>{{end}}
<p style="color:#555;font-size:small">{{.Footer}}</p>
{{if .Office}}<p style="color:#555;font-size:small">{{range $i, $l := .Office}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>{{end}}
</body></html>
`

// Render implements booking.MailRenderer.
func (r *Renderer) Render(d booking.MailData) (booking.Mail, error) {
	t, lang := textsFor(d.Language)
	ap := d.Appointment
	start, end := ap.Start.In(r.loc), ap.End.In(r.loc)
	// The subject becomes a mail header: it must stay on one line.
	v := mailView{Lang: lang, Subject: ical.SafeLine(fmt.Sprintf(t.subject[d.Kind], ap.CaseNumber)), Heading: t.heading[d.Kind], Footer: t.footer,
		Office: r.office, Dir: "ltr", Start: "left", End: "right"}
	if lang == "ar" {
		v.Dir, v.Start, v.End = "rtl", "right", "left"
	}
	if d.Kind == booking.MailReminder {
		v.Heading = fmt.Sprintf(t.reminder, t.hoursFmt(d.Before))
	}
	v.Lines = []mailLine{{t.when, t.span(start, end)}}
	if d.ServiceName != "" {
		v.Lines = append(v.Lines, mailLine{t.service, ical.SafeLine(d.ServiceName)})
	}
	v.Lines = append(v.Lines, mailLine{t.caseNo, ap.CaseNumber})
	cancelled := d.Kind == booking.MailCancellation || d.Kind == booking.MailClerkCancelled
	if d.JoinToken != "" && !cancelled {
		v.JoinLabel, v.JoinURL = fmt.Sprintf(t.join, t.duration(d.JoinEarly)), JoinURL(r.publicURL, d.JoinToken, lang)
	}
	if d.ManageToken != "" && !cancelled {
		v.ManageLabel, v.ManageURL = t.manage, ManageURL(r.publicURL, d.ManageToken, lang)
	}
	var text, html strings.Builder
	if err := r.text.Execute(&text, v); err != nil {
		return booking.Mail{}, fmt.Errorf("mailer: text mail: %w", err)
	}
	if err := r.html.Execute(&html, v); err != nil {
		return booking.Mail{}, fmt.Errorf("mailer: html mail: %w", err)
	}
	m := booking.Mail{To: d.To, Subject: v.Subject, Text: text.String(), HTML: html.String()}
	switch d.Kind {
	case booking.MailConfirmation, booking.MailRebooking:
		m.Method, m.Calendar = string(ics.MethodRequest), r.invitation(ics.MethodRequest, d, v.Subject, v.JoinLabel, v.JoinURL, ap.Sequence)
	case booking.MailCancellation:
		// A cancellation must carry a sequence above the last request.
		m.Method, m.Calendar = string(ics.MethodCancel), r.invitation(ics.MethodCancel, d, v.Subject, "", "", ap.Sequence+1)
	}
	return m, nil
}

// invitation describes the event with the join line of the mail, so the
// calendar entry speaks the booking's language too.
func (r *Renderer) invitation(method ics.Method, d booking.MailData, summary, joinLabel, joinURL string, seq int) string {
	var alarm time.Duration // an invitation reminds when the join link opens
	if method == ics.MethodRequest {
		alarm = d.JoinEarly
	}
	description := joinURL
	if joinURL != "" {
		description = joinLabel + ":\n" + joinURL
	}
	ap := d.Appointment
	cal := ical.NewCalendar(method, r.loc, ical.AppointmentYears(ap, r.loc)...)
	title := d.ServiceName
	if title == "" {
		title = summary
	}
	ical.AddEvent(cal, r.loc, ical.Event{
		UID: ical.CaseUID(ap.CaseNumber, r.domain), Sequence: seq, Start: ap.Start, End: ap.End,
		Summary: title + " (" + ap.CaseNumber + ")", Description: description, URL: joinURL,
		Cancelled: method == ics.MethodCancel, Alarm: alarm,
		Organizer: r.from, Attendee: d.To,
	}, r.now())
	return cal.Serialize()
}
