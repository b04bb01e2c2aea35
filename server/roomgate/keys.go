package roomgate

// Session keys name, for the media server, the credential behind a
// connection: admission belongs to a key, and revoking the credential
// ends the connections made with it (sfu.SFU.EndSession).
const (
	roomKeyPrefix  = "room:"
	staffKeyPrefix = "staff:"
)

// RoomSessionKey is the key of a citizen's or guest's room session.
func RoomSessionKey(hash string) string { return roomKeyPrefix + hash }

// StaffSessionKey is the key of a staff login.
func StaffSessionKey(hash string) string { return staffKeyPrefix + hash }
