package genetec

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim"
)

// Server is a simulated Security Center's Web SDK over one world. Create
// it with New, serve Handler (every route is under /WebSdk/), and Close it
// when done.
type Server struct {
	world     *sim.World
	db        *DB
	sessions  *sessionTable
	keepAlive time.Duration
	maxBody   int64

	handler http.Handler
	router  *mux.Router // metrics.go

	mu      sync.Mutex
	streams map[*stream]bool
	closed  bool
}

// Option configures a Server.
type Option func(*Server)

// WithSessionIdle sets how long a session lives without a request, on the
// site clock (default the site file's genetec.session_idle, else 5 min).
func WithSessionIdle(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.sessions.idle = d
		}
	}
}

// WithKeepAlive sets the wall-clock silence after which an event stream
// writes a KeepAlive line (default 30 s).
func WithKeepAlive(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.keepAlive = d
		}
	}
}

// MaxBody is the largest request body read (a picture upload, a form).
const MaxBody = 1 << 20

// New builds the Security Center of w: it loads the genetec section of the
// site file and chains itself behind w's current decider, so the cards the
// EntraPass database does not know are decided here.
func New(w *sim.World, opts ...Option) (*Server, error) {
	db, err := NewDB(w)
	if err != nil {
		return nil, err
	}
	return NewOf(db, opts...), nil
}

// NewOf is New serving db, built by NewDB beforehand: a command starting a
// large site loads it while the EntraPass database loads, and chains it
// after (New's decider order).
func NewOf(db *DB, opts ...Option) *Server {
	w := db.world
	idle := DefaultSessionIdle
	if d := w.File().Genetec.SessionIdle.D(); d > 0 {
		idle = d
	}
	s := &Server{world: w, db: db, sessions: newSessionTable(idle), keepAlive: 30 * time.Second,
		maxBody: MaxBody, streams: map[*stream]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.handler = s.routes()
	w.SetDecider(sim.Chain(w.Decider(), db))
	return s
}

// Handler is the Web SDK's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// DB is the server's database.
func (s *Server) DB() *DB { return s.db }

// Version is the Security Center version the server reports.
func (s *Server) Version() string { return s.db.spec.Version }

// Reset returns the database to the site file's content and ends every
// session (their subscriptions and streams with them).
func (s *Server) Reset() {
	s.db.Reset()
	s.sessions.closeAll()
}

// ExpireSessions ends every session at once, as if each had idled out: the
// expire-sessions fault calls it. Open event streams end with them, and
// the clients must subscribe again.
func (s *Server) ExpireSessions() int { return s.sessions.closeAll() }

// Sessions returns how many sessions are live on the site clock.
func (s *Server) Sessions() int { return s.sessions.live(s.world.Now()) }

// Close ends every open event stream, so an http.Server's Shutdown does not
// wait for them.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	list := make([]*stream, 0, len(s.streams))
	for st := range s.streams {
		list = append(list, st)
	}
	s.mu.Unlock()
	for _, st := range list {
		st.close()
	}
}
