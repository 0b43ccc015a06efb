// Package steps is the step vocabulary of pacsim's conformance suite: the
// Gherkin phrases of features/*.feature, in plain domain language (doors,
// readers, inputs and outputs by name, cards by number, times in seconds),
// and the per-scenario World they act on.
//
// Each scenario gets its own World: a simulated site (sim.World) on its own
// manual clock, the simulated EntraPass SmartService behind a fault plan,
// served by httptest on 127.0.0.1:0, and the real EntraPass driver
// (driver/entrapass) polling it synchronously. Nothing is shared between
// scenarios, so they run in parallel. After every step that changes the
// world, the steps run one driver cycle (PollOnce), so an assertion sees the
// new state deterministically, with no sleep.
//
// Every step is declared once, in the table of Steps, with its doc string
// and an example; Register binds them to a godog.ScenarioContext, and the
// step reference (features/STEPS.md) is generated from the same table.
package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
	gsim "github.com/pacsim/pacsim/sim/genetec"
)

// BreakEnv names an environment variable that deliberately breaks one
// behaviour, to show how a failure reads. Its only value is
// "pass-no-relock": the operator's Pass to a door goes to the server as
// TemporarilyUnlockDoor for the longest delay (18 h) instead of the seconds
// asked, as a driver whose Pass does not relock would, so the door stays
// unlocked after Seconds Unlocked. Never set it in CI.
const BreakEnv = "PACSIM_FEATURES_BREAK"

// World is one scenario's simulated site, server, driver and what the
// steps observed.
type World struct {
	sf   *sim.SiteFile
	clk  *sim.ManualClock
	w    *sim.World
	srv  *epsim.Server
	plan *fault.Plan
	ts   *httptest.Server
	addr string
	gs   *gsim.Server     // the simulated Genetec Web SDK
	gts  *httptest.Server // serving gs over HTTPS

	mu       sync.Mutex
	requests []string // "METHOD path" of every request the server received

	cfg       entrapass.Config
	drv       *entrapass.Driver
	psim      *psim         // the PSIM's client of the driver's northbound API (psim.go)
	events    []asset.Event // the workflow events the PSIM received
	streamErr error         // the event stream's failure, once seen
	logs      *logBuffer
	logs2     *dataserver.LogStream
	pollErrs  []error // one entry per poll since the last reset of the count
	pollErr   error   // the last poll's error
	cfgErr    error   // the last configuration's error

	statePath string    // the driver's state file (entrapass.WithStateFile)
	began     time.Time // the wall clock when the scenario began

	cmdErr   error // the last command tried
	cmdMark  int   // len(requests) when it was tried
	presents []presentation
	presErr  error

	users     *entrapass.Users
	auditPath string
	userErr   error
	userIDs   map[string]int // card number → card user id, as added
	batchFrom time.Time
	batchDoor int
	batch     []entrapass.BatchCard

	aliases map[string]asset.Ref // assets added by a scenario, by name

	faultIDs []string
	probe    []int // HTTP statuses of the last probe requests

	dsURL      string
	debugPort  int  // the Debug Tools port the scenario named: its client reads there
	holdsPorts bool // the scenario holds defaultPorts
	logLine    <-chan string

	vis *visitors     // the Genetec visitor connector (visitor_steps.go), once started
	gen GenetecTarget // a real Security Center for it; zero: the simulated one

	cleanup []func()
}

// newWorld returns an empty World; a Given step builds its site.
func newWorld() *World {
	return &World{userIDs: map[string]int{}, aliases: map[string]asset.Ref{}, began: time.Now()}
}

// Close stops everything the scenario started.
func (w *World) Close() {
	for i := len(w.cleanup) - 1; i >= 0; i-- {
		w.cleanup[i]()
	}
	w.cleanup = nil
}

func (w *World) defer_(f func()) { w.cleanup = append(w.cleanup, f) }

