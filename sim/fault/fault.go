package fault

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Target is what a fault acts on: a head-end's HTTP traffic (transport
// faults) or the simulated hardware (hardware faults).
type Target string

// The targets.
const (
	// TargetEntraPass is the simulated EntraPass SmartService's traffic.
	TargetEntraPass Target = "entrapass"
	// TargetGenetec is the simulated Genetec Web SDK's traffic.
	TargetGenetec Target = "genetec"
	// TargetSite is the simulated world: controllers, doors, readers, …
	TargetSite Target = "site"
)

// headEnds are the transport targets, in the order of their index in a
// snapshot.
var headEnds = [...]Target{TargetEntraPass, TargetGenetec}

// headEnd returns the snapshot index of a transport target.
func headEnd(t Target) (int, bool) {
	for i, h := range headEnds {
		if h == t {
			return i, true
		}
	}
	return 0, false
}

// Kind is what a fault does.
type Kind string

// Transport kinds: they act on the HTTP traffic of a head-end.
const (
	// KindLatency delays the request by params.latency ± params.jitter
	// (wall clock), then lets it through.
	KindLatency Kind = "latency"
	// KindStatus answers params.status (100–599) with a short text body
	// (params.body) instead of the head-end.
	KindStatus Kind = "status"
	// KindAppFault answers the head-end's own application fault: for
	// EntraPass an HTTP 200 <StandardFault> (params.code, params.message).
	KindAppFault Kind = "app-fault"
	// KindMalformed lets the head-end answer, then breaks its body:
	// params.mode "truncate" (default: cut mid-element, or after
	// params.at bytes) or "garble". The status stays valid.
	KindMalformed Kind = "malformed"
	// KindEmpty answers 200 with an empty body.
	KindEmpty Kind = "empty"
	// KindReset resets the connection (TCP RST): the client sees
	// "connection reset by peer" and no answer.
	KindReset Kind = "reset"
	// KindHang holds the request until the fault is removed (the request
	// then goes on), the client goes away, or params.timeout elapses on
	// the wall clock (the connection is then closed with no answer).
	KindHang Kind = "hang"
	// KindSlowBody dribbles the head-end's answer: params.rate bytes every
	// params.interval (wall clock, default 100ms).
	KindSlowBody Kind = "slow-body"
	// KindExpireSessions expires every session of the head-end (through
	// its SessionExpirer), then lets the request through.
	KindExpireSessions Kind = "expire-sessions"
	// KindStreamCut lets the answer through and cuts the connection after
	// params.bytes body bytes or params.events flushes (a streaming
	// handler flushes once per event).
	KindStreamCut Kind = "stream-cut"
)

// Hardware kinds: they act on the world; params.id names the component.
const (
	// KindControllerFail cuts a controller's communication
	// (sim.World.CutController); healing restores it.
	KindControllerFail Kind = "controller-fail"
	// KindControllerFault puts a controller in hardware fault.
	KindControllerFault Kind = "controller-fault"
	// KindGatewayDisconnect disconnects a gateway.
	KindGatewayDisconnect Kind = "gateway-disconnect"
	// KindReaderFault puts a reader in fault.
	KindReaderFault Kind = "reader-fault"
	// KindInputTamper tampers an input.
	KindInputTamper Kind = "input-tamper"
	// KindInputTrouble puts an input in trouble.
	KindInputTrouble Kind = "input-trouble"
	// KindOutputControllerFault puts an output in output controller fault.
	KindOutputControllerFault Kind = "output-controller-fault"
	// KindOutputTrouble puts an output itself (not its controller) in
	// trouble.
	KindOutputTrouble Kind = "output-trouble"
	// KindDoorForced opens a closed, locked door with no grant: it is
	// forced. Healing closes it.
	KindDoorForced Kind = "door-forced"
	// KindDoorHeldOpen unlocks a closed door for one passage (a request to
	// exit) and opens it, so that once its open time passes on the site
	// clock it is open too long. Healing closes it.
	KindDoorHeldOpen Kind = "door-held-open"
)

// allKinds is every kind, in the order of SPEC §4.
var allKinds = []Kind{
	KindLatency, KindStatus, KindAppFault, KindMalformed, KindEmpty, KindReset, KindHang,
	KindSlowBody, KindExpireSessions, KindStreamCut,
	KindControllerFail, KindControllerFault, KindGatewayDisconnect, KindReaderFault,
	KindInputTamper, KindInputTrouble, KindOutputControllerFault, KindOutputTrouble, KindDoorForced,
	KindDoorHeldOpen,
}

