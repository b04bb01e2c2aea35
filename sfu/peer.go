package sfu

import (
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/pion/webrtc/v4"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

type peerEventKind int

const (
	evOffer peerEventKind = iota
	evAnswer
	evCandidate
	evConnected
	evLocalCandidate
)

type peerEvent struct {
	kind    peerEventKind
	sdp     string
	sources map[string]string
	cand    webrtc.ICECandidateInit
}

// peer is the SFU side of one participant's PeerConnection. All signaling
// operations on pc happen on the run goroutine, in order, which is what
// keeps renegotiation race-free: the SFU offers only from a stable state,
// and a client offer that collides with an SFU offer is ignored (the SFU is
// the impolite side of "perfect negotiation"; the client rolls back).
type peer struct {
	ss      *session
	pc      *webrtc.PeerConnection
	log     *slog.Logger
	events  chan peerEvent
	syncReq chan struct{}
	done    chan struct{}
	once    sync.Once

	// Owned by run.
	senders     map[*upTrack]*webrtc.RTPSender
	dirty       bool // sync wanted while not stable
	ignoreOffer bool
	needKF      []*upTrack // added in the outstanding offer

	mu      sync.Mutex
	sources map[string]string // track id -> "camera" | "microphone" | "screen"
	ups     []*upTrack

	bufs *streamBuffers // the PeerConnection's receive buffers, see inline.go
}

func newPeer(ss *session) (*peer, error) {
	bufs := newStreamBuffers()
	api, err := ss.s.apiFor(bufs)
	if err != nil {
		return nil, err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{
		BundlePolicy: webrtc.BundlePolicyMaxBundle,
	})
	if err != nil {
		return nil, fmt.Errorf("new peer connection: %w", err)
	}
	p := &peer{
		ss: ss, pc: pc, log: ss.log,
		events:  make(chan peerEvent, 64),
		syncReq: make(chan struct{}, 1),
		done:    make(chan struct{}),
		senders: map[*upTrack]*webrtc.RTPSender{},
		sources: map[string]string{},
		bufs:    bufs,
	}
	// Candidates go through run so that they are sent after the
	// description they belong to; a browser drops candidates that arrive
	// before the remote description.
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c != nil {
			p.postAsync(peerEvent{kind: evLocalCandidate, cand: c.ToJSON()})
		}
	})
	pc.OnTrack(p.onTrack)
	pc.OnConnectionStateChange(func(st webrtc.PeerConnectionState) {
		p.log.Debug("peer connection state", "state", st.String())
		if st == webrtc.PeerConnectionStateConnected {
			p.postAsync(peerEvent{kind: evConnected})
		}
	})
	go p.run()
	return p, nil
}

// post hands an event to the run goroutine, waiting if it is busy; the
// reader goroutine is the only poster of client events, so waiting here
// pushes back on a client that sends faster than negotiation can go.
func (p *peer) post(ev peerEvent) error {
	select {
	case p.events <- ev:
		return nil
	case <-p.done:
		return errClosed
	}
}

// postAsync is post for pion callbacks, which must never block: pion may
// call them while run itself is inside a pion method.
func (p *peer) postAsync(ev peerEvent) {
	select {
	case p.events <- ev:
	default:
		go func() { _ = p.post(ev) }()
	}
}

// requestSync asks for a reconcile; repeated requests collapse into one.
func (p *peer) requestSync() {
	select {
	case p.syncReq <- struct{}{}:
	default:
	}
}

func (p *peer) close() {
	p.once.Do(func() {
		close(p.done)
		if err := p.pc.Close(); err != nil {
			p.log.Debug("close peer connection", "err", err)
		}
		p.mu.Lock()
		ups := p.ups
		p.ups = nil
		p.mu.Unlock()
		for _, t := range ups {
			p.ss.room.removeTrack(t)
		}
	})
}

func (p *peer) run() {
	for {
		select {
		case <-p.done:
			return
		case ev := <-p.events:
			p.handle(ev)
		case <-p.syncReq:
			p.sync()
		}
	}
}

func (p *peer) handle(ev peerEvent) {
	switch ev.kind {
	case evOffer:
		p.onOffer(ev)
	case evAnswer:
		p.onAnswer(ev.sdp)
	case evCandidate:
		if err := p.pc.AddICECandidate(ev.cand); err != nil && !p.ignoreOffer {
			p.log.Debug("add ICE candidate", "err", err)
		}
	case evLocalCandidate:
		p.ss.conn.send(signaling.Candidate{Candidate: ev.cand})
	case evConnected:
		for t := range p.senders {
			t.requestKeyframe()
		}
	}
}

func (p *peer) fail(what string, err error) {
	select {
	case <-p.done:
		return // torn down under our feet; nothing to report
	default:
	}
	p.log.Warn("negotiation failed", "step", what, "err", err)
	p.ss.conn.send(signaling.Error{Code: signaling.CodeNegotiation, Message: what})
}

