package booking

import (
	"net/mail"
	"strings"
	"time"
)

// Role of a staff member.
type Role string

const (
	RoleAdmin Role = "admin"
	RoleClerk Role = "clerk"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleClerk }

// User is a staff member: an admin or a clerk.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string
	Active       bool
	CreatedAt    time.Time
}

// Session is a staff login kept on the server; the cookie holds the token
// whose hash is TokenHash.
type Session struct {
	TokenHash string
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// PasswordHasher hashes and checks staff passwords (argon2id in production).
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// MinPasswordLength follows NIST SP 800-63B for memorised secrets chosen by users.
const MinPasswordLength = 12

// NormalizeEmail lower-cases and trims an address so limits and logins
// cannot be sidestepped by case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkEmail validates a single plain address (no display name).
func checkEmail(v *ValidationError, field, s string) {
	if s == "" {
		v.Add(field, "is required")
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		v.Add(field, "must be a valid e-mail address")
	}
}
