package booking

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// NewUser is an admin's input for a staff account.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     Role
}

func (n *NewUser) validate() error {
	v := &ValidationError{}
	n.Email = NormalizeEmail(n.Email)
	n.Name = DisplayName(n.Name)
	checkEmail(v, "email", n.Email)
	checkLine(v, "name", n.Name, 1, 200)
	checkPassword(v, n.Password)
	if !n.Role.Valid() {
		v.Add("role", "must be admin or clerk")
	}
	return v.Err()
}

func checkPassword(v *ValidationError, pw string) {
	switch {
	case len([]rune(pw)) < MinPasswordLength:
		v.Add("password", fmt.Sprintf("must have at least %d characters", MinPasswordLength))
	case len(pw) > 1024:
		v.Add("password", "is too long")
	}
}

// CreateUser adds a staff account (admin only). ErrConflict if the e-mail exists.
func (o *Office) CreateUser(ctx context.Context, a Actor, n NewUser) (User, error) {
	if err := requireAdmin(a); err != nil {
		return User{}, err
	}
	u, err := o.newUser(n)
	if err != nil {
		return User{}, err
	}
	err = o.audited(ctx, a, ActionUserCreated, func(tx Store) (string, string, error) {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return "", "", fmt.Errorf("booking: create user: %w", err)
		}
		return userObject(u.ID), string(u.Role), nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// newUser validates n and hashes its password, before any transaction:
// hashing takes long and must not hold the database's write lock.
func (o *Office) newUser(n NewUser) (User, error) {
	if err := n.validate(); err != nil {
		return User{}, err
	}
	hash, err := o.opt.Hasher.Hash(n.Password)
	if err != nil {
		return User{}, fmt.Errorf("booking: hash password: %w", err)
	}
	return User{Email: n.Email, Name: n.Name, Role: n.Role, PasswordHash: hash, Active: true, CreatedAt: o.now()}, nil
}

// EnsureAdmin creates an admin account when none exists yet, for the first
// start of an installation. It reports whether it created one.
func (o *Office) EnsureAdmin(ctx context.Context, email, password, name string) (bool, error) {
	n, err := o.store.CountUsers(ctx, RoleAdmin)
	if err != nil {
		return false, fmt.Errorf("booking: count admins: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	u, err := o.newUser(NewUser{Email: email, Name: name, Password: password, Role: RoleAdmin})
	if err != nil {
		return false, err
	}
	if err := o.store.CreateUser(ctx, &u); err != nil {
		return false, fmt.Errorf("booking: create user: %w", err)
	}
	return true, nil
}

// Users lists staff accounts (admin only).
func (o *Office) Users(ctx context.Context, a Actor) ([]User, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	return o.store.Users(ctx)
}

// UserChange is an admin's edit of a staff account; nil fields stay.
type UserChange struct {
	Name     *string
	Role     *Role
	Active   *bool
	Password *string
}

// UpdateUser edits, deactivates or resets the password of a staff account.
// Deactivating or resetting ends the account's sessions.
func (o *Office) UpdateUser(ctx context.Context, a Actor, id int64, ch UserChange) (User, error) {
	if err := requireAdmin(a); err != nil {
		return User{}, err
	}
	u, err := o.store.User(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("booking: user %d: %w", id, err)
	}
	v := &ValidationError{}
	if ch.Name != nil {
		u.Name = DisplayName(*ch.Name)
		checkLine(v, "name", u.Name, 1, 200)
	}
	if ch.Role != nil {
		if !ch.Role.Valid() {
			v.Add("role", "must be admin or clerk")
		}
		u.Role = *ch.Role
	}
	if ch.Password != nil {
		checkPassword(v, *ch.Password)
	}
	if id == a.UserID && ((ch.Active != nil && !*ch.Active) || (ch.Role != nil && *ch.Role != RoleAdmin)) {
		v.Add("active", "admins cannot deactivate or demote themselves")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	endSessions := false
	if ch.Active != nil {
		endSessions = u.Active && !*ch.Active
		u.Active = *ch.Active
	}
	if ch.Password != nil {
		if u.PasswordHash, err = o.opt.Hasher.Hash(*ch.Password); err != nil {
			return User{}, fmt.Errorf("booking: hash password: %w", err)
		}
		endSessions = true
	}
	err = o.audited(ctx, a, ActionUserUpdated, func(tx Store) (string, string, error) {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return "", "", fmt.Errorf("booking: update user %d: %w", id, err)
		}
		if endSessions {
			if err := tx.DeleteUserSessions(ctx, id); err != nil {
				return "", "", fmt.Errorf("booking: end sessions of %d: %w", id, err)
			}
		}
		return userObject(id), "", nil
	})
	o.cache.invalidateAll() // a deactivated clerk offers no slots
	if err != nil {
		return User{}, err
	}
	if endSessions {
		o.sessionsEnded(id, "")
	}
	return u, nil
}

// Login checks credentials and opens a session. The returned token goes
// into the cookie; only its hash is stored.
func (o *Office) Login(ctx context.Context, email, password string) (User, Session, string, error) {
	u, err := o.store.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, ErrNotFound) {
		// Hash anyway so the answer takes as long as for a known address;
		// a hasher that is too busy to hash refuses either way.
		if _, err := o.opt.Hasher.Verify(o.dummyHash, password); err != nil {
			return User{}, Session{}, "", fmt.Errorf("booking: login: %w", err)
		}
		return User{}, Session{}, "", o.loginFailed(ctx, 0)
	}
	if err != nil {
		return User{}, Session{}, "", fmt.Errorf("booking: login: %w", err)
	}
	ok, err := o.opt.Hasher.Verify(u.PasswordHash, password)
	if err != nil {
		return User{}, Session{}, "", fmt.Errorf("booking: login: %w", err)
	}
	if !ok || !u.Active {
		return User{}, Session{}, "", o.loginFailed(ctx, u.ID)
	}
	token, hash, err := NewToken()
	if err != nil {
		return User{}, Session{}, "", err
	}
	csrf, err := randomString(16)
	if err != nil {
		return User{}, Session{}, "", err
	}
	now := o.now()
	s := Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, ExpiresAt: now.Add(o.opt.SessionTTL)}
	err = o.audited(ctx, Actor{UserID: u.ID, Role: u.Role}, ActionLogin, func(tx Store) (string, string, error) {
		if err := tx.CreateSession(ctx, s); err != nil {
			return "", "", fmt.Errorf("booking: login: %w", err)
		}
		return userObject(u.ID), "", nil
	})
	if err != nil {
		return User{}, Session{}, "", err
	}
	return u, s, token, nil
}

// loginFailed records a failed login (the account's ID when the address
// is known, never the address itself) and answers ErrUnauthenticated.
func (o *Office) loginFailed(ctx context.Context, userID int64) error {
	obj := ""
	if userID != 0 {
		obj = userObject(userID)
	}
	if err := o.Audit(ctx, Actor{}, ActionLoginFailed, obj, ""); err != nil {
		return err
	}
	return ErrUnauthenticated
}

// Authenticate resolves a session cookie to its active user.
func (o *Office) Authenticate(ctx context.Context, token string) (User, Session, error) {
	if !plausibleToken(token) {
		return User{}, Session{}, ErrUnauthenticated
	}
	s, err := o.store.SessionByHash(ctx, HashToken(token), o.now())
	if errors.Is(err, ErrNotFound) {
		return User{}, Session{}, ErrUnauthenticated
	}
	if err != nil {
		return User{}, Session{}, fmt.Errorf("booking: session: %w", err)
	}
	u, err := o.store.User(ctx, s.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Active) {
		return User{}, Session{}, ErrUnauthenticated
	}
	if err != nil {
		return User{}, Session{}, fmt.Errorf("booking: session user: %w", err)
	}
	return u, s, nil
}

// Logout ends a session; unknown tokens are ignored.
func (o *Office) Logout(ctx context.Context, token string) error {
	if !plausibleToken(token) {
		return nil
	}
	s, err := o.store.SessionByHash(ctx, HashToken(token), o.now())
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("booking: logout: %w", err)
	}
	err = o.audited(ctx, Actor{UserID: s.UserID}, ActionLogout, func(tx Store) (string, string, error) {
		return userObject(s.UserID), "", tx.DeleteSession(ctx, s.TokenHash)
	})
	if err != nil {
		return err
	}
	o.sessionsEnded(s.UserID, s.TokenHash)
	return nil
}

func (o *Office) sessionsEnded(userID int64, tokenHash string) {
	if o.opt.SessionsEnded != nil {
		o.opt.SessionsEnded(userID, tokenHash)
	}
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("booking: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
