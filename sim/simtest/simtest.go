// Package simtest is the httptest of pacsim: a whole simulated site in
// process — the world, its EntraPass SmartService and Genetec Web SDK, its fault plan and its
// control API — on ephemeral loopback ports and a manual clock, for the
// user's own go test.
//
//	func TestMyDriver(t *testing.T) {
//		t.Parallel()
//		s := simtest.Start(t)
//		user, pass := s.Operator()
//		d := mydriver.New(s.EntraPassURL(), user, pass)
//		…
//		s.Advance(5 * time.Second)
//	}
//
// Sites share nothing, so tests that start one each run in parallel. A site
// stops when its test ends. Only the exported API is needed: the site is
// driven through Control(), the same typed client that talks to a remote
// `pacsim serve`.
//
// # Examples
//
// Runnable examples live in example_test.go and example_genetec_test.go
// (go doc does not show Example functions; pkg.go.dev does, and `go test
// -run Example -v ./sim/simtest` runs them and checks their output):
//
//   - Example_presentCard: a card presented at a reader, and the decision.
//   - Example_temporaryUnlock: a temporary unlock through SmartService
//     relocks when Advance passes its delay.
//   - Example_fault503: a fault makes SmartService answer 503 to event
//     polls, then heals.
//   - Example_genetecVisitor: a visitor created over the Web SDK, badged,
//     checked in: the badge opens the Front Door until check-out.
package simtest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/control/panel"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/genetec"
)

// Site is a running simulated site.
type Site struct {
	world    *sim.World
	clock    *sim.ManualClock // nil on the real clock
	ep       *entrapass.Server
	epSrv    *httptest.Server
	faults   *fault.Plan
	gs       *genetec.Server
	gSrv     *httptest.Server
	ctl      *control.Server
	ctlSrv   *httptest.Server
	client   *control.Client
	operator sim.OperatorSpec
	epReqs   *control.RequestLog
	// tb is the test Start was given: Advance fails it (nil from New).
	tb testing.TB
}

type config struct {
	file      *sim.SiteFile
	path      string
	gen       *sim.GenerateOptions
	realClock bool
	start     time.Time
	version   string
	edition   string
	licences  []string
	setLic    bool
	tls       bool
	noGenetec bool
	gPlain    bool
}

// Option configures a Site.
type Option func(*config)

// WithSiteFile starts the site described by the file at path (YAML or JSON,
// see SITEFILE.md) instead of the embedded default site.
func WithSiteFile(path string) Option { return func(c *config) { c.path = path } }

// WithSite starts the given site description. It is validated, and
// Start's caller must not change it afterwards.
func WithSite(sf *sim.SiteFile) Option { return func(c *config) { c.file = sf } }

// WithGenerated starts a generated site of doors doors and users card users;
// the same seed gives the same site.
func WithGenerated(doors, users int, seed int64) Option {
	return func(c *config) { c.gen = &sim.GenerateOptions{Doors: doors, Users: users, Seed: seed} }
}

// WithRealClock runs the site on the wall clock; Advance then fails the test.
func WithRealClock() Option { return func(c *config) { c.realClock = true } }

// WithStart sets where the manual clock starts (default: the site file's
// start, else Monday 2026-01-05 09:00:00 in the site's zone).
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithEntraPassVersion sets the server version SmartService reports, e.g.
// "7.40.0.100" to test a driver's version check.
func WithEntraPassVersion(v string) Option { return func(c *config) { c.version = v } }

// WithEntraPassEdition sets the edition: Global, Corporate or Special.
func WithEntraPassEdition(e string) Option { return func(c *config) { c.edition = e } }

// WithEntraPassLicences sets the connect licences held (E-GLOB-CONNECT,
// E-COR-CONNECT); none at all simulates a server without the option.
func WithEntraPassLicences(l ...string) Option {
	return func(c *config) { c.licences, c.setLic = l, true }
}

// WithTLS serves SmartService over HTTPS with a certificate made for the
// test; HTTPClient trusts it.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithoutGenetec leaves the Genetec head-end out: no Web SDK is served and
// every card EntraPass does not know is unknown.
func WithoutGenetec() Option { return func(c *config) { c.noGenetec = true } }

// WithGenetecPlainHTTP serves the Web SDK over plain HTTP, as a role with
// "Use SSL connection" off (default: HTTPS, which HTTPClient trusts).
func WithGenetecPlainHTTP() Option { return func(c *config) { c.gPlain = true } }

