// Package password hashes staff passwords with argon2id and bounds how
// many hashes run at once (Gate), since each holds MemoryKiB.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters for new hashes (OWASP minimum: 19 MiB, t=2, p=1);
// MemoryKiB is what one running hash holds.
// Verification reads the parameters from each stored hash, so these can be
// raised later without invalidating existing passwords.
const (
	MemoryKiB       = 19 * 1024
	argonIterations = 2
	argonThreads    = 1
	argonSaltLen    = 16
	argonKeyLen     = 32
)

// Bounds for parameters read from stored hashes; they keep a corrupted or
// planted hash from making one login allocate gigabytes or spin for minutes.
const (
	maxArgonMemoryKiB  = 1 << 20 // 1 GiB
	maxArgonIterations = 64
	minArgonSaltLen    = 8
	minArgonKeyLen     = 16
	maxArgonKeyLen     = 128
)

// ErrMalformedHash is wrapped by every parse failure of a stored hash.
var ErrMalformedHash = errors.New("malformed password hash")

// Hash hashes pw with argon2id and a random salt and returns the
// PHC string $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded base64).
func Hash(pw string) (string, error) {
	if pw == "" {
		return "", errors.New("password: hash: empty password")
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: hash: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonIterations, MemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, MemoryKiB, argonIterations, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash. A wrong
// password is (false, nil); an unparsable hash is an error.
func Verify(encoded, pw string) (bool, error) {
	h, err := parseArgon2id(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.iterations, h.memoryKiB, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// NeedsRehash reports whether encoded was made with weaker
// parameters than Hash uses now, so a login can upgrade it.
func NeedsRehash(encoded string) bool {
	h, err := parseArgon2id(encoded)
	if err != nil {
		return true
	}
	return h.memoryKiB < MemoryKiB || h.iterations < argonIterations ||
		len(h.salt) < argonSaltLen || len(h.key) < argonKeyLen
}

type argon2idHash struct {
	memoryKiB, iterations uint32
	threads               uint8
	salt, key             []byte
}

func parseArgon2id(encoded string) (argon2idHash, error) {
	var h argon2idHash
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" {
		return h, fmt.Errorf("%w: want 5 $-separated fields", ErrMalformedHash)
	}
	if parts[1] != "argon2id" {
		return h, fmt.Errorf("%w: unsupported algorithm %q", ErrMalformedHash, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, parts[2])
	}

	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return h, fmt.Errorf("%w: want parameters m=,t=,p=", ErrMalformedHash)
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok {
			return h, fmt.Errorf("%w: parameter %d is not %s=", ErrMalformedHash, i+1, name)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			return h, fmt.Errorf("%w: invalid %s=%q", ErrMalformedHash, name, v)
		}
		vals[i] = n
	}
	if vals[0] > maxArgonMemoryKiB || vals[1] > maxArgonIterations || vals[2] > 255 {
		return h, fmt.Errorf("%w: parameters %s out of range", ErrMalformedHash, parts[3])
	}
	h.memoryKiB, h.iterations, h.threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	if h.memoryKiB < 8*uint32(h.threads) { // argon2 requires m >= 8*p
		return h, fmt.Errorf("%w: memory below 8 KiB per thread", ErrMalformedHash)
	}

	var err error
	if h.salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4]); err != nil || len(h.salt) < minArgonSaltLen {
		return h, fmt.Errorf("%w: invalid salt", ErrMalformedHash)
	}
	if h.key, err = base64.RawStdEncoding.Strict().DecodeString(parts[5]); err != nil ||
		len(h.key) < minArgonKeyLen || len(h.key) > maxArgonKeyLen {
		return h, fmt.Errorf("%w: invalid hash", ErrMalformedHash)
	}
	return h, nil
}
