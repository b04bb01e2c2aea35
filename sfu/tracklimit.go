package sfu

import (
	"strings"

	"github.com/pion/webrtc/v4"
)

// What one participant may publish: what a person sends, a microphone, a
// camera and one screen share. Anything beyond costs every subscriber
// bandwidth and the SFU a receiver, a buffer and a goroutine per track.
const (
	maxAudioTracks = 1
	maxVideoTracks = 2 // camera and screen share
)

// tooManyTracks is the message sent with CodeTooManyTracks.
const tooManyTracks = "at most one audio and two video tracks (microphone, camera, screen share)"

// publishesTooMuch reports whether a client's description (offer or
// answer) has it send more tracks than a person does. It is checked
// before the description is applied, so nothing is set up for the excess.
// A description that does not parse is left to SetRemoteDescription.
func publishesTooMuch(sdp string) bool {
	d := webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}
	parsed, err := d.Unmarshal()
	if err != nil {
		return false
	}
	audio, video := 0, 0
	for _, m := range parsed.MediaDescriptions {
		if m.MediaName.Port.Value == 0 { // rejected or stopped
			continue
		}
		sending, rids := true, 0 // no direction attribute means sendrecv
		for _, a := range m.Attributes {
			switch a.Key {
			case "recvonly", "inactive":
				sending = false
			case "rid":
				// Each simulcast layer the client sends becomes a track of
				// its own.
				if f := strings.Fields(a.Value); len(f) > 1 && f[1] == "send" {
					rids++
				}
			}
		}
		if !sending {
			continue
		}
		switch m.MediaName.Media {
		case "audio":
			audio += max(1, rids)
		case "video":
			video += max(1, rids)
		}
	}
	return audio > maxAudioTracks || video > maxVideoTracks
}
