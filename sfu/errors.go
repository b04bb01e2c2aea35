package sfu

import "errors"

// ErrInvalidConfig is wrapped by New and Config.Validate; match it with
// errors.Is.
var ErrInvalidConfig = errors.New("sfu: invalid config")

// Errors of a participant's requests. They never leave the package: the
// session answers them with an error code of the signaling protocol
// (requestError, joinErrorCode).
var (
	errClosed       = errors.New("sfu: closed")
	errUnauthorized = errors.New("sfu: unauthorized")
	errTooEarly     = errors.New("sfu: appointment has not started")
	errExpired      = errors.New("sfu: appointment is over")
	errNotAdmitted  = errors.New("sfu: not admitted")
	errForbidden    = errors.New("sfu: not allowed for this role")
	errNoSuchPeer   = errors.New("sfu: no such participant")
	errSlowConsumer = errors.New("sfu: client does not read fast enough")
)
