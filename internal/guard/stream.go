package guard

import (
	"net/http"
	"time"
)

// DefaultMaxStreams is how many long streams (server-sent events, the Web
// SDK's event stream, the debug log stream) one server serves at once.
const DefaultMaxStreams = 256

// StreamWriteTimeout bounds one write to a stream: a client that stops
// reading for that long is dropped, and the stream's producer never waits
// on it.
const StreamWriteTimeout = 30 * time.Second

// Slots counts what a server holds open (its streams) against a cap.
// The zero value is unusable; make it with NewSlots.
type Slots struct{ ch chan struct{} }

// NewSlots returns a cap of n (DefaultMaxStreams when n <= 0).
func NewSlots(n int) *Slots {
	if n <= 0 {
		n = DefaultMaxStreams
	}
	return &Slots{ch: make(chan struct{}, n)}
}

// TryAcquire takes a slot, or reports that all are taken.
func (s *Slots) TryAcquire() bool {
	select {
	case s.ch <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release gives back a slot TryAcquire took.
func (s *Slots) Release() { <-s.ch }

// InUse returns how many slots are taken.
func (s *Slots) InUse() int { return len(s.ch) }

// Cap returns the number of slots.
func (s *Slots) Cap() int { return cap(s.ch) }

// Stream writes a long answer under a server built by Server: each write
// is bounded by StreamWriteTimeout instead of the whole answer by the
// server's WriteTimeout. (ReadTimeout does not end a stream: net/http
// lifts the read deadline once the request is read.)
type Stream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// NewStream prepares w for a long answer; call it before writing the
// header. Deadlines a writer cannot set (a test recorder) are left alone.
func NewStream(w http.ResponseWriter) *Stream {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
	return &Stream{w: w, rc: rc}
}

// Write writes p and flushes it, giving up after StreamWriteTimeout.
func (s *Stream) Write(p []byte) (int, error) {
	_ = s.rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
	n, err := s.w.Write(p)
	if err != nil {
		return n, err
	}
	return n, s.Flush()
}

// Flush sends what was written, giving up after StreamWriteTimeout.
func (s *Stream) Flush() error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
	return s.rc.Flush()
}
