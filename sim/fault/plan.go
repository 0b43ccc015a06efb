package fault

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// MaxFaults is how many faults a plan holds at once: each transport fault
// is checked on every request of its head-end, so a script adding faults
// in a loop would otherwise slow every request and grow without end.
const MaxFaults = 1000

// SessionExpirer is a head-end that can expire every session at once: the
// expire-sessions fault calls it. The EntraPass server implements it.
type SessionExpirer interface {
	// ExpireSessions ends every open session and returns how many there
	// were; their keys are refused from then on.
	ExpireSessions() int
}

// AppFaultFunc makes the body of a head-end's application fault from the
// fault's params.code and params.message (either may be empty: the
// function chooses defaults). It is called once, when the fault is added.
type AppFaultFunc func(code, message string) (contentType string, body []byte)

// State is where a fault stands.
type State string

// The states of a fault.
const (
	// StatePending: its window has not opened yet (start_after).
	StatePending State = "pending"
	// StateActive: it acts (a transport fault on its requests; a hardware
	// fault is applied to the world).
	StateActive State = "active"
	// StateHealed: its window has closed (for); it acts no more.
	StateHealed State = "healed"
	// StateFailed: a hardware fault whose window opened but the world
	// refused it (LastError says why).
	StateFailed State = "failed"
	// StateRemoved: the fault was removed (the answer of Remove).
	StateRemoved State = "removed"
)

// Status is a fault of a plan: the fault, its id, where it stands and its
// counters. It is what the control API answers.
type Status struct {
	// ID is the fault's id: "f1", "f2", … in order of addition, never
	// reused by the plan, not even after Reset.
	ID string `json:"id"`
	// Target is the fault's target, as added.
	Target Target `json:"target"`
	// Kind is the fault's kind, as added.
	Kind Kind `json:"kind"`
	// Params are the fault's parameters, as added.
	Params Params `json:"params,omitzero"`
	// Match is the fault's match, as added.
	Match Match `json:"match,omitzero"`
	// When is the fault's schedule, as added.
	When When `json:"when,omitzero"`
	// State is pending, active, healed, failed or removed.
	State State `json:"state"`
	// Matched counts the requests that matched the fault's target, method
	// and path (0 for a hardware fault).
	Matched uint64 `json:"matched"`
	// Fired counts the requests its schedule fired on — it acted on each,
	// unless an earlier fault of the plan had already answered the
	// request; for a hardware fault, 1 once applied.
	Fired uint64 `json:"fired"`
	// Added is when the fault was added, on the site clock: its window
	// counts from there.
	Added time.Time `json:"added"`
	// LastError is the world's refusal of a hardware fault applied or
	// healed on a timer.
	LastError string `json:"last_error,omitempty"`
}

// Fault returns the fault of s.
func (s Status) Fault() Fault {
	return Fault{Target: s.Target, Kind: s.Kind, Params: s.Params, Match: s.Match, When: s.When}
}

// Plan is the live set of faults of one simulated site: transport faults
// acting on the head-ends' traffic through Middleware, hardware faults
// acting on the world.
//
// Adding, removing or listing faults never waits behind traffic: requests
// read an immutable snapshot of the transport faults through an atomic
// pointer and take no lock that a control call holds; a hang, a delay or a
// dribble in progress lets go as soon as its fault is removed, the plan
// reset or the fault's window closed. A Plan is safe for concurrent use.
type Plan struct {
	world     *sim.World
	clock     sim.Clock
	appFaults [len(headEnds)]AppFaultFunc
	expirers  [len(headEnds)]SessionExpirer
	// absent are the head-ends not served: their faults could not act.
	absent [len(headEnds)]bool
	// hook, when set (by tests), is told of what happens: "fire", "hang",
	// "applied", "healed" with the fault's id.
	hook func(event, id string)

	snap atomic.Pointer[snapshot]

	// mu serialises control calls; no request ever takes it.
	mu      sync.Mutex
	seq     int
	entries []*entry
	// retired are the firings of the faults removed, by kind (metrics.go).
	retired map[Kind]uint64
}

// snapshot is the transport faults of each head-end, in order of addition.
// It is never modified once published.
type snapshot struct {
	rules [len(headEnds)][]*rule
}

// entry is one fault of the plan.
type entry struct {
	id    string
	fault Fault
	added time.Time
	rule  *rule    // transport
	hw    *hwFault // hardware
}

// Option configures a Plan.
type Option func(*Plan)

// WithClock sets the site clock the windows (start_after, for) run on
// (default: the world's clock, or the wall clock without a world).
func WithClock(c sim.Clock) Option { return func(p *Plan) { p.clock = c } }

// WithSessionExpirer wires the head-end t's sessions to the expire-sessions
// fault. Without it, adding expire-sessions for t fails with ErrNotWired.
func WithSessionExpirer(t Target, e SessionExpirer) Option {
	return func(p *Plan) {
		if i, ok := headEnd(t); ok {
			p.expirers[i] = e
		}
	}
}

// WithoutHeadEnd says head-end t is not served (pacsim serve --genetec
// off): a transport fault aimed at it is refused with ErrNotWired, rather
// than accepted and never acting.
func WithoutHeadEnd(t Target) Option {
	return func(p *Plan) {
		if i, ok := headEnd(t); ok {
			p.absent[i] = true
		}
	}
}

// WithAppFault sets how head-end t writes its application fault (the
// app-fault kind). The defaults: EntraPass answers HTTP 200 with a
// <StandardFault> (EntraPassAppFault); Genetec answers HTTP 200 with
// {"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":…,"Message":…}}}
// (GenetecAppFault), which the Genetec head-end may replace with its own.
func WithAppFault(t Target, fn AppFaultFunc) Option {
	return func(p *Plan) {
		if i, ok := headEnd(t); ok && fn != nil {
			p.appFaults[i] = fn
		}
	}
}

