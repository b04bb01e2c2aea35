package sfuload

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/transport/v5/stdnet"
	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/sfutest"
)

// leanClient is a load source: an sfutest.Client for signaling with a
// WebRTC stack of its own below it (sfutest.Stack). It registers only what
// it sends and runs no RTCP interceptors, so the SFU's NACKs go unanswered
// and loss is raw loss, not loss left after repair; it counts received
// media from the clear RTP headers at its sockets without decrypting it
// (tap.go); and the shared pacer sends its camera and microphone
// (pacer.go).
type leanClient struct {
	*sfutest.Client
	epoch time.Time // shared by the clients whose latency is compared
	pacer *pacer

	video, audio mediaStats                 // received at the sockets
	sends        sendLog                    // when own RTP left
	partner      atomic.Pointer[leanClient] // whose media this client receives

	mu     sync.Mutex
	tapped map[uint32]*sfutest.SeqTracker // by SSRC
	taps   []*tapConn                     // the client's sockets
}

func newLeanClient(epoch time.Time, p *pacer) *leanClient {
	return &leanClient{epoch: epoch, pacer: p, tapped: map[uint32]*sfutest.SeqTracker{}}
}

// dialLean connects a lean client; cfg.Epoch must be set.
func dialLean(ctx context.Context, cfg sfutest.ClientConfig, p *pacer) (*leanClient, error) {
	c := newLeanClient(cfg.Epoch, p)
	cfg.Stack = c
	cl, err := sfutest.Dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c.Client = cl
	return c, nil
}

// setPartner names the client whose media c receives in a 1:1 session, so
// that c also measures transit (see mediaStats). Both share the epoch.
func (c *leanClient) setPartner(p *leanClient) { c.partner.Store(p) }

// API is the lean stack (sfutest.Stack): the counting sockets, VP8 and
// Opus only, and no NACK, reports or TWCC: a load source spends its CPU on
// sending.
func (c *leanClient) API(se *webrtc.SettingEngine) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := registerLoadCodecs(m); err != nil {
		return nil, err
	}
	n, err := stdnet.NewNet()
	if err != nil {
		return nil, err
	}
	se.SetNet(tapNet{Net: n, c: c})
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(&interceptor.Registry{}),
		webrtc.WithSettingEngine(*se)), nil
}

// registerLoadCodecs registers only what a load client sends, with the
// payload types of Pion's defaults (opusPT for Opus): short SDP makes
// session setup cheaper for both sides.
func registerLoadCodecs(m *webrtc.MediaEngine) error {
	video := webrtc.RTPCodecParameters{PayloadType: 96, RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeVP8, ClockRate: 90000,
		RTCPFeedback: []webrtc.RTCPFeedback{{Type: "nack", Parameter: "pli"}}}}
	if err := m.RegisterCodec(video, webrtc.RTPCodecTypeVideo); err != nil {
		return err
	}
	return m.RegisterCodec(webrtc.RTPCodecParameters{PayloadType: opusPT, RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}},
		webrtc.RTPCodecTypeAudio)
}

// loss returns expected and distinctly received packets over all streams.
func (c *leanClient) loss() (expected, received int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.tapped {
		expected += t.Expected()
		received += t.Unique()
	}
	return expected, received
}
