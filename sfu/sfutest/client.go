package sfutest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/transport/v5/packetio"
	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// opusSilence returns a valid 20 ms Opus frame (CELT, silence).
func opusSilence() []byte { return []byte{0xf8, 0xff, 0xfe} }

// ClientConfig configures a test client.
type ClientConfig struct {
	URL        string // websocket URL
	Credential string
	Publish    bool // send audio and video once admitted
	RelayOnly  bool // ICETransportPolicyRelay: media only through TURN
	TCPOnly    bool // gather tcp4 candidates only (ICE-TCP)
	Screen     bool // with Publish: also share a "screen" video track
	AutoAdmit  bool // as clerk: admit everyone who waits
	H264       bool // publish H.264 (as Safari may) instead of VP8; payloads are synthetic
	ExtraAudio int  // with Publish: offer this many more audio tracks, as a hostile client may
	Video      VideoSource
	FPS        int
	Epoch      time.Time // shared by clients whose latency is compared
	Log        *slog.Logger
	// Stack, if set, replaces the WebRTC stack below signaling (see Stack).
	Stack Stack
}

// A Stack replaces a client's WebRTC stack below signaling: the load
// tool's lean clients (sfu/sfuload) count media at their own sockets and
// send it from shared goroutines. A client with a Stack uses no ICE servers
// (relayed media would bypass the Stack's sockets) and reports only what
// arrives through Pion: remote tracks it still decodes are counted in Video
// and Audio.
type Stack interface {
	// API builds the client's WebRTC API on se, which the client has
	// limited to loopback.
	API(se *webrtc.SettingEngine) (*webrtc.API, error)
	// Publish sends the camera and the microphone from the moment
	// connected is closed until ctx ends.
	Publish(ctx context.Context, connected <-chan struct{}, video, audio FrameSender)
}

// Client is an in-process participant speaking the real signaling protocol.
type Client struct {
	cfg    ClientConfig
	ws     *websocket.Conn
	wmu    sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // reader finished
	wg     sync.WaitGroup

	Audio, Video Stats
	SentPackets  atomic.Int64
	PLIs         atomic.Int64 // keyframe requests received as publisher
	forceKey     atomic.Bool

	mu        sync.Mutex
	msgs      []signaling.Message
	changed   chan struct{}
	pc        *webrtc.PeerConnection
	connected chan struct{}
	remoteSet bool
	pending   []webrtc.ICECandidateInit
	// Local candidates wait until the first offer is sent: Pion gathers
	// (and calls OnICECandidate) from inside SetLocalDescription, and a
	// candidate ahead of its offer is refused by the SFU.
	offered bool
	early   []webrtc.ICECandidateInit
	streams map[string]int // remote stream id -> tracks
	mimes   map[string]int // remote track codec -> tracks
}

