package signaling

// Role is what a participant is in a room.
type Role string

// Roles a participant can have. Only clerks are admitted without waiting.
const (
	RoleClerk   Role = "clerk"
	RoleCitizen Role = "citizen"
	RoleGuest   Role = "guest"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r == RoleClerk || r == RoleCitizen || r == RoleGuest
}
