package entrapass

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Server is a simulated EntraPass SmartService over one world. Create it
// with New, serve Handler (under any address: every route is below
// /SmartService/), and Close it when done.
type Server struct {
	world    *sim.World
	db       *DB
	topo     *topology
	sessions *sessionTable
	access   *accessLog

	idle  time.Duration
	batch int
	decl  bool

	router  *mux.Router
	handler http.Handler

	rowPool   sync.Pool // *wire.RowWriter
	bufPool   sync.Pool // *[]byte
	eventPool sync.Pool // *[]sim.Event
}

// Option configures a Server.
type Option func(*Server)

// WithSessionIdle sets how long a session lives without a request, on the
// site clock (default DefaultSessionIdle, 30 min). A value <= 0 keeps the
// default.
func WithSessionIdle(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.idle = d
		}
	}
}

// WithEventBatch sets the most rows one Events answer carries (default the
// site file's entrapass.event_batch, itself 1000 by default); the rest come
// with the next poll. A value <= 0 keeps the default.
func WithEventBatch(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.batch = n
		}
	}
}

// WithXMLDeclaration prefixes every ArrayOf… answer (SmartLinkDataRow
// tables and light component lists) with <?xml version="1.0"
// encoding="utf-8"?>, as .NET's XmlSerializer writes them. A public sample
// of a real LastDoorAccess answer (planqr-kantech, parse_access_logs.py)
// carries that declaration; the default follows SPEC §2, which says none.
func WithXMLDeclaration(on bool) Option {
	return func(s *Server) { s.decl = on }
}

// New builds the EntraPass server of w: it loads the database from w's site
// file and registers it as w's decider, so cards presented in the world are
// decided by the card users the API reads and edits.
func New(w *sim.World, opts ...Option) (*Server, error) {
	// The topology and the database read the world apart: on a large site
	// building them side by side saves a second of the start.
	topo := make(chan *topology, 1)
	go func() { topo <- newTopology(w) }()
	db, err := NewDB(w)
	t := <-topo
	if err != nil {
		return nil, err
	}
	s := &Server{
		world: w,
		db:    db,
		topo:  t,
		idle:  DefaultSessionIdle,
		batch: db.eventBatch,
	}
	for _, o := range opts {
		o(s)
	}
	s.sessions = newSessionTable(s.idle)
	s.access = newAccessLog(w.Journal())
	s.rowPool.New = func() any { return new(wire.RowWriter) }
	s.router = s.routes()
	s.handler = recoverer(normalizePath(s.router))
	w.SetDecider(db)
	return s, nil
}

// Handler returns the HTTP handler of the SmartService API.
func (s *Server) Handler() http.Handler { return s.handler }

// DB returns the server's database (the world's decider).
func (s *Server) DB() *DB { return s.db }

// Router returns the router, whose routes are named by the Route…
// constants (mux.Router.Get). Paths are registered lower-case: the
// handler lower-cases the request path before routing.
func (s *Server) Router() *mux.Router { return s.router }

// Close ends every session: their keys answer Invalid SessionKey from then
// on. The handler keeps serving (a client may log in again) and the
// database stays the world's decider, since the world outlives the API.
func (s *Server) Close() {
	s.sessions.closeAll()
}

// Reset returns the database to the site file (see DB.ResetUsers), ends
// every session and forgets the ConnectedProgram GUIDs used, for a reset of
// the whole simulated site: after World.Reset the hardware is back at its
// start, and this brings the head-end back too.
func (s *Server) Reset() {
	s.db.ResetUsers(s.world.Now())
	s.sessions.reset()
}

// ExpireSessions ends every session at once, as if each had idled out:
// their keys get Invalid SessionKey from now on. It returns how many there
// were. The expire-sessions fault calls it.
func (s *Server) ExpireSessions() int {
	return s.sessions.closeAll()
}

// SessionKeys lists the session keys open now: a test checks that a
// recording holds none of them (they are secrets).
func (s *Server) SessionKeys() []string { return s.sessions.keys() }

// Sessions returns how many sessions are open and not idle past the
// timeout, on the site clock.
func (s *Server) Sessions() int {
	return s.sessions.live(s.world.Now())
}