// Dial connects and sends join; it does not wait for the answer.
func Dial(ctx context.Context, cfg ClientConfig) (*Client, error) {
	if cfg.FPS == 0 {
		cfg.FPS = 30
	}
	if cfg.Video == nil {
		cfg.Video = &SyntheticVP8{Size: 1000}
	}
	if cfg.Epoch.IsZero() {
		cfg.Epoch = time.Now()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	ws, _, err := d.DialContext(ctx, cfg.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("dial signaling: %w", err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	c := &Client{cfg: cfg, ws: ws, ctx: cctx, cancel: cancel, done: make(chan struct{}),
		changed: make(chan struct{}), connected: make(chan struct{}),
		streams: map[string]int{}, mimes: map[string]int{}}
	go c.readLoop()
	if err := c.Send(signaling.Join{Credential: cfg.Credential}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Send writes one message.
func (c *Client) Send(m signaling.Message) error {
	b, err := signaling.Encode(m)
	if err != nil {
		return err
	}
	return c.SendRaw(b)
}

// SendRaw writes raw bytes as one text message.
func (c *Client) SendRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// Messages returns every message received so far.
func (c *Client) Messages() []signaling.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]signaling.Message(nil), c.msgs...)
}

// WaitFor returns the first received message (past or future) matching pred.
func (c *Client) WaitFor(ctx context.Context, pred func(signaling.Message) bool) (signaling.Message, error) {
	seen := 0
	for {
		c.mu.Lock()
		for ; seen < len(c.msgs); seen++ {
			if pred(c.msgs[seen]) {
				m := c.msgs[seen]
				c.mu.Unlock()
				return m, nil
			}
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-c.done:
			c.mu.Lock()
			n := len(c.msgs)
			c.mu.Unlock()
			if seen == n {
				return nil, fmt.Errorf("sfutest: connection closed while waiting: %w", io.EOF)
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// WaitType waits for a message of the given type.
func (c *Client) WaitType(ctx context.Context, typ string) (signaling.Message, error) {
	return c.WaitFor(ctx, func(m signaling.Message) bool { return m.MessageType() == typ })
}

// WaitError waits for an error message with the given code.
func (c *Client) WaitError(ctx context.Context, code string) error {
	_, err := c.WaitFor(ctx, func(m signaling.Message) bool {
		e, ok := m.(*signaling.Error)
		return ok && e.Code == code
	})
	return err
}

// IsConnected reports whether the PeerConnection has been connected.
func (c *Client) IsConnected() bool {
	select {
	case <-c.connected:
		return true
	default:
		return false
	}
}

// WaitConnected waits until the PeerConnection is connected.
func (c *Client) WaitConnected(ctx context.Context) error {
	select {
	case <-c.connected:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the signaling connection has ended.
func (c *Client) Done() <-chan struct{} { return c.done }

// RemoteStreams returns the stream ids of tracks received so far.
func (c *Client) RemoteStreams() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.streams))
	for k, v := range c.streams {
		out[k] = v
	}
	return out
}

// RemoteCodecs counts received tracks by codec MIME type.
func (c *Client) RemoteCodecs() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.mimes))
	for k, v := range c.mimes {
		out[k] = v
	}
	return out
}

// RestartICE sends a new offer with fresh ICE credentials, as a client does
// after a network change without reconnecting signaling.
func (c *Client) RestartICE() error {
	c.mu.Lock()
	pc := c.pc
	c.mu.Unlock()
	if pc == nil {
		return errors.New("sfutest: no media yet")
	}
	offer, err := pc.CreateOffer(&webrtc.OfferOptions{ICERestart: true})
	if err != nil {
		return err
	}
	if err := pc.SetLocalDescription(offer); err != nil {
		return err
	}
	return c.Send(signaling.Offer{SDP: offer.SDP})
}

// Close leaves deliberately and releases everything.
func (c *Client) Close() {
	_ = c.Send(signaling.Leave{})
	c.shutdown()
}

// Drop simulates a network failure: the socket and media vanish without
// a goodbye.
func (c *Client) Drop() {
	_ = c.ws.UnderlyingConn().Close()
	c.shutdown()
}

func (c *Client) shutdown() {
	c.cancel()
	_ = c.ws.Close()
	<-c.done
	c.mu.Lock()
	pc := c.pc
	c.mu.Unlock()
	if pc != nil {
		_ = pc.Close()
	}
	c.wg.Wait()
}

func (c *Client) record(m signaling.Message) {
	c.mu.Lock()
	c.msgs = append(c.msgs, m)
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func (c *Client) readLoop() {
	defer close(c.done)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		m, _, err := signaling.Decode(data)
		if err != nil {
			c.cfg.Log.Warn("client: undecodable message", "err", err)
			continue
		}
		if err := c.handle(m); err != nil {
			c.cfg.Log.Warn("client: signaling", "err", err)
		}
		c.record(m)
	}
}

func (c *Client) handle(m signaling.Message) error {
	switch v := m.(type) {
	case *signaling.Admitted:
		return c.startMedia(v.ICEServers)
	case *signaling.WaitingList:
		if c.cfg.AutoAdmit {
			for _, w := range v.Waiting {
				if err := c.Send(signaling.Admit{ParticipantID: w.ParticipantID}); err != nil {
					return err
				}
			}
		}
	case *signaling.Offer:
		return c.onOffer(v.SDP)
	case *signaling.Answer:
		return c.setRemote(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: v.SDP})
	case *signaling.Candidate:
		c.mu.Lock()
		pc, ready := c.pc, c.remoteSet
		if !ready {
			c.pending = append(c.pending, v.Candidate)
		}
		c.mu.Unlock()
		if ready {
			return pc.AddICECandidate(v.Candidate)
		}
	}
	return nil
}

// onOffer answers an SFU offer. Pion (v4.2) cannot roll back a local
// offer, so this client cannot be the polite peer docs/signaling.md asks
// for: if its first offer crosses the SFU's, both wait for an answer that
// never comes and the session does not connect (rare; the load generator
// retries such a start).
func (c *Client) onOffer(sdp string) error {
	if err := c.setRemote(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
		return err
	}
	c.mu.Lock()
	pc := c.pc
	c.mu.Unlock()
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return err
	}
	if err := pc.SetLocalDescription(answer); err != nil {
		return err
	}
	return c.Send(signaling.Answer{SDP: answer.SDP})
}

