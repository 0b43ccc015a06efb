package fault

import (
	"errors"
	"fmt"
	"sync"

	"github.com/pacsim/pacsim/sim"
)

// hwFault is a hardware fault in force: applied to the world now or when
// its window opens, healed when it is removed or its window closes. Its
// timers run on the site clock.
type hwFault struct {
	plan  *Plan
	spec  *kindSpec
	id    sim.ID
	ident string // the fault's id, for the hook

	mu         sync.Mutex
	state      State
	fired      uint64
	lastErr    string
	start, end sim.Timer
}

// checkHardware is what every hardware kind checks of its parameters.
func checkHardware(p *Params) error {
	if p.ID <= 0 {
		return invalidf("params.id is required: the id of the component, from 1")
	}
	return nil
}

// hardware registers a hardware kind: the component params.id names, and
// how the fault is applied and healed.
func hardware(k Kind, c sim.Kind, apply, heal func(w *sim.World, id sim.ID) error) {
	register(&kindSpec{kind: k, hardware: true, params: []string{"id"}, primary: "id", check: checkHardware,
		component: c, apply: apply, heal: heal})
}

// startHardware checks a hardware fault against the world and puts it in
// force. Called with p.mu held.
func (p *Plan) startHardware(e *entry, s *kindSpec) (*hwFault, error) {
	if p.world == nil {
		return nil, fmt.Errorf("%w: %s: the plan has no world for hardware faults", ErrNotWired, s.kind)
	}
	id := e.fault.Params.ID
	k, ok := p.world.Kind(id)
	if !ok {
		return nil, fmt.Errorf("%w: %s: params.id: %w: no %s has id %d", ErrInvalid, s.kind, sim.ErrUnknownID, s.component, id)
	}
	if k != s.component {
		return nil, fmt.Errorf("%w: %s: params.id: %w: %d is a %s, not a %s", ErrInvalid, s.kind, sim.ErrUnknownID, id, k, s.component)
	}
	h := &hwFault{plan: p, spec: s, id: id, ident: e.id, state: StatePending}
	h.mu.Lock()
	defer h.mu.Unlock()
	w := e.fault.When
	if w.StartAfter == 0 {
		if err := s.apply(p.world, id); err != nil {
			return nil, fmt.Errorf("%w: %s on %d: %w", ErrApply, s.kind, id, err)
		}
		h.state, h.fired = StateActive, 1
		p.event("applied", e.id)
	} else {
		h.start = p.clock.AfterFunc(w.StartAfter, h.onStart)
	}
	if w.For > 0 {
		h.end = p.clock.AfterFunc(w.StartAfter+w.For, h.onEnd)
	}
	return h, nil
}

// onStart applies the fault when its window opens.
func (h *hwFault) onStart() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state != StatePending {
		return
	}
	if err := h.spec.apply(h.plan.world, h.id); err != nil {
		h.state = StateFailed
		h.lastErr = fmt.Errorf("%w: %s on %d: %w", ErrApply, h.spec.kind, h.id, err).Error()
		return
	}
	h.state, h.fired = StateActive, h.fired+1
	h.plan.event("applied", h.ident)
}

// onEnd heals the fault when its window closes.
func (h *hwFault) onEnd() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state == StateRemoved {
		return
	}
	h.healLocked()
	h.state = StateHealed
}

// remove stops the timers and heals the fault if it is applied.
func (h *hwFault) remove() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.start != nil {
		h.start.Stop()
	}
	if h.end != nil {
		h.end.Stop()
	}
	h.healLocked()
	h.state = StateRemoved
}

// healLocked heals an applied fault. A world that is already healed (the
// component restored by hand, or the world reset) is fine.
func (h *hwFault) healLocked() {
	if h.state != StateActive {
		return
	}
	if err := h.spec.heal(h.plan.world, h.id); err != nil && !errors.Is(err, sim.ErrState) {
		h.lastErr = fmt.Sprintf("healing %s on %d: %v", h.spec.kind, h.id, err)
	}
	h.plan.event("healed", h.ident)
}
