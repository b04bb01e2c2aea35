package sfu

import (
	"fmt"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/webrtc/v4"
)

// nackHistory is how many sent packets per video stream are kept for
// retransmission: about 0.45 s at 1.5 Mbit/s (~140 packets/s). A
// retransmission requested later than that would miss the receiver's jitter
// buffer anyway, and the buffer holds copies, so it sets memory per
// forwarded video track (~100 KB; a power of two is required).
const nackHistory = 64

// registerCodecs registers what the SFU forwards: Opus, VP8 (everyone) and
// H.264 (Safari). RTX is not offered so retransmissions use the original
// SSRC, which the NACK responder serves from its buffer.
func registerCodecs(m *webrtc.MediaEngine) error {
	videoFB := []webrtc.RTCPFeedback{
		{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"},
	}
	codecs := []struct {
		kind webrtc.RTPCodecType
		p    webrtc.RTPCodecParameters
	}{
		{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecParameters{PayloadType: 111, RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}}},
		{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{PayloadType: 96, RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: videoFB}}},
		{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{PayloadType: 102, RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeH264, ClockRate: 90000, RTCPFeedback: videoFB,
			SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"}}},
		{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{PayloadType: 106, RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeH264, ClockRate: 90000, RTCPFeedback: videoFB,
			SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}}},
		{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecParameters{PayloadType: 112, RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeH264, ClockRate: 90000, RTCPFeedback: videoFB,
			SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f"}}},
	}
	for _, c := range codecs {
		if err := m.RegisterCodec(c.p, c.kind); err != nil {
			return fmt.Errorf("register %s: %w", c.p.MimeType, err)
		}
	}
	return nil
}

// registerInterceptors sets up the RTP/RTCP machinery per PeerConnection:
// NACK generation towards publishers and answering subscribers' NACKs from a
// packet buffer, sender/receiver reports, and transport-wide congestion
// control feedback so publishing browsers adapt their bitrate.
func registerInterceptors(m *webrtc.MediaEngine, ir *interceptor.Registry, pl pionLogs) error {
	ir.Add(headerCacheFactory{}) // first, so innermost: see headerCache
	if err := webrtc.ConfigureNackWithOptions(m, ir,
		[]nack.GeneratorOption{nack.WithGeneratorLoggerFactory(pl)},
		nack.ResponderSize(nackHistory), nack.WithResponderLoggerFactory(pl),
	); err != nil {
		return fmt.Errorf("nack: %w", err)
	}
	if err := webrtc.ConfigureRTCPReportsWithOptions(ir,
		[]report.ReceiverOption{report.WithReceiverLoggerFactory(pl)},
		report.WithSenderLoggerFactory(pl),
	); err != nil {
		return fmt.Errorf("rtcp reports: %w", err)
	}
	if err := webrtc.ConfigureTWCCSender(m, ir); err != nil {
		return fmt.Errorf("twcc: %w", err)
	}
	return nil
}

// newAPI builds the webrtc API shared by all PeerConnections of the SFU.
func newAPI(se webrtc.SettingEngine, pl pionLogs) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := registerCodecs(m); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	if err := registerInterceptors(m, ir, pl); err != nil {
		return nil, err
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir),
		webrtc.WithSettingEngine(se)), nil
}
