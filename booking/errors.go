package booking

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors; package server maps them to HTTP status codes in one place.
var (
	ErrNotFound        = errors.New("not found")
	ErrSlotTaken       = errors.New("no clerk is free at that time")
	ErrTooManyBookings = errors.New("too many open bookings for this e-mail address")
	ErrConflict        = errors.New("conflict with stored data")
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrExpired         = errors.New("expired")
	ErrTooLate         = errors.New("too late to change this appointment")
	// ErrServiceInUse refuses to delete a service that appointments refer to
	// (their cases and history need it); unpublishing hides it instead.
	ErrServiceInUse = errors.New("service has appointments")
)

// ValidationError names every invalid input field with a human-readable reason.
type ValidationError struct {
	Fields map[string]string
}

// Add records a problem with field; the first reason per field wins.
func (e *ValidationError) Add(field, reason string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = reason
	}
}

// Err returns e when it holds a problem, else nil, so callers can write
// `return v.Err()` after collecting.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// invalid is a shorthand for a single-field validation error.
func invalid(field, reason string) error {
	v := &ValidationError{}
	v.Add(field, reason)
	return v
}
