package genetec

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// Clock is where the connector reads the time: the wall clock by default,
// the simulated site's clock in tests (sim.ManualClock has Now).
type Clock interface{ Now() time.Time }

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// Defaults of Config.
const (
	DefaultEndOfDay = "23:59"
	DefaultAppID    = "pacsim-visitors"
	DefaultURL      = "https://localhost:4590/WebSdk/"
	// MinVersion is the oldest Security Center the document supports (5.7).
	minMajor, minMinor = 5, 7
	// LicencePart is the add-on module the document requires.
	LicencePart = "GSC-1SDK-TRACTIONGUEST-VM"
)

// Config configures a Connector.
type Config struct {
	// Store keeps providers, badges, user groups and visits (required).
	Store *store.Store
	// Clock is the connector's time (default the wall clock).
	Clock Clock
	// EndOfDay is when visits end, "HH:MM" in Location (default 23:59).
	EndOfDay string
	// Location is the time zone of EndOfDay (default the machine's).
	Location *time.Location
	// HTTPClient, when set, is the Web SDK client's HTTP client (tests:
	// one that trusts the simulated Security Center's certificate).
	HTTPClient *http.Client
	// Timeout bounds each Security Center request (default 10 s).
	Timeout time.Duration
	// RetryMin and RetryMax bound the back-off of pending deactivations
	// (default 1 s and 10 s).
	RetryMin, RetryMax time.Duration
	// Logger logs what the connector does; never a password.
	Logger *slog.Logger
}

// Connector provisions visitor badges in Security Center. Its methods are
// safe for concurrent use.
type Connector struct {
	cfg      Config
	st       *store.Store
	now      func() time.Time
	eodH     int
	eodM     int
	log      *slog.Logger
	mu       sync.Mutex // guards clients, followers, inflight
	clients  map[string]*websdk.Client
	versions map[string]string      // provider id → version checked
	inflight map[string]*sync.Mutex // a lock per visit's deactivation
	follow   map[string]*follower
	wake     chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	reached  atomic.Bool // Security Center answered once (Ready)
	meter    meter       // metrics.go

	// hook, when set (tests), is called at named points; an error it
	// returns stops the operation there, as a crash would.
	hook func(point string) error
}

// New opens a connector on its store. Start runs its background work.
func New(cfg Config) (*Connector, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("genetec: Config.Store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = wallClock{}
	}
	if cfg.EndOfDay == "" {
		cfg.EndOfDay = DefaultEndOfDay
	}
	h, m, err := parseHHMM(cfg.EndOfDay)
	if err != nil {
		return nil, fmt.Errorf("genetec: end of day: %w", err)
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Connector{cfg: cfg, st: cfg.Store, now: cfg.Clock.Now, eodH: h, eodM: m, log: cfg.Logger,
		clients: map[string]*websdk.Client{}, versions: map[string]string{}, inflight: map[string]*sync.Mutex{},
		follow: map[string]*follower{}, wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel}, nil
}

func parseHHMM(s string) (int, int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(hh) != 2 || len(mm) != 2 || h > 23 || m > 59 || h < 0 || m < 0 {
		return 0, 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return h, m, nil
}

// SetHook sets a test hook called at named points ("provision:stored",
// "deactivate:stored"); an error it returns stops the operation there, as
// if the process had died.
func (c *Connector) SetHook(fn func(point string) error) { c.hook = fn }

func (c *Connector) at(point string) error {
	if c.hook != nil {
		return c.hook(point)
	}
	return nil
}

// Start finishes the work a previous run left (pending deactivations,
// visits past their end of day, visits caught half-provisioned), then runs
// the retry loop, the end-of-day check (every second of wall time) and the
// event followers until Close.
func (c *Connector) Start() {
	c.Recover(c.ctx)
	c.wg.Add(2)
	go c.retryLoop()
	go c.dayLoop()
	provs, _ := store.List[storedProvider](c.st, bucketProviders)
	for _, p := range provs {
		c.startFollower(p.ID)
	}
}

// Close stops the background work and waits for it.
func (c *Connector) Close() {
	c.cancel()
	c.mu.Lock()
	for _, f := range c.follow {
		f.stop()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// client returns the Web SDK client of a provider, made from what the store
// holds.
func (c *Connector) client(providerID string) (*websdk.Client, *storedProvider, error) {
	p, ok, err := store.Get[storedProvider](c.st, bucketProviders, providerID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, notFound("no provider has id %q", clip(providerID))
	}
	c.mu.Lock()
	cl := c.clients[providerID]
	c.mu.Unlock()
	if cl != nil {
		return cl, &p, nil
	}
	pass, err := c.st.Unseal(p.SealedPassword)
	if err != nil {
		return nil, nil, err
	}
	cl, err = c.newClient(p.URL, p.Username, pass, p.AppID, p.Insecure)
	if err != nil {
		return nil, nil, badRequest("provider %s: %v", p.ID, err)
	}
	c.mu.Lock()
	c.clients[providerID] = cl
	c.mu.Unlock()
	return cl, &p, nil
}

func (c *Connector) newClient(url, user, pass, app string, insecure bool) (*websdk.Client, error) {
	return websdk.New(websdk.Config{URL: url, Username: user, AppID: app, Password: pass, Insecure: insecure,
		Timeout: c.cfg.Timeout, HTTPClient: c.cfg.HTTPClient})
}

// forget drops a provider's client (its settings changed or it was deleted).
func (c *Connector) forget(providerID string) {
	c.mu.Lock()
	delete(c.clients, providerID)
	delete(c.versions, providerID)
	c.mu.Unlock()
}

// checkVersion refuses a Security Center older than 5.7, once per client.
func (c *Connector) checkVersion(ctx context.Context, providerID string, cl *websdk.Client) (string, error) {
	c.mu.Lock()
	v, ok := c.versions[providerID]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	major, minor, full, err := cl.ServerVersion(ctx)
	if err != nil {
		return "", err
	}
	c.reached.Store(true)
	if major < minMajor || major == minMajor && minor < minMinor {
		return full, fmt.Errorf("Security Center %s is older than 5.7, which this integration requires", full)
	}
	if providerID != "" {
		c.mu.Lock()
		c.versions[providerID] = full
		c.mu.Unlock()
	}
	return full, nil
}

// endOfDay is the first end of day after t, in the connector's zone.
func (c *Connector) endOfDay(t time.Time) time.Time {
	l := t.In(c.cfg.Location)
	e := time.Date(l.Year(), l.Month(), l.Day(), c.eodH, c.eodM, 0, 0, c.cfg.Location)
	if !e.After(l) {
		e = time.Date(l.Year(), l.Month(), l.Day()+1, c.eodH, c.eodM, 0, 0, c.cfg.Location)
	}
	return e
}

// clip quotes at most 60 bytes of client input in a message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 60
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
