package sim

import (
	"fmt"
	"sync"
	"time"
)

// World is a running simulated site: its components, their states and
// timers, the journal, and the head-end that decides access.
type World struct {
	mu        sync.Mutex
	file      *SiteFile
	clock     Clock
	journal   *Journal
	decider   Decider
	loc       *time.Location
	schedules map[int]*Schedule

	gateways    []*gateway
	sites       []*site
	controllers []*controller
	doors       []*door
	readers     []*reader
	inputs      []*input
	outputs     []*output
	index       index

	// version counts state changes; each component remembers the version
	// of its last change, so a head-end asks "what changed since n".
	version uint64
	// held are events raised behind a cut controller or gateway, in the
	// order they happened, waiting for it to come back.
	held []Event

	// schedule fires at the next change of any door's unlock schedule.
	schedule timer
}

type ref struct {
	kind Kind
	i    int
}

// Option configures a World.
type Option func(*World)

// WithClock sets the world's clock (default: a ManualClock at the site's start).
func WithClock(c Clock) Option { return func(w *World) { w.clock = c } }

// WithDecider sets who decides access (default: every card is unknown).
func WithDecider(d Decider) Option { return func(w *World) { w.decider = d } }

// WithJournal sets the journal (default: one keeping the site file's retention).
func WithJournal(j *Journal) Option { return func(w *World) { w.journal = j } }

// New builds a world from a validated site file, every component at rest:
// doors closed and locked (or unlocked if their schedule says so), readers
// enabled, inputs normal, outputs inactive, controllers and gateways online.
func New(sf *SiteFile, opts ...Option) (*World, error) {
	if sf == nil {
		return nil, fmt.Errorf("%w: no site file", ErrSiteFile)
	}
	w := &World{file: sf}
	for _, o := range opts {
		o(w)
	}
	// The world is built from the hardware while the card users are still
	// being checked (validateThen).
	if err := sf.validateThen(func() {
		w.loc, w.schedules = sf.Location(), sf.CompileSchedules()
		if w.clock == nil {
			w.clock = NewManualClock(sf.StartTime())
		}
		if w.journal == nil {
			w.journal = NewJournal(sf.JournalRetention)
		}
		if w.decider == nil {
			w.decider = denyAll
		}
		w.schedule.fn = w.onSchedule
		w.mu.Lock()
		w.build()
		w.mu.Unlock()
	}); err != nil {
		return nil, err
	}
	return w, nil
}

