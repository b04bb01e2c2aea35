package signaling

import (
	"time"

	"github.com/pion/webrtc/v4"
)

// Message types on the wire. See docs/signaling.md.
const (
	TypeJoin         = "join"
	TypeJoined       = "joined"
	TypeOffer        = "offer"
	TypeAnswer       = "answer"
	TypeCandidate    = "candidate"
	TypeWaitingList  = "waiting_list"
	TypeAdmit        = "admit"
	TypeAdmitted     = "admitted"
	TypeRemove       = "remove"
	TypeRemoved      = "removed"
	TypeParticipants = "participants"
	TypeChat         = "chat"
	TypeMute         = "mute"
	TypeICEServers   = "ice_servers"
	TypeLeave        = "leave"
	TypeCloseRoom    = "close_room"
	TypeRoomClosed   = "room_closed"
	TypeError        = "error"
)

// Waiting-room messages: whether a clerk is in the call, and a short note
// from the clerk to one waiting participant.
const (
	TypeWaitingStatus  = "waiting_status"
	TypeWaitingMessage = "waiting_message"
)

// MaxWaitingMessage caps a clerk's note to a waiting participant, in
// bytes: it is a sentence such as "I will be with you in 5 minutes", not
// a chat.
const MaxWaitingMessage = 500

// Status values in Joined.
const (
	StatusWaiting  = "waiting"
	StatusAdmitted = "admitted"
)

// Reasons in RoomClosed.Reason and Removed.Reason (and in the SFU's
// Observer events).
const (
	ReasonAppointmentEnded = "appointment_ended"
	ReasonClosedByClerk    = "closed_by_clerk"
	ReasonShutdown         = "shutting_down"
	ReasonRemovedByClerk   = "removed_by_clerk"
	// ReasonSessionEnded: the login or room session behind the connection
	// ended (logout, deactivation, a newer room session took its place).
	ReasonSessionEnded = "session_ended"
)

// Error codes in Error.Code.
const (
	CodeMalformed    = "malformed"
	CodeUnknownType  = "unknown_type"
	CodeRateLimited  = "rate_limited"
	CodeUnauthorized = "unauthorized"
	CodeTooEarly     = "too_early"
	CodeExpired      = "expired"
	CodeNotAdmitted  = "not_admitted"
	CodeForbidden    = "forbidden"
	CodeNotFound     = "not_found"
	CodeRoomFull     = "room_full"
	CodeReplaced     = "replaced"
	CodeNegotiation  = "negotiation_failed"
	CodeInternal     = "internal"
	CodeJoinFirst    = "join_first"
	CodeShuttingDown = "shutting_down"
)

// CodeTooManyTracks refuses a description that publishes more than a
// person sends (see docs/signaling.md).
const CodeTooManyTracks = "too_many_tracks"

// maxCredential bounds the join credential; tickets are short.
const maxCredential = 4096

// Message is one signaling message. Encode adds the "type" field.
type Message interface {
	MessageType() string
}

// Join is the first message of every connection.
type Join struct {
	Credential string `json:"credential"`
}

// Joined confirms a join and tells whether the participant waits.
type Joined struct {
	ParticipantID string    `json:"participantId"`
	Role          Role      `json:"role"`
	Status        string    `json:"status"`
	NotAfter      time.Time `json:"notAfter"`
}

// Offer carries an SDP offer, in either direction. Sources optionally tells
// the SFU what a published track is ("camera", "microphone", "screen"),
// keyed by the track id in the SDP (a=msid).
type Offer struct {
	SDP     string            `json:"sdp"`
	Sources map[string]string `json:"sources,omitempty"`
}

// Answer carries an SDP answer, in either direction.
type Answer struct {
	SDP string `json:"sdp"`
}

// Candidate carries one trickled ICE candidate, in either direction.
type Candidate struct {
	Candidate webrtc.ICECandidateInit `json:"candidate"`
}

// WaitingEntry is one waiting participant, as shown to clerks.
type WaitingEntry struct {
	ParticipantID string    `json:"participantId"`
	DisplayName   string    `json:"displayName"`
	Role          Role      `json:"role"`
	Since         time.Time `json:"since"`
	SecondDevice  bool      `json:"secondDevice,omitempty"` // the participant is in (or was admitted to) the call from another device
}

// WaitingList is sent to clerks whenever the waiting room changes.
type WaitingList struct {
	Waiting []WaitingEntry `json:"waiting"`
}

