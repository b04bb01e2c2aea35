package altcha

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// maxPayload bounds what Verify decodes; a real solution has about 300
// characters.
const maxPayload = 2048

// solution is the client's answer: the challenge fields echoed back with
// the number found. Took (milliseconds) is informational and unchecked.
type solution struct {
	Algorithm string  `json:"algorithm"`
	Challenge string  `json:"challenge"`
	Number    *int64  `json:"number"`
	Salt      string  `json:"salt"`
	Signature string  `json:"signature"`
	Took      float64 `json:"took"`
}

// decodeSolution reads base64(JSON), as ALTCHA widgets submit it.
func decodeSolution(payload string) (solution, error) {
	var s solution
	if payload == "" {
		return s, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if len(payload) > maxPayload {
		return s, fmt.Errorf("%w: longer than %d characters", ErrMalformed, maxPayload)
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return s, fmt.Errorf("%w: not base64: %w", ErrMalformed, err)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("%w: not a JSON object: %w", ErrMalformed, err)
	}
	switch {
	case s.Number == nil || *s.Number < 0:
		return s, fmt.Errorf("%w: number missing or negative", ErrMalformed)
	case s.Challenge == "" || s.Salt == "" || s.Signature == "":
		return s, fmt.Errorf("%w: challenge, salt and signature are required", ErrMalformed)
	}
	return s, nil
}