// build creates every component from the file, at rest. Called locked.
func (w *World) build() {
	n := 0
	for _, g := range w.file.Gateways {
		for _, s := range g.Sites {
			for _, c := range s.Controllers {
				n += 1 + len(c.Inputs) + len(c.Outputs)
				for _, d := range c.Doors {
					n += 1 + len(d.Readers)
				}
			}
		}
	}
	w.gateways, w.sites, w.controllers = nil, nil, nil
	w.doors, w.readers, w.inputs, w.outputs = nil, nil, nil, nil
	w.index = newIndex(n)
	name := w.file.Name
	mk := func(id ID, nm string) base { return base{id: id, guid: GUID(name, id), name: nm} }
	for gi := range w.file.Gateways {
		gs := &w.file.Gateways[gi]
		g := &gateway{base: mk(gs.ID, gs.Name), connected: true}
		w.index.put(g.id, ref{KindGateway, len(w.gateways)})
		w.gateways = append(w.gateways, g)
		for si := range gs.Sites {
			ss := &gs.Sites[si]
			s := &site{base: mk(ss.ID, ss.Name), gw: g}
			w.index.put(s.id, ref{KindSite, len(w.sites)})
			w.sites = append(w.sites, s)
			g.sites = append(g.sites, s)
			for ci := range ss.Controllers {
				cs := &ss.Controllers[ci]
				c := &controller{base: mk(cs.ID, cs.Name), site: s, gw: g, model: Models[cs.Model]}
				w.index.put(c.id, ref{KindController, len(w.controllers)})
				w.controllers = append(w.controllers, c)
				g.controllers = append(g.controllers, c)
				for di := range cs.Doors {
					ds := &cs.Doors[di]
					d := &door{base: mk(ds.ID, ds.Name), ctrl: c, spec: ds, contact: ContactClosed}
					d.relock.fn = func() { w.onRelock(d) }
					d.contactT.fn = func() { w.onContact(d) }
					if ds.UnlockSchedule != 0 {
						d.unlockSchedule = w.schedules[ds.UnlockSchedule]
					}
					w.index.put(d.id, ref{KindDoor, len(w.doors)})
					w.doors = append(w.doors, d)
					c.doors = append(c.doors, d)
					for ri := range ds.Readers {
						rs := &ds.Readers[ri]
						r := &reader{base: mk(rs.ID, rs.Name), door: d, keypad: rs.Keypad, enabled: true, second: ri == 1}
						w.index.put(r.id, ref{KindReader, len(w.readers)})
						w.readers = append(w.readers, r)
						d.readers = append(d.readers, r)
					}
					d.lock = w.baseLock(d)
				}
				for ii := range cs.Inputs {
					is := &cs.Inputs[ii]
					in := &input{base: mk(is.ID, is.Name), ctrl: c}
					in.shunt.fn = func() { w.onShuntEnd(in) }
					w.index.put(in.id, ref{KindInput, len(w.inputs)})
					w.inputs = append(w.inputs, in)
					c.inputs = append(c.inputs, in)
				}
				for oi := range cs.Outputs {
					os := &cs.Outputs[oi]
					o := &output{base: mk(os.ID, os.Name), ctrl: c}
					o.tempo.fn = func() { w.onTempoEnd(o) }
					w.index.put(o.id, ref{KindOutput, len(w.outputs)})
					w.outputs = append(w.outputs, o)
					c.outputs = append(c.outputs, o)
				}
			}
		}
	}
	w.version++
	for _, r := range w.index.all() {
		w.baseOf(r).version = w.version
	}
	w.armSchedule()
}

func (w *World) baseOf(r ref) *base {
	switch r.kind {
	case KindGateway:
		return &w.gateways[r.i].base
	case KindSite:
		return &w.sites[r.i].base
	case KindController:
		return &w.controllers[r.i].base
	case KindDoor:
		return &w.doors[r.i].base
	case KindReader:
		return &w.readers[r.i].base
	case KindInput:
		return &w.inputs[r.i].base
	default:
		return &w.outputs[r.i].base
	}
}

// Reset returns every component to its state at start, stops every timer
// and drops events held behind cut controllers. The journal carries on, so
// cursors stay valid; the clock is not moved.
func (w *World) Reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Disarm, not just stop: a callback already on its way (a RealClock
	// timer that fired, or a ManualClock timer popped by a concurrent
	// Advance, waiting for w.mu) must find its timer disarmed, or it would
	// act on the old components and journal into the new state.
	for _, d := range w.doors {
		d.relock.disarm()
		d.contactT.disarm()
	}
	for _, in := range w.inputs {
		in.shunt.disarm()
	}
	for _, o := range w.outputs {
		o.tempo.disarm()
	}
	w.schedule.disarm()
	for _, c := range w.controllers {
		w.thaw(c)
	}
	w.held = nil
	w.build()
}

// SetDecider replaces who decides access; head-ends call it once they have
// loaded their database.
func (w *World) SetDecider(d Decider) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if d == nil {
		d = denyAll
	}
	w.decider = d
}

// Decider returns who decides access now, so a second head-end can chain
// itself behind the first (Chain).
func (w *World) Decider() Decider {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.decider
}

// Clock returns the world's clock.
func (w *World) Clock() Clock { return w.clock }

// Now returns the site time.
func (w *World) Now() time.Time { return w.clock.Now() }

// Journal returns the world's journal.
func (w *World) Journal() *Journal { return w.journal }

// File returns the site file the world was built from. Callers must not
// modify it.
func (w *World) File() *SiteFile { return w.file }

// Location returns the site's time zone.
func (w *World) Location() *time.Location { return w.loc }

