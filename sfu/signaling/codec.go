package signaling

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Decode's errors; wrapped errors match them with errors.Is.
var (
	ErrMalformed   = errors.New("signaling: malformed message")
	ErrUnknownType = errors.New("signaling: unknown message type")
)

// newMessage returns a pointer to an empty message of type t, or nil.
func newMessage(t string) Message {
	switch t {
	case TypeJoin:
		return &Join{}
	case TypeJoined:
		return &Joined{}
	case TypeOffer:
		return &Offer{}
	case TypeAnswer:
		return &Answer{}
	case TypeCandidate:
		return &Candidate{}
	case TypeWaitingList:
		return &WaitingList{}
	case TypeAdmit:
		return &Admit{}
	case TypeAdmitted:
		return &Admitted{}
	case TypeRemove:
		return &Remove{}
	case TypeRemoved:
		return &Removed{}
	case TypeParticipants:
		return &Participants{}
	case TypeChat:
		return &Chat{}
	case TypeMute:
		return &Mute{}
	case TypeICEServers:
		return &ICEServers{}
	case TypeLeave:
		return &Leave{}
	case TypeCloseRoom:
		return &CloseRoom{}
	case TypeRoomClosed:
		return &RoomClosed{}
	case TypeError:
		return &Error{}
	case TypeWaitingStatus:
		return &WaitingStatus{}
	case TypeWaitingMessage:
		return &WaitingMessage{}
	}
	return nil
}

// Decode parses one signaling message into a pointer to its typed struct
// (*Join, *Offer, ...). It returns the type it saw even on error so the
// reply can refer to it. Errors wrap ErrMalformed or ErrUnknownType.
func Decode(data []byte) (Message, string, error) {
	var env struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !utf8.ValidString(env.Type) || len(env.Type) > 32 {
		return nil, "", fmt.Errorf("%w: bad type field", ErrMalformed)
	}
	m := newMessage(env.Type)
	if m == nil {
		return nil, env.Type, fmt.Errorf("%w: %q", ErrUnknownType, env.Type)
	}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, env.Type, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := check(m); err != nil {
		return nil, env.Type, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return m, env.Type, nil
}

// check validates field contents that JSON typing cannot express.
func check(m Message) error {
	switch v := m.(type) {
	case *Join:
		if v.Credential == "" || len(v.Credential) > maxCredential {
			return fmt.Errorf("credential missing or too long")
		}
	case *Offer:
		if v.SDP == "" {
			return fmt.Errorf("sdp missing")
		}
	case *Answer:
		if v.SDP == "" {
			return fmt.Errorf("sdp missing")
		}
	case *Admit:
		if v.ParticipantID == "" {
			return fmt.Errorf("participantId missing")
		}
	case *Remove:
		if v.ParticipantID == "" {
			return fmt.Errorf("participantId missing")
		}
	case *Chat:
		if v.Text == "" || !utf8.ValidString(v.Text) {
			return fmt.Errorf("text missing or not UTF-8")
		}
	case *WaitingMessage:
		if v.Text == "" || !utf8.ValidString(v.Text) || len(v.Text) > MaxWaitingMessage {
			return fmt.Errorf("text missing, not UTF-8 or longer than %d bytes", MaxWaitingMessage)
		}
		if !presetName(v.Preset) {
			return fmt.Errorf("preset is not a short lower-case name")
		}
	}
	return nil
}

// presetName accepts "" or up to 32 of [a-z0-9_]: a name a client looks
// up in its catalog, never text to show.
func presetName(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Encode serialises m with its "type" field first.
func Encode(m Message) ([]byte, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("signaling: encode %s: %w", m.MessageType(), err)
	}
	var b bytes.Buffer
	b.Grow(len(body) + 24)
	b.WriteString(`{"type":`)
	t, _ := json.Marshal(m.MessageType())
	b.Write(t)
	if len(body) > 2 { // not "{}"
		b.WriteByte(',')
		b.Write(body[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}
