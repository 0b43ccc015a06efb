package entrapass

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
)

// WithBus makes the driver's registry publish its workflow events on bus (a
// new bus by default).
func WithBus(bus *asset.Bus) Option { return func(o *options) { o.bus = bus } }

// Driver is the EntraPass integration: it logs in to SmartService,
// discovers the doors (and their readers), inputs and outputs, keeps their
// statuses in an asset.Registry from the state rows, turns event rows into
// Last Access Events and Gateway Connection Changed, and carries out the
// hardware commands of the assets (it is the registry's asset.Hardware).
//
// Start runs the poll loop; PollOnce runs one cycle synchronously (tests
// call it instead of waiting for the loop). Both may be used together: cycles
// never overlap.
type Driver struct {
	cfg    Config
	log    *slog.Logger
	client *Client
	reg    *asset.Registry

	// cycleMu serialises cycles; everything below it up to cards is
	// guarded by it.
	cycleMu        sync.Mutex
	topo           *topology
	doorCtrl       map[int]int
	failed         map[int]bool // CONTROLLERFAILURE/CONTROLLEREXIST of every row
	statusID       uint64
	stateRows      RowBuffer // each state poll's rows, reused by the next
	syncedGen      uint64    // the client generation the registration and states belong to
	everSynced     bool
	relogin        bool // log in afresh at the next cycle
	infra          bool // gateways and controllers are registered for states
	events         *eventLog
	held           []Event // queued events of a new session, delivered after the history
	firstLogin     time.Time
	lastServerTime time.Time
	offset         time.Duration // local time of the server minus UTC
	offsetKnown    bool
	delivered      uint64
	recovered      uint64
	truncated      uint64 // resyncs whose history answer may have missed events
	lookups        int
	cycleStart     time.Time
	failures       int

	cards *cardCache

	// The state file (resume.go): its path, the deliveries counted at its
	// last write and when that was; resumed until the first resync after
	// reading it.
	stateFile string
	savedAt   uint64
	lastSave  time.Time
	resumed   bool

	// cfgErr is the *ConfigError of a driver made from an invalid
	// configuration (see New); it has no client then.
	cfgErr error

	mu      sync.Mutex // guards the run state and lastErr
	cancel  context.CancelFunc
	done    chan struct{}
	kick    chan struct{}
	lastErr error

	meter meter // metrics.go: counted on the poll path, read by scrapes
}

// New validates cfg and makes a driver. Its registry holds the System asset
// until the first cycle discovers the rest; every asset shows No
// Communication until it is read.
//
// An invalid cfg is refused with a *ConfigError naming the field, and
// nothing is ever sent. The driver New returns with it never connects: its
// System asset shows No Communication, which the integration document says
// the status also means ("the communication configuration … is invalid"),
// and Start, PollOnce and every command return the same error. Callers that
// only need the error may drop it.
func New(cfg Config, opts ...Option) (*Driver, error) {
	o := buildOptions(opts)
	c, err := NewClient(cfg, opts...)
	if err != nil {
		d := &Driver{cfg: cfg, log: o.logger, cfgErr: err, lastErr: err}
		d.reg = asset.NewRegistry(d, o.bus)
		d.log.Error("entrapass: the configuration is invalid; the driver will not connect and the System asset shows No Communication", "error", err)
		return d, err
	}
	d := &Driver{
		cfg:    c.cfg,
		log:    o.logger,
		client: c,
		failed: map[int]bool{},
		infra:  true,
		events: newEventLog(),
		cards:  newCardCache(),
	}
	d.reg = asset.NewRegistry(d, o.bus)
	if o.stateFile != "" {
		d.stateFile = o.stateFile
		d.events.keepTail = true
		st, err := loadResume(o.stateFile)
		switch {
		case err != nil:
			d.log.Error("entrapass: the state file cannot be read; starting afresh, events raised while the driver was stopped will not be delivered", "error", err)
		case st != nil:
			d.resume(st)
			d.resumed = true
		}
	}
	return d, nil
}

// Registry returns the driver's assets.
func (d *Driver) Registry() *asset.Registry { return d.reg }