func (c *Client) setRemote(d webrtc.SessionDescription) error {
	c.mu.Lock()
	pc := c.pc
	c.mu.Unlock()
	if pc == nil {
		return errors.New("sfutest: description before media started")
	}
	if err := pc.SetRemoteDescription(d); err != nil {
		return err
	}
	c.mu.Lock()
	c.remoteSet = true
	pend := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, cand := range pend {
		_ = pc.AddICECandidate(cand)
	}
	return nil
}

// api builds a client WebRTC stack that only ever uses loopback.
func (c *Client) api() (*webrtc.API, error) {
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	nets := []webrtc.NetworkType{webrtc.NetworkTypeUDP4}
	if c.cfg.TCPOnly {
		nets = []webrtc.NetworkType{webrtc.NetworkTypeTCP4}
	}
	se.SetNetworkTypes(nets)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// Short receive queues like the SFU's (and a browser's jitter buffer):
	// an overloaded load generator should show loss, not seconds of delay.
	se.BufferFactory = func(kind packetio.BufferPacketType, _ uint32) io.ReadWriteCloser {
		b := packetio.NewBuffer()
		b.SetLimitSize(128 << 10)
		return packetBuffer{b}
	}
	// Same preference as the SFU (AES-128-GCM first), so tests cover the
	// suite browsers get.
	se.SetSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AEAD_AES_256_GCM,
		dtls.SRTP_AES128_CM_HMAC_SHA1_80)
	if c.cfg.Stack != nil {
		return c.cfg.Stack.API(&se)
	}
	m := &webrtc.MediaEngine{}
	ir := &interceptor.Registry{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	if err := webrtc.ConfigureNack(m, ir); err != nil {
		return nil, err
	}
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, err
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir),
		webrtc.WithSettingEngine(se)), nil
}

// packetBuffer is Pion's packet queue as the io.ReadWriteCloser a
// BufferFactory returns; Pion passes packet attributes through the
// attribute methods.
type packetBuffer struct{ *packetio.Buffer }

func (b packetBuffer) Read(p []byte) (int, error) {
	n, _, err := b.Buffer.Read(p, nil)
	return n, err
}

func (b packetBuffer) Write(p []byte) (int, error) { return b.Buffer.Write(p, nil) }

func (b packetBuffer) ReadWithAttributes(p []byte, a packetio.Attributes) (int, packetio.Attributes, error) {
	return b.Buffer.Read(p, a)
}

func (b packetBuffer) WriteWithAttributes(p []byte, a packetio.Attributes) (int, error) {
	return b.Buffer.Write(p, a)
}