// Kinds returns every fault kind, transport kinds first, in the order of
// the specification.
func Kinds() []Kind { return append([]Kind(nil), allKinds...) }

// Hardware reports whether k acts on the world (target site) rather than on
// a head-end's traffic. An unknown kind is neither.
func (k Kind) Hardware() bool {
	s, ok := kinds[k]
	return ok && s.hardware
}

// Fault is one fault, in the JSON form of SPEC §4 (the control API's body
// and site files):
//
//	{"target": "entrapass", "kind": "status",
//	 "params": {"status": 503},
//	 "match":  {"method": "GET", "path": "/SmartService/Events*"},
//	 "when":   {"every": 3, "start_after": "30s", "for": "60s"}}
//
// Decoding JSON is strict (see UnmarshalJSON); a Fault built in Go is
// checked by Validate, which Plan.Add calls.
type Fault struct {
	// Target is entrapass, genetec (transport kinds) or site (hardware
	// kinds).
	Target Target `json:"target"`
	// Kind is what the fault does.
	Kind Kind `json:"kind"`
	// Params are the kind's parameters; each kind takes only its own.
	Params Params `json:"params,omitzero"`
	// Match narrows a transport fault to some requests (all by default).
	Match Match `json:"match,omitzero"`
	// When says which requests, or which stretch of site time, the fault
	// acts on (always by default).
	When When `json:"when,omitzero"`
}

// Match selects the requests a transport fault applies to. The zero Match
// selects every request of its head-end.
type Match struct {
	// Method is an HTTP method (GET, PUT, …), compared case-insensitively;
	// empty matches any.
	Method string `json:"method,omitempty"`
	// Path is a glob over the URL path: `*` matches any run of characters,
	// slashes included; every other character stands for itself, compared
	// case-insensitively (EntraPass paths are). Empty matches any path.
	// Example: /SmartService/Events* matches Events and
	// EventsAndStayAlive.
	Path string `json:"path,omitempty"`
}

// When is a fault's schedule. Its stages AND together, in this order: a
// request must fall in the time window, then come after the first After
// matching requests, then be every Every-th of those, then win the
// Probability draw, and the fault fires on the First such requests only.
// So {"every":2,"first":5} fires on matching requests 2, 4, 6, 8 and 10.
// Counters count only requests that match the fault's target, method and
// path. The zero When fires on every matching request.
type When struct {
	// Probability in (0, 1]: the chance that a request reaching this stage
	// fires, drawn from a PCG generator seeded with Seed (math/rand/v2).
	// Zero means always.
	Probability float64 `json:"probability,omitzero"`
	// Seed seeds the generator of Probability and of params.jitter:
	// required (from 1) with Probability, so that the same seed and the
	// same traffic give the same faults.
	Seed uint64 `json:"seed,omitzero"`
	// Every fires on every Every-th request (counted after After); 0 or 1
	// means every request.
	Every int `json:"every,omitzero"`
	// First fires on the first First requests that pass the other stages,
	// then never again; 0 means no limit.
	First int `json:"first,omitzero"`
	// After lets the first After matching requests (in the window) through
	// untouched.
	After int `json:"after,omitzero"`
	// StartAfter opens the fault's window this long after it was added, on
	// the site clock (a test moves it with ManualClock.Advance).
	StartAfter time.Duration `json:"start_after,omitzero"`
	// For closes the window this long after it opened, on the site clock:
	// the fault heals by itself. Zero means it lasts until removed.
	For time.Duration `json:"for,omitzero"`
}

// invalidf returns an ErrInvalid error with a message.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// kindSpec is what the package knows of a kind: each kind's file
// registers one.
type kindSpec struct {
	kind     Kind
	hardware bool
	// params are the names of the parameters the kind takes.
	params []string
	// primary is the parameter that a flag's KIND=VALUE sets ("" if none).
	primary string
	// check validates the kind's parameters (ranges, required ones).
	check func(p *Params) error

	// Hardware kinds: the component kind params.id names, and how the
	// fault is applied to and healed from the world.
	component sim.Kind
	apply     func(w *sim.World, id sim.ID) error
	heal      func(w *sim.World, id sim.ID) error
}

// kinds is the registry, filled by each kind's file.
var kinds = map[Kind]*kindSpec{}

func register(s *kindSpec) { kinds[s.kind] = s }

func (s *kindSpec) takes(param string) bool {
	for _, p := range s.params {
		if p == param {
			return true
		}
	}
	return false
}

