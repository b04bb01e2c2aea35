package booking

import "testing"

// TestRoomID: ParseRoomID takes back exactly what RoomID makes.
func TestRoomID(t *testing.T) {
	if got := RoomID(42); got != "appointment-42" {
		t.Errorf("RoomID(42) = %q", got)
	}
	for _, tc := range []struct {
		room string
		id   int64
		ok   bool
	}{
		{RoomID(1), 1, true},
		{RoomID(9007199254740993), 9007199254740993, true},
		{"appointment-", 0, false},
		{"appointment-x", 0, false},
		{"appointment-+7", 0, false},
		{"appointment-07", 0, false},
		{"appointment--7", 0, false},
		{"appointment-0", 0, false},
		{"staff-7", 0, false},
		{"7", 0, false},
	} {
		if id, ok := ParseRoomID(tc.room); id != tc.id || ok != tc.ok {
			t.Errorf("ParseRoomID(%q) = %d, %v; want %d, %v", tc.room, id, ok, tc.id, tc.ok)
		}
	}
}