func (c *Client) startMedia(servers []signaling.ICEServer) error {
	api, err := c.api()
	if err != nil {
		return err
	}
	conf := webrtc.Configuration{}
	if c.cfg.Stack != nil {
		servers = nil // relayed media would bypass the Stack's sockets
	}
	for _, s := range servers {
		conf.ICEServers = append(conf.ICEServers, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
	}
	if c.cfg.RelayOnly {
		conf.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	pc, err := api.NewPeerConnection(conf)
	if err != nil {
		return err
	}
	var once sync.Once
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			once.Do(func() { close(c.connected) })
		}
	})
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			c.sendCandidate(cand.ToJSON())
		}
	})
	pc.OnTrack(c.onTrack)
	c.mu.Lock()
	c.pc = pc
	c.mu.Unlock()

	if c.cfg.Publish {
		vcodec := webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}
		if c.cfg.H264 {
			vcodec = webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
				SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}
		}
		video, err := webrtc.NewTrackLocalStaticRTP(vcodec, "video", "local")
		if err != nil {
			return err
		}
		audio, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", "local")
		if err != nil {
			return err
		}
		vs, err := pc.AddTrack(video)
		if err != nil {
			return err
		}
		if _, err := pc.AddTrack(audio); err != nil {
			return err
		}
		c.wg.Add(2)
		go c.readPLI(vs)
		if c.cfg.Stack != nil {
			go c.publish(c.newVideoSender(video, c.cfg.Video), c.newAudioSender(audio))
		} else {
			c.wg.Add(1)
			go c.sendVideo(video, c.cfg.Video)
			go c.sendAudio(audio)
		}
		for i := range c.cfg.ExtraAudio {
			extra, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2},
				fmt.Sprintf("audio-%d", i+2), "local")
			if err != nil {
				return err
			}
			if _, err := pc.AddTrack(extra); err != nil {
				return err
			}
			c.wg.Add(1)
			go c.sendAudio(extra)
		}
		if c.cfg.Screen {
			screen, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "screen", "local-screen")
			if err != nil {
				return err
			}
			if _, err := pc.AddTrack(screen); err != nil {
				return err
			}
			c.wg.Add(1)
			go c.sendVideo(screen, &SyntheticVP8{Size: 800, Every: 30})
		}
	} else {
		for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
			if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
				return err
			}
		}
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return err
	}
	if err := pc.SetLocalDescription(offer); err != nil {
		return err
	}
	o := signaling.Offer{SDP: offer.SDP}
	if c.cfg.Screen {
		o.Sources = map[string]string{"screen": "screen"}
	}
	if err := c.Send(o); err != nil {
		return err
	}
	c.mu.Lock()
	c.offered = true
	early := c.early
	c.early = nil
	c.mu.Unlock()
	for _, cand := range early {
		_ = c.Send(signaling.Candidate{Candidate: cand})
	}
	return nil
}

// sendCandidate trickles a local candidate, or keeps it until the first
// offer has gone out.
func (c *Client) sendCandidate(cand webrtc.ICECandidateInit) {
	c.mu.Lock()
	if !c.offered {
		c.early = append(c.early, cand)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	_ = c.Send(signaling.Candidate{Candidate: cand})
}

// SelectedCandidateType is the local candidate type ("host", "relay", ...)
// of the pair ICE selected, or "" if none yet.
func (c *Client) SelectedCandidateType() string {
	c.mu.Lock()
	pc := c.pc
	c.mu.Unlock()
	if pc == nil {
		return ""
	}
	for _, tr := range pc.GetTransceivers() {
		if s := tr.Sender(); s != nil && s.Transport() != nil {
			if p, err := s.Transport().ICETransport().GetSelectedCandidatePair(); err == nil && p != nil {
				return p.Local.Typ.String()
			}
		}
		if r := tr.Receiver(); r != nil && r.Transport() != nil {
			if p, err := r.Transport().ICETransport().GetSelectedCandidatePair(); err == nil && p != nil {
				return p.Local.Typ.String()
			}
		}
	}
	return ""
}

func (c *Client) readPLI(s *webrtc.RTPSender) {
	defer c.wg.Done()
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				c.PLIs.Add(1)
				c.forceKey.Store(true)
			}
		}
	}
}

func (c *Client) waitConnected() bool {
	select {
	case <-c.connected:
		return true
	case <-c.ctx.Done():
		return false
	}
}

// publish hands the camera and microphone to the Stack.
func (c *Client) publish(video, audio FrameSender) {
	defer c.wg.Done()
	c.cfg.Stack.Publish(c.ctx, c.connected, video, audio)
}

func (c *Client) onTrack(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	video := tr.Kind() == webrtc.RTPCodecTypeVideo
	st := &c.Audio
	if video {
		st = &c.Video
	}
	var seqs SeqTracker // this goroutine's only
	c.mu.Lock()
	c.streams[tr.StreamID()]++
	c.mimes[tr.Codec().MimeType]++
	c.mu.Unlock()
	buf := make([]byte, 1500)
	var pkt rtp.Packet
	for {
		n, _, err := tr.Read(buf)
		if err != nil {
			return
		}
		if pkt.Unmarshal(buf[:n]) != nil {
			continue
		}
		st.Packets.Add(1)
		st.Bytes.Add(int64(n))
		// A retransmitted keyframe packet is not a new keyframe.
		if seqs.Add(pkt.SequenceNumber) && video && IsVP8Keyframe(pkt.Payload) {
			st.Keyframes.Add(1)
		}
	}
}
