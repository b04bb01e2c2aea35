// Package booking is the domain of Sprechstunde: services (slot types), opening
// hours and closures, free slots, appointments, cases (Vorgang) with notes and
// a timeline, join and manage tokens, and staff.
//
// It holds the business rules and use cases and depends on the standard
// library only. Persistence is behind the Store interface (store.go), which
// booking/gormstore implements; HTTP lives in package server.
package booking