// Start starts a site for the test t and stops it when t ends. It fails t
// if the site cannot start.
func Start(t testing.TB, opts ...Option) *Site {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	s.tb = t
	t.Cleanup(s.Close)
	return s
}

// New starts a site outside a test (an example, a main); Close stops it.
func New(opts ...Option) (*Site, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	sf, err := c.site()
	if err != nil {
		return nil, err
	}
	var clock sim.Clock
	s := &Site{}
	if c.realClock {
		clock = sim.RealClock{}
	} else {
		start := sf.StartTime()
		if !c.start.IsZero() {
			start = c.start
		}
		s.clock = sim.NewManualClock(start)
		clock = s.clock
	}
	if s.world, err = sim.New(sf, sim.WithClock(clock)); err != nil {
		return nil, err
	}
	if s.ep, err = entrapass.New(s.world); err != nil {
		return nil, err
	}
	for _, o := range sf.EntraPass.Operators {
		if !o.Disabled && o.PasswordExpires == "" {
			s.operator = o
			break
		}
	}
	faultOpts := []fault.Option{fault.WithClock(clock), fault.WithSessionExpirer(fault.TargetEntraPass, s.ep)}
	if !c.noGenetec {
		if s.gs, err = genetec.New(s.world); err != nil {
			return nil, err
		}
		faultOpts = append(faultOpts, fault.WithSessionExpirer(fault.TargetGenetec, s.gs))
	}
	if c.noGenetec {
		faultOpts = append(faultOpts, fault.WithoutHeadEnd(fault.TargetGenetec))
	}
	s.faults = fault.New(s.world, faultOpts...)
	if s.gs != nil {
		s.gSrv = httptest.NewUnstartedServer(s.faults.Middleware(string(fault.TargetGenetec), s.gs.Handler()))
		if c.gPlain {
			s.gSrv.Start()
		} else {
			s.gSrv.StartTLS()
		}
	}
	// The request log is outside the fault middleware: a faulted answer is
	// what the driver got.
	s.epReqs = control.NewRequestLog(control.DefaultRequestLogSize, s.world.Now)
	s.epSrv = httptest.NewUnstartedServer(s.epReqs.Middleware(s.faults.Middleware(string(fault.TargetEntraPass), s.ep.Handler())))
	if c.tls {
		s.epSrv.StartTLS()
	} else {
		s.epSrv.Start()
	}
	s.ctl = control.New(s.world, control.WithRoutes(panel.Routes()), control.WithEntraPassRequests(s.epReqs), control.WithRoutes(fault.Routes(s.faults)), control.WithResetRemover("faults", s.faults.Reset), control.WithResetHook(func() {
		s.ep.Reset()
		if s.gs != nil {
			s.gs.Reset()
		}
	}))
	// The control API refuses what a web page could send, as under pacsim
	// serve (a foreign Host or Origin, a body not in JSON).
	s.ctlSrv = httptest.NewUnstartedServer(nil)
	s.ctlSrv.Config.Handler = guard.Wrap(s.ctl.Handler(), guard.Options{Addr: s.ctlSrv.Listener.Addr(), Open: guard.HealthPaths, ScriptBodies: true})
	s.ctlSrv.Start()
	s.client = control.NewClient(s.ControlURL(), control.WithHTTPClient(s.ctlSrv.Client()))
	return s, nil
}

// site returns the site description the options choose.
func (c *config) site() (*sim.SiteFile, error) {
	var sf *sim.SiteFile
	var err error
	switch {
	case c.path != "" && (c.file != nil || c.gen != nil), c.file != nil && c.gen != nil:
		return nil, errors.New("WithSiteFile, WithSite and WithGenerated exclude each other")
	case c.path != "":
		sf, err = sim.LoadSiteFile(c.path)
	case c.file != nil:
		sf = c.file
	case c.gen != nil:
		sf, err = sim.Generate(*c.gen)
	default:
		sf = sim.DefaultSite()
	}
	if err != nil {
		return nil, err
	}
	if c.version != "" {
		sf.EntraPass.ServerVersion = c.version
	}
	if c.edition != "" {
		sf.EntraPass.Edition = c.edition
	}
	if c.setLic {
		sf.EntraPass.Licences = c.licences
	}
	if err := sf.Validate(); err != nil {
		return nil, err
	}
	return sf, nil
}