// Schedule returns the compiled schedule with the given id.
func (w *World) Schedule(id int) (*Schedule, bool) {
	s, ok := w.schedules[id]
	return s, ok
}

// Version returns the world's state-change counter: every component whose
// state changed since a head-end last looked has a Version above what it saw.
func (w *World) Version() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.version
}

// Kind returns the kind of the component with the given id.
func (w *World) Kind(id ID) (Kind, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.index.get(id)
	return r.kind, ok
}

// Held returns how many events wait behind cut controllers and gateways.
func (w *World) Held() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.held)
}

// touch records a state change of b. Called locked.
func (w *World) touch(b *base) {
	w.version++
	b.version = w.version
}

// emit stamps e and journals it, or holds it while its controller cannot
// report. It returns the sequence number, 0 when held. Called locked.
func (w *World) emit(e Event, c *controller) uint64 {
	e.Time = w.clock.Now()
	if c != nil {
		e.Controller = c.id
		if !c.reachable() {
			w.held = append(w.held, e)
			return 0
		}
	}
	return w.journal.Append(e)
}

// release journals, in the order they happened, the held events whose
// controller can report again. Called locked.
func (w *World) release() {
	kept := w.held[:0]
	for _, e := range w.held {
		r, _ := w.index.get(e.Controller)
		c := w.controllers[r.i]
		if c.reachable() {
			w.journal.Append(e)
		} else {
			kept = append(kept, e)
		}
	}
	clear(w.held[len(kept):])
	w.held = kept
}

// lookup finds a component of kind k. Called locked.
func (w *World) lookup(id ID, k Kind) (int, error) {
	r, ok := w.index.get(id)
	if !ok {
		return 0, fmt.Errorf("%w: no %s has id %d", ErrUnknownID, k, id)
	}
	if r.kind != k {
		return 0, fmt.Errorf("%w: %d is a %s, not a %s", ErrUnknownID, id, r.kind, k)
	}
	return r.i, nil
}

// gateway, controller and output find a component of their kind by id, as
// door, reader and input do. Called locked.
func (w *World) gateway(id ID) (*gateway, error) {
	i, err := w.lookup(id, KindGateway)
	if err != nil {
		return nil, err
	}
	return w.gateways[i], nil
}

func (w *World) controller(id ID) (*controller, error) {
	i, err := w.lookup(id, KindController)
	if err != nil {
		return nil, err
	}
	return w.controllers[i], nil
}

func (w *World) output(id ID) (*output, error) {
	i, err := w.lookup(id, KindOutput)
	if err != nil {
		return nil, err
	}
	return w.outputs[i], nil
}

// base is what every component has.
type base struct {
	id      ID
	guid    string
	name    string
	version uint64
}

// timer is a reusable physics timer: a deadline and whether it is armed.
// Callbacks check both, because a real-clock timer may fire while the world
// is locked by the change that rescheduled it.
type timer struct {
	t Timer
	// fn is what the timer calls, made once when its component is built:
	// a closure made at each arm would cost an allocation per passage.
	fn    func()
	due   time.Time
	armed bool
}

// arm schedules t.fn at now+d, creating the underlying timer once. Called
// locked.
func (w *World) arm(t *timer, d time.Duration) {
	t.due = w.clock.Now().Add(d)
	t.armed = true
	if t.t == nil {
		t.t = w.clock.AfterFunc(d, t.fn)
		return
	}
	t.t.Reset(d)
}

func (t *timer) disarm() {
	if t.armed {
		t.armed = false
		t.t.Stop()
	}
}

// due reports whether an armed timer's deadline has come, disarming it.
func (w *World) due(t *timer) bool {
	if !t.armed || w.clock.Now().Before(t.due) {
		return false
	}
	t.armed = false
	return true
}

// remaining is how long until an armed timer fires (0 if not armed).
func (w *World) remaining(t *timer) time.Duration {
	if !t.armed {
		return 0
	}
	return max(t.due.Sub(w.clock.Now()), 0)
}