// New returns an empty plan for world w, whose clock runs the windows and
// on which hardware faults act. w may be nil for a plan of transport faults
// only (its windows then run on the wall clock unless WithClock says
// otherwise; a hardware fault is refused with ErrNotWired).
func New(w *sim.World, opts ...Option) *Plan {
	p := &Plan{world: w}
	p.appFaults[0] = EntraPassAppFault
	p.appFaults[1] = GenetecAppFault
	if w != nil {
		p.clock = w.Clock()
	}
	for _, o := range opts {
		o(p)
	}
	if p.clock == nil {
		p.clock = sim.RealClock{}
	}
	p.snap.Store(&snapshot{})
	return p
}

// World returns the plan's world (nil if it has none).
func (p *Plan) World() *sim.World { return p.world }

// Add validates f, gives it the next id and puts it in force: a transport
// fault acts on the next matching request, a hardware fault is applied now
// (or when its window opens, on the site clock). On error nothing is
// applied and no id is used; the error wraps ErrInvalid (a malformed fault,
// or a params.id naming no component of the right kind, with
// sim.ErrUnknownID), ErrNotWired or ErrApply (the world refused it, with
// the world's error: sim.ErrState, …). A fault added is journaled
// (sim.EventFaultAdded, after what applying it journaled). A plan holds at
// most MaxFaults faults (ErrFull beyond).
func (p *Plan) Add(f Fault) (Status, error) {
	if err := f.Validate(); err != nil {
		return Status{}, err
	}
	spec := kinds[f.Kind]
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.entries) >= MaxFaults {
		return Status{}, fmt.Errorf("%w: the plan holds %d faults, its most: remove some (DELETE /v1/faults/{id}) or all (DELETE /v1/faults) first", ErrFull, len(p.entries))
	}
	e := &entry{id: "f" + strconv.Itoa(p.seq+1), fault: f, added: p.clock.Now()}
	if spec.hardware {
		hw, err := p.startHardware(e, spec)
		if err != nil {
			return Status{}, err
		}
		e.hw = hw
	} else {
		if i, ok := headEnd(f.Target); ok && p.absent[i] {
			return Status{}, fmt.Errorf("%w: target %s: that head-end is not served here, so the fault could not act", ErrNotWired, f.Target)
		}
		ru, err := p.compile(e.id, &e.fault, e.added)
		if err != nil {
			return Status{}, err
		}
		e.rule = ru
		if f.When.For > 0 {
			ru.end = p.clock.AfterFunc(f.When.StartAfter+f.When.For, ru.heal)
		}
	}
	p.seq++
	p.entries = append(p.entries, e)
	p.publish()
	st := e.status(p.clock.Now())
	p.journal(true, st)
	return st, nil
}

// Remove takes the fault with the given id out of force: a transport fault
// stops acting (a hang in progress lets its request go on), a hardware
// fault is healed. The removal is journaled (sim.EventFaultRemoved) after
// what healing journals. It returns the fault's last status (state removed), or
// an error wrapping ErrNotFound.
func (p *Plan) Remove(id string) (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, e := range p.entries {
		if e.id != id {
			continue
		}
		p.entries = append(p.entries[:i:i], p.entries[i+1:]...)
		p.publish()
		e.stop()
		st := e.status(p.clock.Now())
		st.State = StateRemoved
		p.retire(st)
		p.journal(false, st)
		return st, nil
	}
	return Status{}, fmt.Errorf("%w: no fault has id %q", ErrNotFound, id)
}

// Reset removes every fault, as Remove does (each journaled as removed),
// and returns how many there were. Ids keep counting from where they were.
func (p *Plan) Reset() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.entries
	p.entries = nil
	p.publish()
	now := p.clock.Now()
	for _, e := range old {
		e.stop()
		st := e.status(now)
		st.State = StateRemoved
		p.retire(st)
		p.journal(false, st)
	}
	return len(old)
}

// List returns every fault of the plan, in order of addition.
func (p *Plan) List() []Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	out := make([]Status, len(p.entries))
	for i, e := range p.entries {
		out[i] = e.status(now)
	}
	return out
}

// Get returns the fault with the given id, or an error wrapping
// ErrNotFound.
func (p *Plan) Get(id string) (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.entries {
		if e.id == id {
			return e.status(p.clock.Now()), nil
		}
	}
	return Status{}, fmt.Errorf("%w: no fault has id %q", ErrNotFound, id)
}

// publish makes a new snapshot of the transport faults. Called with mu
// held.
func (p *Plan) publish() {
	s := &snapshot{}
	for _, e := range p.entries {
		if e.rule == nil {
			continue
		}
		t, _ := headEnd(e.fault.Target)
		s.rules[t] = append(s.rules[t], e.rule)
	}
	p.snap.Store(s)
}

func (p *Plan) event(ev, id string) {
	if p.hook != nil {
		p.hook(ev, id)
	}
}

func (e *entry) stop() {
	if e.rule != nil {
		e.rule.stop()
	}
	if e.hw != nil {
		e.hw.remove()
	}
}

func (e *entry) status(now time.Time) Status {
	f := &e.fault
	st := Status{ID: e.id, Target: f.Target, Kind: f.Kind, Params: f.Params, Match: f.Match, When: f.When, Added: e.added}
	if e.rule != nil {
		st.State = e.rule.state(now)
		st.Matched = e.rule.matched.Load()
		st.Fired = e.rule.fired.Load()
	}
	if e.hw != nil {
		e.hw.mu.Lock()
		st.State, st.Fired, st.LastError = e.hw.state, e.hw.fired, e.hw.lastErr
		e.hw.mu.Unlock()
	}
	return st
}
