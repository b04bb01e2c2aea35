package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sprechstunde/sprechstunde/booking"
)

// secretKeyFileName is the generated key's file in the data directory.
const secretKeyFileName = "secret.key"

// secretKey returns the key that seals join tokens and queued mails.
// Without secret_key it is generated once into a file (mode 0600) in the
// data directory, never into the database: a copy of the database alone
// must not open what the key seals. A key an earlier version kept in the
// database moves to the file. The database records only a fingerprint, so
// a process with a missing or different key file refuses to start instead
// of sealing with a key the others cannot open.
func (a *App) secretKey(ctx context.Context) ([]byte, error) {
	if a.cfg.SecretKey != "" {
		// A key generated into the database before secret_key was set
		// opens nothing the server still needs, only what a copy could.
		if _, ok, err := a.store.LegacySecretKey(ctx); err != nil || !ok {
			return a.cfg.secretKeyBytes(), err
		}
		a.log.Info("secret_key is set: deleting the unused generated key from the database")
		return a.cfg.secretKeyBytes(), a.store.DropLegacySecretKey(ctx)
	}
	path := a.cfg.SecretKeyPath()
	key, err := readKeyFile(path)
	created := false
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR): // none yet, or no place for one
		if key, created, err = a.newKeyFile(ctx, path); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("server: secret_key is not set and the key file cannot be read: %w", err)
	}
	if err := a.dropLegacyKey(ctx, key, path); err != nil {
		return nil, err
	}
	check := keyCheck(key)
	stored, err := a.store.KeyCheck(ctx, check)
	if err != nil {
		return nil, fmt.Errorf("server: secret key: %w", err)
	}
	if stored != check {
		if created {
			_ = os.Remove(path) // lost a race with another server's first start
		}
		return nil, fmt.Errorf("server: the secret key in %s is not the one this database was set up with: "+
			"copy the key file of the server that first used the database, or set secret_key", path)
	}
	return key, nil
}

// newKeyFile takes over a key an earlier version kept in the database, or
// generates one, and writes it to path. created is false when another
// process wrote the file first.
func (a *App) newKeyFile(ctx context.Context, path string) (key []byte, created bool, err error) {
	legacy, ok, err := a.store.LegacySecretKey(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("server: secret key: %w", err)
	}
	if ok {
		key = legacy
	} else {
		has, err := a.store.HasKeyCheck(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("server: secret key: %w", err)
		}
		if has && !a.cfg.Demo {
			return nil, false, fmt.Errorf("server: %s is missing, but this database was set up with a generated secret key: "+
				"restore the file (from the server that first used the database or a backup), or set secret_key", path)
		}
		key = make([]byte, booking.SecretKeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, false, fmt.Errorf("server: secret key: %w", err)
		}
		if has { // demo only: start over with the new key
			if err := a.store.ResetKeyCheck(ctx, keyCheck(key)); err != nil {
				return nil, false, fmt.Errorf("server: secret key: %w", err)
			}
		}
	}
	won, err := writeKeyFile(path, key)
	if err != nil && a.cfg.Demo && !ok {
		// A demo may run on a read-only disk: its links then last one run.
		a.log.Warn("secret_key not set and no key file could be written: using a key for this run only", "err", err)
		return key, false, a.store.ResetKeyCheck(ctx, keyCheck(key))
	}
	if err != nil {
		return nil, false, fmt.Errorf("server: secret_key is not set and %w; set secret_key or make the data directory writable", err)
	}
	if !won {
		key, err = readKeyFile(path)
		return key, false, err
	}
	if ok {
		a.log.Info("secret key moved out of the database into its own file", "path", path)
	} else {
		a.log.Warn("secret_key not set: generated a secret key; back it up apart from the database, "+
			"or set secret_key from a secret store", "path", path)
	}
	return key, true, nil
}

// dropLegacyKey deletes a key an earlier version kept in the database once
// the file holds it (also after a crash between writing the file and
// deleting the row).
func (a *App) dropLegacyKey(ctx context.Context, key []byte, path string) error {
	legacy, ok, err := a.store.LegacySecretKey(ctx)
	if err != nil || !ok {
		return err
	}
	if !bytes.Equal(legacy, key) {
		return fmt.Errorf("server: the database holds a secret key different from %s; remove one of them knowingly", path)
	}
	if err := a.store.DropLegacySecretKey(ctx); err != nil {
		return fmt.Errorf("server: secret key: %w", err)
	}
	return nil
}

// keyCheck is the fingerprint the database keeps: it identifies the key
// without revealing it.
func keyCheck(key []byte) string {
	sum := sha256.Sum256(append([]byte("sprechstunde secret key check\n"), key...))
	return hex.EncodeToString(sum[:])
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err // fs.ErrNotExist tells the caller to create it
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("server: %s is readable by other users (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != booking.SecretKeySize {
		return nil, fmt.Errorf("server: %s does not hold a secret key (%d random bytes, base64)", path, booking.SecretKeySize)
	}
	return key, nil
}

// writeKeyFile creates path with mode 0600 holding key, atomically: the key
// is written and synced under a temporary name, then linked into place,
// which fails if the file exists (won is false then).
func writeKeyFile(path string, key []byte) (won bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("cannot create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".secret-*.tmp") // CreateTemp uses mode 0600
	if err != nil {
		return false, fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("cannot write %s: %w", tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("cannot create %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable
		_ = d.Sync()
		_ = d.Close()
	}
	return true, nil
}
