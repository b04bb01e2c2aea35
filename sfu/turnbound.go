package sfu

import (
	"net"
	"strconv"
	"time"
)

// iceServerUntil returns TURN credentials for one participant that expire
// after the configured TTL or at notAfter (the room's end), whichever
// comes first: a credential must not outlive the appointment.
func (t *turnServer) iceServerUntil(participantID string, now, notAfter time.Time) ICEServer {
	exp := now.Add(t.cfg.CredentialTTL)
	if notAfter.Before(exp) {
		exp = notAfter
	}
	user, pass := turnCredentials(t.cfg.Secret, participantID, exp)
	return ICEServer{
		URLs:     []string{"turn:" + net.JoinHostPort(t.cfg.PublicIP, strconv.Itoa(t.port)) + "?transport=udp"},
		Username: user, Credential: pass,
	}
}
