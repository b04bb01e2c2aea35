package booking

import "fmt"

// mayHandle lets the responsible clerk or an admin at a case or an
// appointment. Anyone else hears ErrNotFound, exactly as for a number or
// ID that does not exist: a distinct "forbidden" would let clerks probe
// which case numbers are in use.
func mayHandle(a Actor, clerkID int64, object string) error {
	if a.isAdmin() || clerkID == a.UserID {
		return nil
	}
	return fmt.Errorf("booking: %s: %w", object, ErrNotFound)
}