func (p *peer) onOffer(ev peerEvent) {
	if p.pc.SignalingState() == webrtc.SignalingStateHaveLocalOffer {
		// Glare: our offer wins; the client rolls back and answers it.
		p.ignoreOffer = true
		return
	}
	p.ignoreOffer = false
	if publishesTooMuch(ev.sdp) {
		// Refused whole, before Pion sets up a receiver for any of it; the
		// connection and the tracks already published stay.
		p.ss.conn.send(signaling.Error{Code: signaling.CodeTooManyTracks, Message: tooManyTracks, Ref: signaling.TypeOffer})
		return
	}
	p.mu.Lock()
	for id, src := range ev.sources {
		if len(p.sources) < 16 {
			p.sources[id] = src
		}
	}
	p.mu.Unlock()
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: ev.sdp}); err != nil {
		p.fail("set remote offer", err)
		return
	}
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		p.fail("create answer", err)
		return
	}
	if err := p.pc.SetLocalDescription(answer); err != nil {
		p.fail("set local answer", err)
		return
	}
	p.ss.conn.send(signaling.Answer{SDP: answer.SDP})
	p.sync()
}

func (p *peer) onAnswer(sdp string) {
	if p.pc.SignalingState() != webrtc.SignalingStateHaveLocalOffer {
		p.ss.conn.send(signaling.Error{Code: signaling.CodeNegotiation, Message: "no offer outstanding", Ref: signaling.TypeAnswer})
		return
	}
	if publishesTooMuch(sdp) {
		// An answer cannot be refused and the offer kept: like a bad
		// answer, this ends the connection and the client starts anew.
		p.ss.conn.send(signaling.Error{Code: signaling.CodeTooManyTracks, Message: tooManyTracks, Ref: signaling.TypeAnswer})
		p.ss.conn.close()
		return
	}
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		p.fail("set remote answer", err)
		// Without a usable answer this connection cannot recover; the client
		// reconnects and gets a fresh PeerConnection.
		p.ss.conn.close()
		return
	}
	for _, t := range p.needKF {
		t.requestKeyframe()
	}
	p.needKF = nil
	p.sync()
}

// sync brings the senders in line with room.desired and offers if anything
// changed. Outside the stable state it only remembers to do so later.
func (p *peer) sync() {
	if p.pc.SignalingState() != webrtc.SignalingStateStable {
		p.dirty = true
		return
	}
	p.dirty = false
	want := p.ss.room.desired(p.ss)
	keep := make(map[*upTrack]bool, len(want))
	for _, t := range want {
		keep[t] = true
	}
	changed := false
	for t, snd := range p.senders {
		if !keep[t] {
			if err := p.pc.RemoveTrack(snd); err != nil {
				p.log.Debug("remove track", "err", err)
			}
			delete(p.senders, t)
			changed = true
		}
	}
	for _, t := range want {
		if _, ok := p.senders[t]; ok {
			continue
		}
		snd, err := p.pc.AddTrack(t.local)
		if err != nil {
			p.log.Warn("add track", "err", err)
			continue
		}
		p.senders[t] = snd
		go readSenderRTCP(snd, t)
		p.needKF = append(p.needKF, t)
		changed = true
	}
	if !changed {
		return
	}
	offer, err := p.pc.CreateOffer(nil)
	if err != nil {
		p.fail("create offer", err)
		return
	}
	if err := p.pc.SetLocalDescription(offer); err != nil {
		p.fail("set local offer", err)
		return
	}
	p.ss.conn.send(signaling.Offer{SDP: offer.SDP})
}

// onTrack publishes a track the participant sends us.
func (p *peer) onTrack(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	p.mu.Lock()
	src := p.sources[remote.ID()]
	p.mu.Unlock()
	if src != "screen" {
		src = "camera"
		if remote.Kind() == webrtc.RTPCodecTypeAudio {
			src = "microphone"
		}
	}
	t, err := newUpTrack(p, remote, recv, src)
	if err != nil {
		p.log.Warn("publish track", "err", err)
		return
	}
	p.mu.Lock()
	select {
	case <-p.done:
		p.mu.Unlock()
		return
	default:
	}
	p.ups = append(p.ups, t)
	p.mu.Unlock()
	if !p.ss.room.addTrack(t) {
		return
	}
	p.log.Debug("track published", "kind", remote.Kind().String(), "source", src,
		"codec", remote.Codec().MimeType)
	go t.readRTCP(recv)
	t.forward()
	p.ss.room.removeTrack(t)
	p.mu.Lock()
	p.ups = slices.DeleteFunc(p.ups, func(u *upTrack) bool { return u == t })
	p.mu.Unlock()
}