// Admit is a clerk's request to let a waiting participant in.
type Admit struct {
	ParticipantID string `json:"participantId"`
}

// Admitted tells a participant it may now set up media.
type Admitted struct {
	ICEServers []ICEServer `json:"iceServers"`
}

// Remove is a clerk's request to send a participant away.
type Remove struct {
	ParticipantID string `json:"participantId"`
	SecondDevice  bool   `json:"secondDevice,omitempty"` // turn away only the waiting second device
}

// Removed tells a participant it was sent away; the connection closes.
type Removed struct {
	Reason string `json:"reason"`
}

// ParticipantEntry is one admitted participant in the roster.
type ParticipantEntry struct {
	ParticipantID string `json:"participantId"`
	DisplayName   string `json:"displayName"`
	Role          Role   `json:"role"`
	Connected     bool   `json:"connected"`
	AudioMuted    bool   `json:"audioMuted"`
	VideoMuted    bool   `json:"videoMuted"`
}

// Participants is the roster of admitted participants, sent to admitted
// participants whenever it changes. Media streams of a participant carry the
// participant id as stream id ("<id>" for camera and microphone,
// "<id>~screen" for screen share).
type Participants struct {
	Participants []ParticipantEntry `json:"participants"`
}

// Chat is a text message. From and SentAt are set by the server.
type Chat struct {
	Text   string    `json:"text"`
	From   string    `json:"from,omitempty"`
	SentAt time.Time `json:"sentAt,omitzero"`
}

// Mute announces a participant's own mute state. ParticipantID is set by
// the server when relaying.
type Mute struct {
	ParticipantID string `json:"participantId,omitempty"`
	Audio         bool   `json:"audio"`
	Video         bool   `json:"video"`
}

// ICEServer is one entry for RTCPeerConnection's iceServers.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// ICEServers is a request for fresh TURN credentials (empty) and its answer.
type ICEServers struct {
	ICEServers []ICEServer `json:"iceServers,omitempty"`
}

// Leave ends the participant's session deliberately (no reconnect grace).
type Leave struct{}

// CloseRoom is a clerk's request to end the appointment for everyone.
type CloseRoom struct{}

// RoomClosed tells everyone the room is closed; connections close after it.
type RoomClosed struct {
	Reason string `json:"reason"`
}

// WaitingStatus tells a waiting participant whether a clerk is in the
// call. It is sent with the waiting Joined and whenever it changes.
type WaitingStatus struct {
	ClerkPresent bool `json:"clerkPresent"`
}

// WaitingMessage is a clerk's note to a waiting participant. The clerk
// names the participant; the server drops ParticipantID and sets SentAt
// when delivering it. Preset optionally names one of the clients' preset
// sentences, so the participant reads it in their own language; Text is
// the clerk's wording, shown when the client does not know the preset.
type WaitingMessage struct {
	ParticipantID string    `json:"participantId,omitempty"`
	Text          string    `json:"text"`
	Preset        string    `json:"preset,omitempty"`
	SentAt        time.Time `json:"sentAt,omitzero"`
}

// Error reports a problem with a request. The connection stays usable
// unless the server closes it right after.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	Ref     string `json:"ref,omitempty"` // type of the offending message, if known
}

// MessageType implementations.
func (Join) MessageType() string         { return TypeJoin }
func (Joined) MessageType() string       { return TypeJoined }
func (Offer) MessageType() string        { return TypeOffer }
func (Answer) MessageType() string       { return TypeAnswer }
func (Candidate) MessageType() string    { return TypeCandidate }
func (WaitingList) MessageType() string  { return TypeWaitingList }
func (Admit) MessageType() string        { return TypeAdmit }
func (Admitted) MessageType() string     { return TypeAdmitted }
func (Remove) MessageType() string       { return TypeRemove }
func (Removed) MessageType() string      { return TypeRemoved }
func (Participants) MessageType() string { return TypeParticipants }
func (Chat) MessageType() string         { return TypeChat }
func (Mute) MessageType() string         { return TypeMute }
func (ICEServers) MessageType() string   { return TypeICEServers }
func (Leave) MessageType() string        { return TypeLeave }
func (CloseRoom) MessageType() string    { return TypeCloseRoom }
func (RoomClosed) MessageType() string   { return TypeRoomClosed }
func (Error) MessageType() string        { return TypeError }

func (WaitingStatus) MessageType() string  { return TypeWaitingStatus }
func (WaitingMessage) MessageType() string { return TypeWaitingMessage }
