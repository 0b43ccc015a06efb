package dataserver

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/guard"
)

// DefaultDebugAddr is the Debug Tools address: port 9629 of the integration
// document, not configurable for a real site (`pacsim driver --debug` exists
// so that tests can use port 0).
const DefaultDebugAddr = "127.0.0.1:9629"

// DefaultLogBuffer is the number of log lines buffered per subscriber.
const DefaultLogBuffer = 1024

// LogStream is the debug log stream: an io.Writer (and, through
// SlogHandler, an slog.Handler) whose lines are fanned out to every
// GET /logs subscriber of its Handler.
//
// Writing never blocks: each subscriber has a bounded buffer, and when a
// slow subscriber's buffer is full its oldest line is dropped (the stream
// tells it how many it lost). With no subscriber a line goes nowhere.
//
// What is written is shown as is: the driver redacts its secrets (password,
// session key) before it logs, and the stream adds no secret of its own.
type LogStream struct {
	mu     sync.Mutex
	subs   map[*logSub]struct{}
	closed bool

	buffer    int
	maxSubs   int
	heartbeat time.Duration
	dropped   atomic.Uint64
	done      chan struct{}
	router    *mux.Router
}

type logSub struct {
	ch      chan string
	dropped atomic.Uint64
}

// LogOption configures a LogStream.
type LogOption func(*LogStream)

// WithLogBuffer sets the per-subscriber buffer, in lines (DefaultLogBuffer
// when n ≤ 0).
func WithLogBuffer(n int) LogOption {
	return func(l *LogStream) {
		if n > 0 {
			l.buffer = n
		}
	}
}

// WithLogReaders caps the GET /logs readers at once; one more is refused
// with 503 (guard.DefaultMaxStreams, 256, when n <= 0).
func WithLogReaders(n int) LogOption {
	return func(l *LogStream) {
		if n > 0 {
			l.maxSubs = n
		}
	}
}

// WithLogHeartbeat sets how often an idle stream gets a keep-alive
// (DefaultHeartbeat when d ≤ 0).
func WithLogHeartbeat(d time.Duration) LogOption {
	return func(l *LogStream) {
		if d > 0 {
			l.heartbeat = d
		}
	}
}

// NewLogStream makes a log stream.
func NewLogStream(opts ...LogOption) *LogStream {
	l := &LogStream{
		subs:      map[*logSub]struct{}{},
		buffer:    DefaultLogBuffer,
		maxSubs:   guard.DefaultMaxStreams,
		heartbeat: DefaultHeartbeat,
		done:      make(chan struct{}),
	}
	for _, o := range opts {
		o(l)
	}
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such resource %s (the debug log stream is GET /logs)", guard.Clip(r.URL.Path)))
	})
	route(r, RouteLogs, "/logs", methods{http.MethodGet: l.serveLogs})
	l.router = r
	return l
}

// SlogHandler returns a text slog.Handler that writes to the stream
// (combine it with the process's own handler with slog.NewMultiHandler).
func (l *LogStream) SlogHandler(opts *slog.HandlerOptions) slog.Handler {
	return slog.NewTextHandler(l, opts)
}

// Write fans p out, line by line, to every subscriber. It never blocks and
// never fails; a line without its newline is still one line.
func (l *LogStream) Write(p []byte) (int, error) {
	n := len(p)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || len(l.subs) == 0 {
		return n, nil
	}
	for len(p) > 0 {
		line, rest, _ := bytes.Cut(p, []byte("\n"))
		p = rest
		s := strings.TrimSuffix(string(line), "\r")
		for sub := range l.subs {
			l.deliver(sub, s)
		}
	}
	return n, nil
}

// deliver sends without blocking, dropping the subscriber's oldest line
// when its buffer is full. Writers are serialised by l.mu and only the
// subscriber receives otherwise, so after one receive the send succeeds.
func (l *LogStream) deliver(sub *logSub, s string) {
	select {
	case sub.ch <- s:
		return
	default:
	}
	select {
	case <-sub.ch:
		sub.dropped.Add(1)
		l.dropped.Add(1)
	default:
	}
	select {
	case sub.ch <- s:
	default:
		sub.dropped.Add(1)
		l.dropped.Add(1)
	}
}

// subscribe adds a subscriber, or says why it cannot: the stream is
// closed, or has as many subscribers as it may.
func (l *LogStream) subscribe() (*logSub, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, http.StatusServiceUnavailable
	}
	if len(l.subs) >= l.maxSubs {
		return nil, http.StatusTooManyRequests
	}
	s := &logSub{ch: make(chan string, l.buffer)}
	l.subs[s] = struct{}{}
	return s, 0
}

func (l *LogStream) unsubscribe(s *logSub) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.subs, s)
}

// Subscribers returns the number of current GET /logs clients.
func (l *LogStream) Subscribers() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subs)
}

// Dropped returns how many lines slow subscribers lost, in total.
func (l *LogStream) Dropped() uint64 { return l.dropped.Load() }

// Close ends every stream and refuses new ones; later writes go nowhere.
func (l *LogStream) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	clear(l.subs)
	close(l.done)
}

// Handler returns the HTTP handler of GET /logs.
func (l *LogStream) Handler() http.Handler { return l.router }

// serveLogs streams the log lines until the client leaves or the stream is
// closed: as server-sent events (one "data:" per line) when the client
// accepts text/event-stream or asks ?format=sse, otherwise as chunked
// text/plain, one line per log line.
func (l *LogStream) serveLogs(w http.ResponseWriter, r *http.Request) {
	sseMode := strings.Contains(r.Header.Get("Accept"), "text/event-stream") || r.URL.Query().Get("format") == "sse"
	if f := r.URL.Query().Get("format"); f != "" && f != "sse" && f != "text" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("format: %q is not sse or text", f))
		return
	}
	sub, code := l.subscribe()
	switch code {
	case http.StatusServiceUnavailable:
		writeError(w, code, "the debug log stream is shutting down")
		return
	case http.StatusTooManyRequests:
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("the debug log stream already has %d readers, its most: close one and retry", l.maxSubs))
		return
	}
	defer l.unsubscribe(sub)

	var write func(string) error
	var keepAlive func() error
	if sseMode {
		sse := startSSE(w)
		write = func(s string) error { return sse.event(0, "", []byte(s)) }
		keepAlive = func() error { return sse.comment("keep-alive") }
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		st := guard.NewStream(w) // outlives WriteTimeout; a reader stuck 30 s is dropped
		w.WriteHeader(http.StatusOK)
		_ = st.Flush()
		write = func(s string) error {
			_, err := st.Write([]byte(s + "\n"))
			return err
		}
		keepAlive = func() error { return nil } // a text stream has no comment syntax
	}

	tick := time.NewTicker(l.heartbeat)
	defer tick.Stop()
	var reported uint64
	for {
		select {
		case <-r.Context().Done():
			return
		case <-l.done:
			return
		case <-tick.C:
			if keepAlive() != nil {
				return
			}
		case s := <-sub.ch:
			if d := sub.dropped.Load(); d > reported {
				if write(fmt.Sprintf("-- %d log line(s) dropped: this reader was too slow --", d-reported)) != nil {
					return
				}
				reported = d
			}
			if write(s) != nil {
				return
			}
		}
	}
}