func ctxT() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// build serves sf: the world on a manual clock at the site's start time,
// the SmartService behind a fault plan, on 127.0.0.1:0.
func (w *World) build(sf *sim.SiteFile) error {
	if w.w != nil {
		return errors.New("the site is already built: give one site step per scenario")
	}
	w.sf = sf
	w.clk = sim.NewManualClock(sf.StartTime())
	world, err := sim.New(sf, sim.WithClock(w.clk))
	if err != nil {
		return fmt.Errorf("the simulated site: %w", err)
	}
	srv, err := epsim.New(world)
	if err != nil {
		return fmt.Errorf("the simulated SmartService: %w", err)
	}
	gs, err := gsim.New(world)
	if err != nil {
		return fmt.Errorf("the simulated Genetec Web SDK: %w", err)
	}
	w.w, w.srv, w.gs = world, srv, gs
	opts := []fault.Option{fault.WithClock(w.clk), fault.WithSessionExpirer(fault.TargetGenetec, gs)}
	if e, ok := any(srv).(fault.SessionExpirer); ok {
		opts = append(opts, fault.WithSessionExpirer(fault.TargetEntraPass, e))
	}
	w.plan = fault.New(world, opts...)
	w.ts = httptest.NewServer(w.handler())
	w.addr = w.ts.Listener.Addr().String()
	// The Web SDK over HTTPS, as the real role with SSL on: faults with
	// target genetec act on it.
	w.gts = httptest.NewTLSServer(w.plan.Middleware(string(fault.TargetGenetec), gs.Handler()))
	w.defer_(func() {
		w.ts.Close()
		srv.Close()
		gs.Close()
		w.gts.Close()
	})
	return nil
}

// handler is the SmartService behind the fault plan, recording each request.
func (w *World) handler() http.Handler {
	h := w.plan.Middleware(string(fault.TargetEntraPass), w.srv.Handler())
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.requests = append(w.requests, r.Method+" "+r.URL.Path)
		w.mu.Unlock()
		h.ServeHTTP(rw, r)
	})
}

func (w *World) requestCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.requests)
}

func (w *World) requestsSince(n int) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n > len(w.requests) {
		return nil
	}
	return append([]string(nil), w.requests[n:]...)
}

// needSite fails a step that needs a site before one was given.
func (w *World) needSite() error {
	if w.w == nil {
		return errors.New(`no site: start the scenario with "Given the default site"`)
	}
	return nil
}

// needDriver fails a step that needs the driver before it was configured.
func (w *World) needDriver() error {
	if err := w.needSite(); err != nil {
		return err
	}
	if w.drv == nil && w.cfgErr != nil {
		return fmt.Errorf("there is no driver, so no asset: its configuration was refused (%v)", w.cfgErr)
	}
	if w.drv == nil {
		return errors.New(`no driver: add "And the driver is connected"`)
	}
	return nil
}

// baseConfig is the driver configuration for this site with user and
// password: a 100 ms poll interval (the shortest), 5 s request timeout.
func (w *World) baseConfig(user, password string) (entrapass.Config, error) {
	host, port, err := net.SplitHostPort(w.addr)
	if err != nil {
		return entrapass.Config{}, err
	}
	p, _ := strconv.Atoi(port)
	return entrapass.Config{Host: host, Port: p, Username: user, Password: password,
		Poll: 100 * time.Millisecond, RequestTimeout: 5 * time.Second, EventBatch: w.sf.EntraPass.EventBatch}, nil
}

// startDriver makes the driver from cfg (its logs in a buffer and the
// Debug Tools stream); a refused configuration is kept in cfgErr, beside
// the driver that will not connect.
func (w *World) startDriver(cfg entrapass.Config) error {
	if w.drv != nil {
		return errors.New("the driver is already configured")
	}
	w.cfg = cfg
	w.logs = &logBuffer{}
	w.logs2 = dataserver.NewLogStream()
	w.defer_(w.logs2.Close)
	h := slog.New(teeHandler{
		slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}),
		w.logs2.SlogHandler(&slog.HandlerOptions{Level: slog.LevelDebug}),
	})
	// A refused configuration still gives a driver: one that never
	// connects, its System asset showing No Communication.
	state, err := w.stateFile()
	if err != nil {
		return err
	}
	d, err := entrapass.New(cfg, entrapass.WithLogger(h), entrapass.WithStateFile(state))
	w.cfgErr = err
	if d == nil {
		return nil
	}
	p, err := openPSIM(d.Registry())
	if err != nil {
		d.Stop()
		return fmt.Errorf("the PSIM's connection to the driver's northbound API: %w", err)
	}
	w.drv, w.psim = d, p
	w.defer_(func() {
		p.stop()
		d.Stop()
	})
	return nil
}

// stateFile is the path of the driver's state file, in a directory of the
// scenario's own: a driver started again finds its place in it.
func (w *World) stateFile() (string, error) {
	if w.statePath == "" {
		dir, err := os.MkdirTemp("", "pacsim-driver-")
		if err != nil {
			return "", err
		}
		w.defer_(func() { os.RemoveAll(dir) })
		w.statePath = filepath.Join(dir, "driver-state.json")
	}
	return w.statePath, nil
}

