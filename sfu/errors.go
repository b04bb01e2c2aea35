package sfu

import "errors"

// Sentinel errors. Wrapped errors from this package match them with errors.Is.
var (
	ErrInvalidConfig  = errors.New("sfu: invalid config")
	ErrClosed         = errors.New("sfu: closed")
	ErrUnauthorized   = errors.New("sfu: unauthorized")
	ErrTooEarly       = errors.New("sfu: appointment has not started")
	ErrExpired        = errors.New("sfu: appointment is over")
	ErrRateLimited    = errors.New("sfu: rate limited")
	ErrNotAdmitted    = errors.New("sfu: not admitted")
	ErrForbidden      = errors.New("sfu: not allowed for this role")
	ErrNoSuchPeer     = errors.New("sfu: no such participant")
	ErrSlowConsumer   = errors.New("sfu: client does not read fast enough")
	ErrPeerNotAllowed = errors.New("sfu: relay to this peer address is not allowed")
)