// Close stops the site's servers. Start's caller need not call it.
func (s *Site) Close() {
	s.ctl.Close()
	s.ctlSrv.Close()
	s.faults.Reset()
	s.ep.Close()
	s.epSrv.Close()
	if s.gs != nil {
		s.gs.Close()
		s.gSrv.Close()
	}
}

// GenetecURL is the Web SDK's base URL, ending in /WebSdk/ ("" under
// WithoutGenetec).
func (s *Site) GenetecURL() string {
	if s.gSrv == nil {
		return ""
	}
	return s.gSrv.URL + genetec.Prefix
}

// GenetecUser is who a Web SDK client logs on as: the site's first enabled
// Security Center user (admin / pacsim on the default site) with Genetec's
// development application ID. Send them as HTTP Basic credentials
// "user;applicationID" and password. The visitor connector's own
// application is sim.GenetecVisitorsAppID.
func (s *Site) GenetecUser() (user, applicationID, password string) {
	for _, u := range s.world.File().Genetec.Users {
		if !u.Disabled {
			return u.Name, sim.GenetecDevAppID, u.Password
		}
	}
	return "", sim.GenetecDevAppID, ""
}

// Genetec is the simulated Security Center itself (nil under
// WithoutGenetec).
func (s *Site) Genetec() *genetec.Server { return s.gs }

// EntraPassURL is the SmartService base URL, ending in /SmartService/.
func (s *Site) EntraPassURL() string { return s.epSrv.URL + entrapass.Prefix }

// Operator is the site's first enabled EntraPass operator (pacsim / pacsim
// on the default site).
func (s *Site) Operator() (username, password string) { return s.operator.Name, s.operator.Password }

// ControlURL is the control API's base URL, ending in /v1.
func (s *Site) ControlURL() string { return s.ctlSrv.URL + "/v1" }

// EntraPassRequests returns the last requests SmartService answered,
// oldest first, secrets redacted (what GET /v1/entrapass/requests answers):
// what the driver under test sent. ClearEntraPassRequests empties it.
func (s *Site) EntraPassRequests() []control.LoggedRequest { return s.epReqs.Page().Requests }

// ClearEntraPassRequests empties SmartService's request log, so that a test
// asserts only what follows.
func (s *Site) ClearEntraPassRequests() { s.epReqs.Clear() }

// Control is the typed client of the site's control API.
func (s *Site) Control() *control.Client { return s.client }

// HTTPClient is an HTTP client for the site's head-ends: it trusts the
// test certificate of the Web SDK (HTTPS by default) and of SmartService
// under WithTLS (httptest gives both the same one).
func (s *Site) HTTPClient() *http.Client {
	if s.epSrv.TLS != nil {
		return s.epSrv.Client()
	}
	if s.gSrv != nil && s.gSrv.TLS != nil {
		return s.gSrv.Client()
	}
	return &http.Client{}
}

// TLSConfig is the client TLS configuration that trusts the site's
// certificate (nil without WithTLS).
func (s *Site) TLSConfig() *tls.Config {
	if s.epSrv.TLS == nil {
		return nil
	}
	return s.epSrv.Client().Transport.(*http.Transport).TLSClientConfig
}

// World is the simulated world itself, for tests that want to reach below
// the control API.
func (s *Site) World() *sim.World { return s.world }

// Faults is the site's fault plan.
func (s *Site) Faults() *fault.Plan { return s.faults }

// Now is the site time.
func (s *Site) Now() time.Time { return s.world.Now() }

// Advance moves the manual clock by d, firing due timers (relocks,
// open too long, timed activations, session expiry, fault windows). On a
// site started WithRealClock it fails the test Start was given, with
// Fatalf (so call it from the test's goroutine, as any Fatal); a site made
// by New has no test to fail, and panics.
func (s *Site) Advance(d time.Duration) {
	if s.clock == nil {
		msg := fmt.Sprintf("simtest: Advance(%v) on a site started WithRealClock: the real clock cannot be moved", d)
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("%s", msg)
			return
		}
		panic(msg)
	}
	s.clock.Advance(d)
}

// Present presents a card at a reader through the control API and returns
// the decision: a shortcut for Control().Present with a background context.
func (s *Site) Present(reader sim.ID, card, pin string) (control.Decision, error) {
	return s.client.Present(context.Background(), reader, card, pin)
}

// String names the site's addresses, for test logs.
func (s *Site) String() string {
	return fmt.Sprintf("simtest site: SmartService %s, Web SDK %s, control %s", s.EntraPassURL(), s.GenetecURL(), s.ControlURL())
}
