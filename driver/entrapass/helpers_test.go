package entrapass_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
)

// IDs of the default site (sim/sites/default.yaml).
const (
	gwMain      = 1
	siteOffice  = 2
	ctrlOffice  = 10
	ctrlShop    = 11
	doorFront   = 20 // readers 30 (entry), 31 (exit)
	doorOffice  = 21 // reader 32, keypad
	doorShop    = 24
	rdFrontIn   = 30
	rdFrontOut  = 31
	rdOffice    = 32
	rdShopIn    = 36
	inFrontREX  = 50
	inMotion    = 52
	inShopREX   = 58
	outBuzzer   = 70
	outShopHorn = 74

	cardAlice = "100:1001" // Alice Martin, Full Access, badging 1
	cardBruno = "100:1002" // Bruno Bernard, Office only, PIN 12345
	cardLost  = "100:1033" // Grace Michel, lost-stolen
)

// site is a simulated EntraPass site served in process on 127.0.0.1 with the
// manual clock, and a record of what the driver sent.
type site struct {
	t   *testing.T
	w   *sim.World
	clk *sim.ManualClock
	srv *epsim.Server
	ts  *httptest.Server

	addr string // host:port, kept across Stop/Restart

	mu       sync.Mutex
	requests []*url.URL // every request the server received
	keys     map[string]bool
	// intercept, when set, sees each request first; returning true means
	// it answered it.
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

// setIntercept installs (or with nil removes) an interceptor.
func (s *site) setIntercept(f func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intercept = f
}

// newSite serves sf (the default site when nil).
func newSite(t *testing.T, sf *sim.SiteFile, opts ...epsim.Option) *site {
	t.Helper()
	if sf == nil {
		sf = sim.DefaultSite()
	}
	clk := sim.NewManualClock(sf.StartTime())
	w, err := sim.New(sf, sim.WithClock(clk))
	require.NoError(t, err)
	srv, err := epsim.New(w, opts...)
	require.NoError(t, err)
	s := &site{t: t, w: w, clk: clk, srv: srv, keys: map[string]bool{}}
	s.ts = httptest.NewServer(s.handler())
	s.addr = s.ts.Listener.Addr().String()
	t.Cleanup(func() {
		s.ts.Close()
		srv.Close()
	})
	return s
}

// handler is the SmartService handler, recording what it receives.
func (s *site) handler() http.Handler {
	h := s.srv.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		u := *r.URL
		s.requests = append(s.requests, &u)
		for k, v := range r.URL.Query() {
			if strings.EqualFold(k, "sdKey") {
				for _, key := range v {
					s.keys[key] = true
				}
			}
		}
		icpt := s.intercept
		s.mu.Unlock()
		if icpt != nil && icpt(w, r) {
			return
		}
		h.ServeHTTP(w, r)
	})
}

// sessionKeys returns every session key the driver sent.
func (s *site) sessionKeys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.keys {
		out = append(out, k)
	}
	return out
}

// paths returns the paths of the requests received, in order.
func (s *site) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.requests))
	for i, u := range s.requests {
		out[i] = u.Path
	}
	return out
}

// count returns how many requests had a path ending with suffix (any case).
func (s *site) count(suffix string) int {
	n := 0
	for _, p := range s.paths() {
		if strings.HasSuffix(strings.ToLower(p), strings.ToLower(suffix)) {
			n++
		}
	}
	return n
}

// lastRequest returns the last request whose path ends with suffix.
func (s *site) lastRequest(suffix string) *url.URL {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.requests) - 1; i >= 0; i-- {
		if strings.HasSuffix(strings.ToLower(s.requests[i].Path), strings.ToLower(suffix)) {
			return s.requests[i]
		}
	}
	return nil
}

// stop closes the HTTP server, as a server going down: connections are
// refused from then on. When lose is set the SmartService sessions are
// lost too, as when the real service restarts.
func (s *site) stop(lose bool) {
	s.ts.Close()
	if lose {
		s.srv.Close()
	}
}

// restart serves again on the same address.
func (s *site) restart() {
	var l net.Listener
	var err error
	for i := 0; i < 100; i++ {
		if l, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond) // the port is being released by the OS
	}
	require.NoError(s.t, err)
	ts := httptest.NewUnstartedServer(s.handler())
	ts.Listener.Close()
	ts.Listener = l
	ts.Start()
	s.ts = ts
}

// config is a driver configuration for this site.
func (s *site) config(user, password string) entrapass.Config {
	host, port, err := net.SplitHostPort(s.addr)
	require.NoError(s.t, err)
	p, err := strconv.Atoi(port)
	require.NoError(s.t, err)
	return entrapass.Config{Host: host, Port: p, Username: user, Password: password,
		Poll: 100 * time.Millisecond, RequestTimeout: 5 * time.Second}
}

// logBuffer collects the driver's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// siteFile returns the default site with edits to its EntraPass section.
func siteFile(edit func(ep *sim.EntraPassSpec)) *sim.SiteFile {
	sf := sim.DefaultSite()
	edit(&sf.EntraPass)
	return sf
}

// withOperator adds an operator with a password that appears nowhere else.
func withOperator(name, password string) *sim.SiteFile {
	return siteFile(func(ep *sim.EntraPassSpec) {
		ep.Operators = append(ep.Operators, sim.OperatorSpec{ID: 399, Name: name, Password: password})
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

var (
	doorRef   = func(id int) asset.Ref { return asset.Ref{Type: asset.Door, ID: id} }
	readerRef = func(id int) asset.Ref { return asset.Ref{Type: asset.Reader, ID: id} }
	inputRef  = func(id int) asset.Ref { return asset.Ref{Type: asset.Input, ID: id} }
	outputRef = func(id int) asset.Ref { return asset.Ref{Type: asset.Output, ID: id} }
)

// openAudit opens an audit trail in a temporary folder, closed at cleanup.
func openAudit(t *testing.T) *entrapass.Audit {
	t.Helper()
	a, err := entrapass.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	return a
}
