package sfu

import (
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/sprechstunde/sprechstunde/sfu/signaling"
)

// sigConn wraps a websocket so that exactly one goroutine (writeLoop) writes
// to it. Everyone else enqueues with send, which never blocks: a client that
// does not drain its queue is disconnected instead of stalling a room.
type sigConn struct {
	c         Conn
	log       *slog.Logger
	writeWait time.Duration
	ping      time.Duration
	out       chan []byte
	stop      chan struct{} // closed by close(): flush and hang up
	done      chan struct{} // closed when writeLoop has closed the socket
	closeOnce sync.Once
}

func newSigConn(c Conn, cfg Config, log *slog.Logger) *sigConn {
	s := &sigConn{
		c: c, log: log, writeWait: cfg.WriteTimeout, ping: cfg.PingInterval,
		out:  make(chan []byte, cfg.SendQueue),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	go s.writeLoop()
	return s
}

// send queues m. It reports false if the connection is closing or the
// client is too slow (in which case the connection is closed).
func (s *sigConn) send(m signaling.Message) bool {
	b, err := signaling.Encode(m)
	if err != nil {
		s.log.Error("encode signaling message", "type", m.MessageType(), "err", err)
		return false
	}
	select {
	case <-s.stop:
		return false
	default:
	}
	select {
	case s.out <- b:
		return true
	default:
		s.log.Warn("signaling queue full, disconnecting", "err", errSlowConsumer)
		s.close()
		return false
	}
}

// close makes the writer flush what is queued, say goodbye and close the
// socket, which also ends the reader's ReadMessage.
func (s *sigConn) close() {
	s.closeOnce.Do(func() { close(s.stop) })
}

// wait blocks until the socket is closed.
func (s *sigConn) wait() { <-s.done }

func (s *sigConn) write(b []byte) error {
	if err := s.c.SetWriteDeadline(time.Now().Add(s.writeWait)); err != nil {
		return err
	}
	return s.c.WriteMessage(websocket.TextMessage, b)
}

func (s *sigConn) writeLoop() {
	defer close(s.done)
	defer s.c.Close()
	ticker := time.NewTicker(s.ping)
	defer ticker.Stop()
	for {
		select {
		case b := <-s.out:
			if err := s.write(b); err != nil {
				s.log.Debug("signaling write failed", "err", err)
				s.close()
				return
			}
		case <-ticker.C:
			if err := s.c.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.writeWait)); err != nil {
				s.log.Debug("signaling ping failed", "err", err)
				s.close()
				return
			}
		case <-s.stop:
			s.flush()
			return
		}
	}
}

// flush writes whatever is still queued (e.g. room_closed) and a close frame.
func (s *sigConn) flush() {
	for {
		select {
		case b := <-s.out:
			if s.write(b) != nil {
				return
			}
		default:
			_ = s.c.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""),
				time.Now().Add(s.writeWait))
			return
		}
	}
}
