package control

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
)

// DefaultKeepAlive is how often, in wall time, an event stream sends a
// ": keep-alive" comment so that proxies and clients keep it open.
const DefaultKeepAlive = 15 * time.Second

// Server serves the control API of one world. Create it with New, serve
// Handler, and call Close before shutting the HTTP server down so that open
// event streams end.
type Server struct {
	world     *sim.World
	loc       *time.Location
	names     map[sim.ID]string
	router    *mux.Router
	handler   http.Handler
	keepAlive time.Duration
	extra     []func(*mux.Router)
	onReset   []func()
	ready     func() error
	requests  *RequestLog
	streamCap *guard.Slots
	removers  []resetRemover
	clockNote clockNote // advances, for the event streams (clocknote.go)

	// mu guards closed and streams.Add, so Close never races a new stream.
	mu      sync.Mutex
	closed  bool
	done    chan struct{}
	streams sync.WaitGroup
}

// Option configures a Server.
type Option func(*Server)

// WithKeepAlive sets how often an idle event stream sends a keep-alive
// comment (default DefaultKeepAlive, 15 s of wall time). A value <= 0 keeps
// the default.
func WithKeepAlive(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.keepAlive = d
		}
	}
}

// WithReady sets what GET /readyz asks: nil when the server is ready, else
// why not (default: always ready).
func WithReady(ready func() error) Option { return func(s *Server) { s.ready = ready } }

// WithMaxStreams caps the event streams open at once; one more is refused
// with 503 (default guard.DefaultMaxStreams, 256; n <= 0 keeps it).
func WithMaxStreams(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.streamCap = guard.NewSlots(n)
		}
	}
}

// WithEntraPassRequests serves l, the request log of the simulated
// SmartService, as GET and DELETE /v1/entrapass/requests.
func WithEntraPassRequests(l *RequestLog) Option { return func(s *Server) { s.requests = l } }

// WithResetHook adds a call made by POST /v1/reset just before it resets
// the world, so a head-end returns to its start too (its database, its
// sessions) and a fault plan heals and empties first.
func WithResetHook(fn func()) Option {
	return func(s *Server) {
		if fn != nil {
			s.onReset = append(s.onReset, fn)
		}
	}
}

// WithRoutes lets another package add routes to the server's router (the
// fault API, the web panel, …) after the control API's own, so they share
// its JSON 404 and 405 answers. register gets the root router; routes of
// the API proper belong under /v1. Give each route its Path before its
// Methods (r.Path(p).Methods(m)): with mux v1.8.1 the other order can turn
// another route's 405 into a 404.
func WithRoutes(register func(r *mux.Router)) Option {
	return func(s *Server) {
		if register != nil {
			s.extra = append(s.extra, register)
		}
	}
}

// New returns the control API server of w. The clock mode is found from the
// world: a clock that can be advanced by hand (sim.ManualClock) is virtual,
// any other is real.
func New(w *sim.World, opts ...Option) *Server {
	s := &Server{
		world:     w,
		loc:       w.Location(),
		keepAlive: DefaultKeepAlive,
		streamCap: guard.NewSlots(0),
		done:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	// Names never change: Reset rebuilds the world from the same file. One
	// map read per event keeps the event path off the world's lock. They
	// are the file's: a snapshot of the world to read them cost a 100,000
	// door site's start a tenth of a second.
	s.names = componentNames(w.File())
	s.router = s.routes()
	for _, register := range s.extra {
		register(s.router)
	}
	s.handler = recoverer(s.router)
	return s
}

// Handler returns the HTTP handler of the API: every route under /v1.
func (s *Server) Handler() http.Handler { return s.handler }

// Close ends every open event stream and waits for their handlers to
// return; streams asked for afterwards are refused with 503. The other
// routes keep working. Close is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	s.mu.Unlock()
	s.streams.Wait()
}

// beginStream registers an event stream, or says why it cannot start: the
// server is closing, or holds as many streams as it may.
func (s *Server) beginStream() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("the control server is closing: no new event streams")
	}
	if !s.streamCap.TryAcquire() {
		return fmt.Errorf("the control server already serves %d event streams, its most: close one and retry", s.streamCap.Cap())
	}
	s.streams.Add(1)
	return nil
}

// endStream unregisters an event stream beginStream registered.
func (s *Server) endStream() {
	s.streamCap.Release()
	s.streams.Done()
}

// advancer is a clock that moves by hand: the world runs on virtual time.
type advancer interface {
	Advance(d time.Duration)
}

// clockMode returns the clock mode and, in virtual mode, the clock to advance.
func (s *Server) clockMode() (string, advancer) {
	if a, ok := s.world.Clock().(advancer); ok {
		return ModeVirtual, a
	}
	return ModeReal, nil
}

// componentNames maps every hardware component of sf to its name.
func componentNames(sf *sim.SiteFile) map[sim.ID]string {
	n := 0
	eachComponent(sf, func(sim.ID, string) { n++ })
	names := make(map[sim.ID]string, n)
	eachComponent(sf, func(id sim.ID, name string) { names[id] = name })
	return names
}

// eachComponent calls fn with every hardware component of sf.
func eachComponent(sf *sim.SiteFile, fn func(id sim.ID, name string)) {
	for _, g := range sf.Gateways {
		fn(g.ID, g.Name)
		for _, st := range g.Sites {
			fn(st.ID, st.Name)
			for _, c := range st.Controllers {
				fn(c.ID, c.Name)
				for _, d := range c.Doors {
					fn(d.ID, d.Name)
					for _, r := range d.Readers {
						fn(r.ID, r.Name)
					}
				}
				for _, in := range c.Inputs {
					fn(in.ID, in.Name)
				}
				for _, o := range c.Outputs {
					fn(o.ID, o.Name)
				}
			}
		}
	}
}