// poll runs one driver cycle, keeping its error, and collects the workflow
// events it published.
func (w *World) poll() error {
	if w.drv == nil {
		return nil
	}
	ctx, cancel := ctxT()
	defer cancel()
	err := w.drv.PollOnce(ctx)
	w.pollErr = err
	w.pollErrs = append(w.pollErrs, err)
	w.drain()
	return err
}

// drain reads the driver's event stream, as the PSIM receives it, up to the
// last event the driver published; a stream that lost, garbled or stopped
// delivering events is kept in streamErr, which every observing step
// reports.
func (w *World) drain() {
	if w.psim == nil || w.drv == nil {
		return
	}
	evs, err := w.psim.until(w.drv.Bus().Published())
	w.events = append(w.events, evs...)
	if err != nil && w.streamErr == nil {
		w.streamErr = err
	}
}

// advance moves the site clock, then polls.
func (w *World) advance(d time.Duration) {
	w.clk.Advance(d)
	_ = w.poll()
}

// ids of the simulated site by name.

func (w *World) idOf(kind sim.Kind, name string) (sim.ID, error) {
	if err := w.needSite(); err != nil {
		return 0, err
	}
	return w.w.FindByName(kind, name)
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// ref is the driver asset of the given type named name: a door, output or
// input by its name; a reader by its reader's name (the driver has one
// Reader asset per door, reader/<door id>, for the door's first reader).
func (w *World) ref(typ, name string) (asset.Ref, error) {
	if r, ok := w.aliases[strings.ToLower(typ+"/"+name)]; ok {
		return r, nil
	}
	switch typ {
	case "door":
		id, err := w.idOf(sim.KindDoor, name)
		return asset.Ref{Type: asset.Door, ID: int(id)}, err
	case "reader":
		id, err := w.idOf(sim.KindReader, name)
		if err != nil {
			return asset.Ref{}, err
		}
		rs, err := w.w.Reader(id)
		if err != nil {
			return asset.Ref{}, err
		}
		if rs.Second {
			return asset.Ref{}, fmt.Errorf("reader %q is its door's second reader: the driver's Reader asset is the first reader of each door (the second shows as the property %q)", name, entrapass.PropReader2Disabled)
		}
		return asset.Ref{Type: asset.Reader, ID: int(rs.Door)}, nil
	case "output":
		id, err := w.idOf(sim.KindOutput, name)
		return asset.Ref{Type: asset.Output, ID: int(id)}, err
	case "input":
		id, err := w.idOf(sim.KindInput, name)
		return asset.Ref{Type: asset.Input, ID: int(id)}, err
	case "system":
		return asset.SystemRef, nil
	}
	return asset.Ref{}, fmt.Errorf("unknown asset type %q (door, reader, output, input)", typ)
}

func (w *World) snapshot(ref asset.Ref) (asset.Snapshot, error) {
	if err := w.needDriver(); err != nil {
		return asset.Snapshot{}, err
	}
	if w.streamErr != nil {
		return asset.Snapshot{}, w.streamErr
	}
	return w.psim.asset(ref)
}

// assets lists the driver's assets as the PSIM reads them (GET /assets).
func (w *World) assets() ([]asset.Snapshot, error) {
	if err := w.needDriver(); err != nil {
		return nil, err
	}
	if w.streamErr != nil {
		return nil, w.streamErr
	}
	return w.psim.assets()
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

// teeHandler sends each record to both handlers.
type teeHandler [2]slog.Handler

func (t teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return t[0].Enabled(ctx, l) || t[1].Enabled(ctx, l)
}

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	err0 := t[0].Handle(ctx, r.Clone())
	err1 := t[1].Handle(ctx, r.Clone())
	return errors.Join(err0, err1)
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{t[0].WithAttrs(as), t[1].WithAttrs(as)}
}

func (t teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{t[0].WithGroup(name), t[1].WithGroup(name)}
}

// users returns the card-user administration over the driver's client,
// recording in an audit file of the scenario's own.
func (w *World) cardUsers() (*entrapass.Users, error) {
	if w.users != nil {
		return w.users, nil
	}
	if err := w.needDriver(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pacsim-features-")
	if err != nil {
		return nil, err
	}
	w.defer_(func() { os.RemoveAll(dir) })
	w.auditPath = filepath.Join(dir, "audit.jsonl")
	a, err := entrapass.OpenAudit(w.auditPath)
	if err != nil {
		return nil, err
	}
	w.defer_(func() { a.Close() })
	u, err := entrapass.NewUsers(w.drv.Client(), a, "jane.admin")
	if err != nil {
		return nil, err
	}
	w.users = u
	return u, nil
}