// Bus returns the bus the workflow events go out on.
func (d *Driver) Bus() *asset.Bus { return d.reg.Bus() }

// Client returns the SmartService client the driver uses (nil for a driver
// made from an invalid configuration).
func (d *Driver) Client() *Client { return d.client }

// Config returns the configuration, defaults applied.
func (d *Driver) Config() Config { return d.cfg }

// Err returns the error of the last cycle, nil when it succeeded.
func (d *Driver) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastErr
}

// Start runs the poll loop until ctx ends or Stop: a cycle every Poll, and
// after a failed cycle a retry with capped exponential back-off (Poll,
// 2×Poll, … up to MaxBackoff).
func (d *Driver) Start(ctx context.Context) error {
	if d.cfgErr != nil {
		return d.cfgErr
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return errors.New("entrapass: driver already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	d.cancel, d.done, d.kick = cancel, make(chan struct{}), make(chan struct{}, 1)
	d.log.Info("entrapass: driver starting", "config", d.cfg)
	go d.run(ctx, d.done, d.kick)
	return nil
}

// Stop ends the poll loop (if Start ran it), logs out (freeing the session
// slot) and shows every asset as No Communication. The driver may be
// started again; stopping a stopped driver only logs out again, if needed.
func (d *Driver) Stop() {
	d.mu.Lock()
	cancel, done := d.cancel, d.done
	d.cancel, d.done, d.kick = nil, nil, nil
	d.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	d.cycleMu.Lock()
	defer d.cycleMu.Unlock()
	if d.events != nil {
		d.saveResume(true)
	}
	if d.client != nil && d.client.LoggedIn() {
		ctx, cancelLogout := context.WithTimeout(context.Background(), min(d.cfg.RequestTimeout, 5*time.Second))
		defer cancelLogout()
		if err := d.client.Logout(ctx); err != nil && !errors.Is(err, ErrSessionExpired) {
			d.log.Warn("entrapass: logout at stop failed (the session will idle out)", "error", err)
		}
	}
	d.syncedGen = 0
	d.markNoCommunication()
	if cancel != nil {
		d.log.Info("entrapass: driver stopped")
	}
}

func (d *Driver) run(ctx context.Context, done chan struct{}, kick chan struct{}) {
	refreshed := make(chan struct{})
	go func() {
		defer close(refreshed)
		d.refreshCards(ctx)
	}()
	defer close(done)
	defer func() { <-refreshed }() // no look-up may outlive Stop's logout
	for {
		start := time.Now()
		err := d.PollOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := d.cfg.Poll - time.Since(start)
		if err != nil {
			wait = d.backoff()
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-kick:
			t.Stop()
		}
	}
}

// backoff is the wait after the n-th failed cycle in a row: Poll × 2^(n-1),
// at most MaxBackoff.
func (d *Driver) backoff() time.Duration {
	d.cycleMu.Lock()
	n := d.failures
	d.cycleMu.Unlock()
	w := d.cfg.Poll
	for i := 1; i < n && w < d.cfg.MaxBackoff; i++ {
		w *= 2
	}
	return min(w, d.cfg.MaxBackoff)
}

// poke asks the loop for a cycle now (after a command, so its effect shows
// without waiting a whole interval).
func (d *Driver) poke() {
	d.mu.Lock()
	k := d.kick
	d.mu.Unlock()
	if k != nil {
		select {
		case k <- struct{}{}:
		default:
		}
	}
}

// errRelogged: the session changed under a poll; the cycle resynchronises.
var errRelogged = errors.New("session replaced during the poll")

// PollOnce runs one cycle: log in if needed (and discover the site the
// first time), resynchronise after a new session or a failure (register the
// components, read every state, fetch the events missed by history), then
// read the changed states and the new events. On failure every asset shows
// No Communication and the next cycle starts afresh.
func (d *Driver) PollOnce(ctx context.Context) error {
	if d.cfgErr != nil {
		return d.cfgErr
	}
	d.cycleMu.Lock()
	defer d.cycleMu.Unlock()
	d.lookups, d.cycleStart = 0, d.cards.now()
	err := d.cycle(ctx)
	d.mu.Lock()
	d.lastErr = err
	d.mu.Unlock()
	if err != nil {
		d.fail(ctx, err)
		return err
	}
	if d.failures > 0 {
		d.log.Info("entrapass: communication restored", "failed_cycles", d.failures)
		d.failures = 0
	}
	d.meter.cycleDone()
	d.saveResume(false)
	return nil
}

// fail records a failed cycle.
func (d *Driver) fail(ctx context.Context, err error) {
	d.failures++
	d.syncedGen = 0 // resynchronise, with history, at the next cycle
	if errors.Is(err, ErrUnreachable) || errors.Is(err, ErrHTTPStatus) || errors.Is(err, ErrMalformed) {
		// The server may have restarted: log in afresh (the old key is
		// logged out then, if the server still knows it).
		d.relogin = true
	}
	d.markNoCommunication()
	switch {
	case ctx.Err() != nil:
		d.log.Debug("entrapass: cycle interrupted", "error", err)
	case d.failures == 1:
		d.log.Error("entrapass: communication lost; every asset shows No Communication", "error", err)
	default:
		d.log.Warn("entrapass: still no communication", "failed_cycles", d.failures, "error", err)
	}
}

// markNoCommunication shows every asset as No Communication.
func (d *Driver) markNoCommunication() {
	if err := d.reg.UpdateAll(func(a *asset.Asset) error { return a.SetHardware(asset.NoCommunication) }); err != nil {
		d.log.Warn("entrapass: marking the assets No Communication failed", "error", err)
	}
}

func (d *Driver) cycle(ctx context.Context) error {
	if d.relogin || !d.client.LoggedIn() {
		if d.relogin {
			d.client.Forget()
		}
		if _, err := d.client.Login(ctx); err != nil {
			return err
		}
		d.relogin = false
	}
	if d.topo == nil {
		t, err := d.discover(ctx)
		if err != nil {
			return err
		}
		d.topo = t
		if err := d.addAssets(t); err != nil {
			d.log.Warn("entrapass: some assets could not be added", "error", err)
		}
	}
	for attempt := 0; attempt < 3; attempt++ {
		gen := d.client.Generation()
		if gen != d.syncedGen {
			if err := d.resync(ctx, gen); err != nil {
				return err
			}
			if d.client.Generation() != gen {
				continue
			}
		}
		rows, err := d.client.StatesInto(ctx, d.statusID, &d.stateRows)
		d.meter.poll(pollStates, err)
		if err != nil {
			return err
		}
		if d.client.Generation() != gen {
			continue // rows of a session that registered nothing yet
		}
		if top := d.applyStates(rows); top > 0 {
			d.statusID = top
		}
		err = d.pollEvents(ctx, gen)
		if errors.Is(err, errRelogged) {
			continue
		}
		return err
	}
	return fmt.Errorf("entrapass: the session was replaced three times during one cycle: %w", ErrSessionExpired)
}

// resync registers the components for states, reads every state (statusID
// 0) and, unless this is the first session, delivers the events missed
// while the session was lost, then the queued events held meanwhile.
func (d *Driver) resync(ctx context.Context, gen uint64) error {
	op, _ := d.client.Operator()
	ids := d.topo.registration(d.infra)
	err := d.client.RegisterStates(ctx, ids)
	var f *Fault
	if err != nil && d.infra && errors.As(err, &f) && !errors.Is(err, ErrSessionExpired) {
		d.log.Warn("entrapass: the server refused to register gateways and controllers; the System asset follows the components' own rows", "error", err)
		d.infra = false
		err = d.client.RegisterStates(ctx, d.topo.registration(false))
	}
	if err != nil {
		return err
	}
	rows, err := d.client.StatesInto(ctx, 0, &d.stateRows)
	d.meter.poll(pollStates, err)
	if err != nil {
		return err
	}
	if d.client.Generation() != gen {
		return nil // the caller sees the new generation and starts again
	}
	clear(d.failed)
	d.statusID = 0
	if top := d.applyStates(rows); top > 0 {
		d.statusID = top
	}
	if d.everSynced {
		start := d.historyStart()
		hist, err := d.client.EventHistory(ctx, start)
		d.meter.poll(pollEvents, err)
		var f *Fault
		switch {
		case err != nil && errors.As(err, &f) && !errors.Is(err, ErrSessionExpired):
			// The server refuses the history (its answer, not the
			// transport): carry on without it rather than never recover.
			d.log.Error("entrapass: the event history was refused; events raised while the session was lost may be missing", "error", err)
			hist = nil
		case err != nil:
			return err
		}
		floor := d.firstLogin
		if hz := d.events.horizon(); hz.After(floor) {
			floor = hz
		}
		// The history answer holds one batch, the newest events: when it is
		// full and starts after the last event delivered, events between
		// the two were lost with the session, and no request reaches them.
		if known := d.lastServerTime; len(hist) >= d.cfg.EventBatch && hist[0].Time.After(known) {
			d.truncated++
			d.log.Error("entrapass: the event history answer was full; events raised while the session was lost, between these two times, may be missing",
				"last_delivered", known, "oldest_in_history", hist[0].Time, "history_rows", len(hist))
		}
		missed := d.events.fromHistory(hist, floor)
		d.deliver(ctx, missed)
		d.recovered += uint64(len(missed))
		d.log.Info("entrapass: resynchronised", "states", len(rows), "history_from", start.Format("2006-01-02"),
			"history_rows", len(hist), "missed_events_delivered", len(missed))
		if d.resumed {
			d.resumed = false
			d.cards.warmSoon()
		}
	} else {
		d.firstLogin = op.UTCDateTime.Truncate(time.Second)
		if d.firstLogin.IsZero() {
			d.firstLogin = time.Now().UTC().Truncate(time.Second)
		}
		d.log.Info("entrapass: synchronised", "states", len(rows))
		d.cards.warmSoon()
	}
	if op.UTCDateTime.After(d.lastServerTime) {
		d.lastServerTime = op.UTCDateTime
	}
	held := d.held
	d.held = nil
	d.deliverQueued(ctx, held)
	d.everSynced = true
	d.syncedGen = gen
	return nil
}

// historyStart is the day (server local date) from which the history is
// read: the day of the last moment the driver knows it was in touch (the
// latest event or login), or the day before when the server's offset from
// UTC is not known yet.
func (d *Driver) historyStart() time.Time {
	ref := d.lastServerTime
	if ref.IsZero() {
		ref = d.firstLogin
	}
	if d.offsetKnown {
		ref = ref.Add(d.offset)
	} else {
		ref = ref.Add(-14 * time.Hour) // the widest UTC offset
	}
	return time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
}

// pollEvents reads the session's queue, again at once while answers come
// full. From the second full answer in a row (a backlog: a burst, or a site
// raising events faster than one answer a poll), the next answer is fetched
// while the current one is delivered, so the server encodes it and the
// transport carries it on the other core instead of after the delivery. A
// single full answer is not enough: the next would hold only the events of
// the last moments, which then wait for the whole delivery instead of
// being fetched after it (at a steady 10,000 events/s, p50 57 → 67 ms).
func (d *Driver) pollEvents(ctx context.Context, gen uint64) error {
	type answer struct {
		evs []Event
		err error
		gen uint64 // the session the answer came from
	}
	fetch := func() answer {
		evs, err := d.client.Events(ctx)
		d.meter.poll(pollEvents, err)
		return answer{evs, err, d.client.Generation()}
	}
	const maxRounds = 100
	cur := fetch()
	for round := 1; ; round++ {
		if cur.err != nil {
			return cur.err
		}
		if cur.gen != gen {
			d.held = append(d.held, cur.evs...)
			return errRelogged
		}
		more := len(cur.evs) >= d.cfg.EventBatch && round < maxRounds
		var next chan answer
		if more && round > 1 {
			next = make(chan answer, 1)
			go func() { next <- fetch() }()
		}
		d.deliverQueued(ctx, cur.evs)
		switch {
		case !more:
			d.events.prune()
			return nil
		case next != nil:
			cur = <-next
		default:
			cur = fetch()
		}
	}
}

// deliverQueued delivers queued events, less those already delivered from
// the history.
func (d *Driver) deliverQueued(ctx context.Context, evs []Event) {
	out := make([]Event, 0, len(evs))
	for i := range evs {
		if d.events.fromQueue(&evs[i]) {
			out = append(out, evs[i])
		}
	}
	d.deliver(ctx, out)
}

// Stats are counters of the driver, for diagnostics and tests.
type Stats struct {
	// Delivered counts the events delivered (each once).
	Delivered uint64
	// Recovered counts those delivered from the history after a lost
	// session or a failure.
	Recovered uint64
	// HistoryTruncated counts the resynchronisations whose history answer
	// was full and did not reach back to the last event delivered: events
	// in between may be missing (the history holds one batch, the newest).
	HistoryTruncated uint64
	// Failures counts the failed cycles in a row (0 when the last
	// succeeded).
	Failures int
	// Generation counts the logins.
	Generation uint64
}

// Stats returns the driver's counters.
func (d *Driver) Stats() Stats {
	d.cycleMu.Lock()
	defer d.cycleMu.Unlock()
	st := Stats{Delivered: d.delivered, Recovered: d.recovered, HistoryTruncated: d.truncated, Failures: d.failures}
	if d.client != nil {
		st.Generation = d.client.Generation()
	}
	return st
}

// Do carries out a hardware command on the server (asset.Hardware). The
// registry has already checked that the asset's type supports the command
// and that its parameter is in range.
//
//	Door    Lock → LockDoor, Unlock → unlockDoor, Pass n → TemporarilyUnlockDoor delay=n
//	Reader  Disable Reader → DisableReader, Enable Reader → EnableReader (id = its Door ID)
//	Output  Activate Output → ActivateRelay, Deactivate Output → DeactivateRelay,
//	        Timed Activation n → TemporarilyActivateRelay delay=n
func (d *Driver) Do(ctx context.Context, ref asset.Ref, cmd asset.Command) error {
	if d.cfgErr != nil {
		return d.cfgErr
	}
	snap, err := d.reg.Get(ref)
	if err != nil {
		return err
	}
	id := func(prop string) (int, error) {
		n, err := strconv.Atoi(snap.Properties[prop])
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s: %q %q is not a component id", ref, prop, snap.Properties[prop])
		}
		return n, nil
	}
	c := d.client
	switch ref.Type {
	case asset.Door:
		door, err := id(asset.PropDoorID)
		if err != nil {
			return err
		}
		switch cmd.Name {
		case asset.Lock:
			err = c.LockDoor(ctx, door)
		case asset.Unlock:
			err = c.UnlockDoor(ctx, door)
		case asset.Pass:
			err = c.TemporarilyUnlockDoor(ctx, door, cmd.Seconds)
		default:
			err = fmt.Errorf("%w: %s on a door", asset.ErrUnsupported, cmd.Name)
		}
		if err != nil {
			return err
		}
	case asset.Reader:
		door, err := id(asset.PropDoorID)
		if err != nil {
			return err
		}
		switch cmd.Name {
		case asset.DisableReader:
			err = c.DisableReader(ctx, door, false)
		case asset.EnableReader:
			err = c.EnableReader(ctx, door, false)
		default:
			err = fmt.Errorf("%w: %s on a reader", asset.ErrUnsupported, cmd.Name)
		}
		if err != nil {
			return err
		}
	case asset.Output:
		out, err := id(asset.PropOutputID)
		if err != nil {
			return err
		}
		switch cmd.Name {
		case asset.ActivateOutput:
			err = c.ActivateRelay(ctx, out)
		case asset.DeactivateOutput:
			err = c.DeactivateRelay(ctx, out)
		case asset.TimedActivation:
			err = c.TemporarilyActivateRelay(ctx, out, cmd.Seconds)
		default:
			err = fmt.Errorf("%w: %s on an output", asset.ErrUnsupported, cmd.Name)
		}
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: %s on a %s", asset.ErrUnsupported, cmd.Name, ref.Type.Title())
	}
	d.log.Info("entrapass: command carried out", "asset", ref.String(), "command", cmd.String())
	d.poke()
	return nil
}