// takesList describes the parameters a kind takes, for messages.
func (s *kindSpec) takesList() string {
	if len(s.params) == 0 {
		return "it takes none"
	}
	return "it takes " + strings.Join(s.params, ", ")
}

func kindNames() string {
	names := make([]string, len(allKinds))
	for i, k := range allKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// spec checks the target and kind and returns the kind's spec.
func (f *Fault) spec() (*kindSpec, error) {
	switch f.Target {
	case TargetEntraPass, TargetGenetec, TargetSite:
	case "":
		return nil, invalidf("no target: give entrapass, genetec or site")
	default:
		return nil, invalidf("unknown target %q: want entrapass, genetec or site", string(f.Target))
	}
	s, ok := kinds[f.Kind]
	if !ok {
		if f.Kind == "" {
			return nil, invalidf("no kind: give one of %s", kindNames())
		}
		return nil, invalidf("unknown kind %q: want one of %s", string(f.Kind), kindNames())
	}
	if s.hardware && f.Target != TargetSite {
		return nil, invalidf("kind %q is a hardware fault: its target is site, not %s", string(f.Kind), f.Target)
	}
	if !s.hardware && f.Target == TargetSite {
		return nil, invalidf("kind %q is a transport fault: its target is a head-end (entrapass or genetec), not site", string(f.Kind))
	}
	return s, nil
}

// Validate reports the first thing wrong with f, as an error wrapping
// ErrInvalid that names it: an unknown target or kind, a kind aimed at the
// wrong target, a parameter the kind does not take or out of range, a
// malformed match, a when key out of range or meaningless for the kind.
func (f Fault) Validate() error {
	s, err := f.spec()
	if err != nil {
		return err
	}
	for i := range paramDescs {
		d := &paramDescs[i]
		if !d.isZero(&f.Params) && !s.takes(d.name) {
			return invalidf("kind %q takes no parameter %q (%s)", string(f.Kind), d.name, s.takesList())
		}
	}
	if err := s.check(&f.Params); err != nil {
		return err
	}
	if err := f.Match.validate(s); err != nil {
		return err
	}
	return f.When.validate(s, &f.Params)
}

func (m *Match) validate(s *kindSpec) error {
	if s.hardware {
		if *m != (Match{}) {
			return invalidf("match applies to transport faults only: kind %q has no requests to match", string(s.kind))
		}
		return nil
	}
	for i := 0; i < len(m.Method); i++ {
		c := m.Method[i] | 0x20
		if c < 'a' || c > 'z' {
			return invalidf("match.method %q is not an HTTP method like GET or PUT", m.Method)
		}
	}
	if m.Path != "" && m.Path[0] != '/' && m.Path[0] != '*' {
		return invalidf("match.path %q must start with / or *", m.Path)
	}
	return nil
}

func (w *When) validate(s *kindSpec, p *Params) error {
	if s.hardware {
		for _, c := range []struct {
			name string
			set  bool
		}{
			{"probability", w.Probability != 0}, {"seed", w.Seed != 0}, {"every", w.Every != 0},
			{"first", w.First != 0}, {"after", w.After != 0},
		} {
			if c.set {
				return invalidf("when.%s makes no sense for hardware fault %q: it is applied once, not per request; use start_after and for", c.name, string(s.kind))
			}
		}
	}
	switch {
	case math.IsNaN(w.Probability) || w.Probability < 0 || w.Probability > 1:
		return invalidf("when.probability %v is outside 0–1", w.Probability)
	case w.Probability > 0 && w.Seed == 0:
		return invalidf("when.probability needs when.seed (a number from 1), so that the same traffic gives the same faults")
	case w.Seed != 0 && w.Probability == 0 && p.Jitter == 0:
		return invalidf("when.seed has nothing to seed: it seeds when.probability and params.jitter, and neither is given")
	case w.Every < 0:
		return invalidf("when.every %d is negative", w.Every)
	case w.First < 0:
		return invalidf("when.first %d is negative", w.First)
	case w.After < 0:
		return invalidf("when.after %d is negative", w.After)
	case w.StartAfter < 0:
		return invalidf("when.start_after %v is negative", w.StartAfter)
	case w.For < 0:
		return invalidf("when.for %v is negative", w.For)
	}
	if err := tooLong("when.start_after", w.StartAfter, MaxWindow, " (30 days)"); err != nil {
		return err
	}
	return tooLong("when.for", w.For, MaxWindow, " (30 days)")
}
