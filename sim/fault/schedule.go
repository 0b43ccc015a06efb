package fault

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// rule is a transport fault compiled for the request path. Everything the
// request path reads is fixed at Add, except the counters (atomics) and the
// generators (behind rngMu, taken only by a matching request of a fault
// that has a probability or a jitter).
type rule struct {
	id     string
	kind   Kind
	plan   *Plan
	method string
	path   string // the pattern, "" for any path
	glob   glob
	params Params

	after, every, first uint64
	prob                float64
	// The window, on the site clock: open on [from, to); to is zero when
	// the fault lasts until removed. window is false when it is always
	// open.
	window   bool
	from, to time.Time
	clock    sim.Clock

	// matched counts requests matching target, method and path; eligible
	// those of them inside the window; fired those the fault acted on.
	matched, eligible, fired atomic.Uint64

	rngMu  sync.Mutex
	rng    *rand.Rand // probability draws: PCG(seed, 0)
	jitter *rand.Rand // jitter draws: PCG(seed, 1), so jitter never shifts the draws

	// done is closed when the fault is removed, the plan reset, or its
	// window ends: a hang (or a delay, or a dribble) in progress lets go.
	done    chan struct{}
	release sync.Once
	end     sim.Timer

	// What the fault answers, made once at Add (status, app-fault).
	contentType string
	body        []byte
	expirer     SessionExpirer
}

// matches reports whether r is one of the fault's requests: a method and a
// glob comparison, no allocation.
func (ru *rule) matches(r *http.Request) bool {
	if ru.method != "" && !methodEq(ru.method, r.Method) {
		return false
	}
	return ru.path == "" || ru.glob.match(r.URL.Path)
}

// decide counts a matching request through the schedule's stages — window,
// after, every, probability, first — and reports whether the fault fires.
func (ru *rule) decide() bool {
	ru.matched.Add(1)
	if ru.window {
		now := ru.clock.Now()
		if now.Before(ru.from) || (!ru.to.IsZero() && !now.Before(ru.to)) {
			return false
		}
	}
	e := ru.eligible.Add(1)
	if e <= ru.after {
		return false
	}
	if ru.every > 1 && (e-ru.after)%ru.every != 0 {
		return false
	}
	if ru.rng != nil {
		ru.rngMu.Lock()
		x := ru.rng.Float64()
		ru.rngMu.Unlock()
		if x >= ru.prob {
			return false
		}
	}
	if ru.first == 0 {
		ru.fired.Add(1)
		return true
	}
	for {
		f := ru.fired.Load()
		if f >= ru.first {
			return false
		}
		if ru.fired.CompareAndSwap(f, f+1) {
			return true
		}
	}
}

// jitterDelay draws the delay of a latency fault.
func (ru *rule) jitterDelay() time.Duration {
	d := ru.params.Latency
	if j := ru.params.Jitter; j > 0 {
		ru.rngMu.Lock()
		off := ru.jitter.Int64N(2*int64(j)+1) - int64(j)
		ru.rngMu.Unlock()
		d += time.Duration(off)
	}
	return max(d, 0)
}

// stop releases whatever waits on the fault and stops its window timer.
func (ru *rule) stop() {
	if ru.end != nil {
		ru.end.Stop()
	}
	ru.heal()
}

func (ru *rule) heal() { ru.release.Do(func() { close(ru.done) }) }

// state is where the fault stands at now, on the site clock.
func (ru *rule) state(now time.Time) State {
	switch {
	case !ru.window:
		return StateActive
	case now.Before(ru.from):
		return StatePending
	case !ru.to.IsZero() && !now.Before(ru.to):
		return StateHealed
	}
	return StateActive
}

// compile turns a validated transport fault into its rule.
func (p *Plan) compile(id string, f *Fault, added time.Time) (*rule, error) {
	t, _ := headEnd(f.Target)
	ru := &rule{
		id: id, kind: f.Kind, plan: p, method: f.Match.Method, path: f.Match.Path, params: f.Params,
		after: uint64(f.When.After), every: uint64(f.When.Every), first: uint64(f.When.First),
		prob: f.When.Probability, clock: p.clock, done: make(chan struct{}),
	}
	if ru.path != "" {
		ru.glob = compileGlob(ru.path)
	}
	if f.When.Probability > 0 && f.When.Probability < 1 {
		ru.rng = rand.New(rand.NewPCG(f.When.Seed, 0))
	}
	if f.Params.Jitter > 0 {
		ru.jitter = rand.New(rand.NewPCG(f.When.Seed, 1))
	}
	if f.When.StartAfter > 0 || f.When.For > 0 {
		ru.window = true
		ru.from = added.Add(f.When.StartAfter)
		if f.When.For > 0 {
			ru.to = ru.from.Add(f.When.For)
		}
	}
	switch f.Kind {
	case KindStatus:
		ru.contentType, ru.body = statusBody(f.Params)
	case KindAppFault:
		fn := p.appFaults[t]
		ru.contentType, ru.body = fn(f.Params.Code, f.Params.Message)
	case KindExpireSessions:
		ru.expirer = p.expirers[t]
		if ru.expirer == nil {
			return nil, fmt.Errorf("%w: expire-sessions: no SessionExpirer is wired for %s (fault.WithSessionExpirer)", ErrNotWired, f.Target)
		}
	}
	return ru, nil
}
