package password

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashPasswordFormat(t *testing.T) {
	h, err := Hash("Sprechstunde-2024!")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Errorf("hash %q does not match %s", h, re)
	}
	h2, err := Hash("Sprechstunde-2024!")
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Error("two hashes of the same password are equal: salt not random")
	}
	if NeedsRehash(h) {
		t.Error("fresh hash reported as needing rehash")
	}
	if _, err := Hash(""); err == nil {
		t.Error("empty password hashed without error")
	}
}

func TestVerifyPassword(t *testing.T) {
	const pw = "Bürgeramt Köln 🗝"
	h, err := Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	// A hash with other (cheaper) parameters must verify by the parameters
	// it carries, as it would after the defaults are raised.
	salt := []byte("0123456789abcdef")
	old := "$argon2id$v=19$m=8192,t=1,p=2$" + base64.RawStdEncoding.EncodeToString(salt) + "$" +
		base64.RawStdEncoding.EncodeToString(argon2.IDKey([]byte("alt-passwort"), salt, 1, 8192, 2, 24))

	tests := []struct {
		name    string
		encoded string
		pw      string
		want    bool
	}{
		{"correct", h, pw, true},
		{"wrong", h, pw + "x", false},
		{"empty", h, "", false},
		{"case", h, strings.ToUpper(pw), false},
		{"other params", old, "alt-passwort", true},
		{"other params wrong", old, "alt-passwort!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(tt.encoded, tt.pw)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.want {
				t.Errorf("Verify = %v, want %v", ok, tt.want)
			}
		})
	}
	if !NeedsRehash(old) {
		t.Error("weaker hash not reported as needing rehash")
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	salt := base64.RawStdEncoding.EncodeToString([]byte("0123456789abcdef"))
	key := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	valid := "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key
	if _, err := Verify(valid, "x"); err != nil {
		t.Fatalf("baseline hash rejected: %v", err)
	}

	tests := map[string]string{
		"empty":            "",
		"plaintext":        "geheim",
		"bcrypt":           "$2a$10$abcdefghijklmnopqrstuuJ0l5oKq7sR9n5E2dI3yYQq4bV9qj1eW",
		"argon2i":          "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"old version":      "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"missing version":  "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key,
		"extra field":      valid + "$x",
		"no leading $":     strings.TrimPrefix(valid, "$"),
		"params order":     "$argon2id$v=19$t=2,m=19456,p=1$" + salt + "$" + key,
		"params missing":   "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key,
		"param not number": "$argon2id$v=19$m=lots,t=2,p=1$" + salt + "$" + key,
		"zero iterations":  "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"negative memory":  "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key,
		"huge memory":      "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key,
		"huge iterations":  "$argon2id$v=19$m=19456,t=100000,p=1$" + salt + "$" + key,
		"too many threads": "$argon2id$v=19$m=19456,t=2,p=256$" + salt + "$" + key,
		"memory < 8p":      "$argon2id$v=19$m=8,t=2,p=4$" + salt + "$" + key,
		"padded salt":      "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key,
		"bad salt b64":     "$argon2id$v=19$m=19456,t=2,p=1$!!!!$" + key,
		"short salt":       "$argon2id$v=19$m=19456,t=2,p=1$YWJj$" + key,
		"empty key":        "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$",
		"short key":        "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$YWJjZA",
		"bad key b64":      "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key[:len(key)-1] + "*",
	}
	for name, encoded := range tests {
		t.Run(name, func(t *testing.T) {
			ok, err := Verify(encoded, "x")
			if err == nil || ok {
				t.Fatalf("Verify(%q) = %v, %v; want error", encoded, ok, err)
			}
			if !errors.Is(err, ErrMalformedHash) {
				t.Errorf("error %v does not wrap ErrMalformedHash", err)
			}
			if !NeedsRehash(encoded) {
				t.Error("malformed hash must need a rehash")
			}
		})
	}
}
