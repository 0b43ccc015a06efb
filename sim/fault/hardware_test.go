package fault_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
)

func hw(k fault.Kind, id sim.ID, w fault.When) fault.Fault {
	return fault.Fault{Target: fault.TargetSite, Kind: k, Params: fault.Params{ID: id}, When: w}
}

// hardwareCases: each hardware kind, the component it acts on, and what the
// world's snapshot shows of it.
var hardwareCases = []struct {
	kind    fault.Kind
	id      sim.ID
	faulted func(s sim.Snapshot) bool
}{
	{fault.KindControllerFail, 10, func(s sim.Snapshot) bool { return !controller(s, 10).Online && !door(s, 20).Reachable }},
	{fault.KindControllerFault, 11, func(s sim.Snapshot) bool { return controller(s, 11).Fault }},
	{fault.KindGatewayDisconnect, 1, func(s sim.Snapshot) bool { return !s.Gateways[0].Connected && !controller(s, 10).Reachable }},
	{fault.KindReaderFault, 30, func(s sim.Snapshot) bool { return reader(s, 30).Fault && door(s, 20).Trouble }},
	{fault.KindInputTamper, 52, func(s sim.Snapshot) bool { return input(s, 52).Tamper }},
	{fault.KindInputTrouble, 53, func(s sim.Snapshot) bool { return input(s, 53).Trouble }},
	{fault.KindOutputControllerFault, 70, func(s sim.Snapshot) bool { return output(s, 70).Fault }},
	{fault.KindOutputTrouble, 71, func(s sim.Snapshot) bool { return output(s, 71).Trouble && !output(s, 71).Fault }},
	{fault.KindDoorForced, 21, func(s sim.Snapshot) bool { return door(s, 21).Contact == sim.ContactForced }},
	{fault.KindDoorHeldOpen, 22, func(s sim.Snapshot) bool { return door(s, 22).Contact.IsOpen() }},
}

func TestHardwareFaultsApplyAndHeal(t *testing.T) {
	for _, c := range hardwareCases {
		t.Run(string(c.kind), func(t *testing.T) {
			s := newSite(t)
			before := s.world.Snapshot()
			require.False(t, c.faulted(before))
			st := s.add(t, hw(c.kind, c.id, fault.When{}))
			assert.Equal(t, fault.StateActive, st.State)
			assert.Equal(t, uint64(1), st.Fired)
			assert.True(t, c.faulted(s.world.Snapshot()), "applied when added")

			gone, err := s.plan.Remove(st.ID)
			require.NoError(t, err)
			assert.Equal(t, fault.StateRemoved, gone.State)
			assert.Empty(t, gone.LastError)
			after := s.world.Snapshot()
			assert.False(t, c.faulted(after), "healed when removed")
			assertAtRest(t, before, after)
		})
	}
}

func TestHardwareWindowOnTheSiteClock(t *testing.T) {
	for _, c := range hardwareCases {
		t.Run(string(c.kind), func(t *testing.T) {
			s := newSite(t)
			hk := watch(s.plan)
			st := s.add(t, hw(c.kind, c.id, fault.When{StartAfter: 10 * time.Second, For: 30 * time.Second}))
			assert.Equal(t, fault.StatePending, st.State)
			assert.False(t, c.faulted(s.world.Snapshot()), "not before its window")
			s.clock.Advance(10 * time.Second)
			hk.wait(t, "applied")
			assert.True(t, c.faulted(s.world.Snapshot()))
			got, _ := s.plan.Get(st.ID)
			assert.Equal(t, fault.StateActive, got.State)
			s.clock.Advance(30 * time.Second)
			hk.wait(t, "healed")
			assert.False(t, c.faulted(s.world.Snapshot()), "healed by itself")
			got, _ = s.plan.Get(st.ID)
			assert.Equal(t, fault.StateHealed, got.State)
			assert.Empty(t, got.LastError)
		})
	}
}

func TestDoorHeldOpenGoesOpenTooLong(t *testing.T) {
	s := newSite(t)
	st := s.add(t, hw(fault.KindDoorHeldOpen, 20, fault.When{}))
	d, _ := s.world.Door(20)
	assert.Equal(t, sim.ContactOpen, d.Contact, "opened after a request to exit: not forced")
	assert.Equal(t, sim.LockUnlockedAccess, d.Lock)
	s.clock.Advance(sim.DefaultOpenTime)
	d, _ = s.world.Door(20)
	assert.Equal(t, sim.ContactHeldOpen, d.Contact, "open too long once its open time has passed")
	_, err := s.plan.Remove(st.ID)
	require.NoError(t, err)
	d, _ = s.world.Door(20)
	assert.Equal(t, sim.ContactClosed, d.Contact)
	assert.Equal(t, sim.LockLocked, d.Lock)
}

func TestHardwareResetHealsAll(t *testing.T) {
	s := newSite(t)
	before := s.world.Snapshot()
	s.add(t, hw(fault.KindControllerFail, 10, fault.When{}))
	s.add(t, hw(fault.KindDoorForced, 24, fault.When{}))
	s.add(t, hw(fault.KindInputTamper, 50, fault.When{StartAfter: time.Minute}))
	assert.Equal(t, 3, s.plan.Reset())
	assertAtRest(t, before, s.world.Snapshot())
	s.clock.Advance(time.Hour)
	assert.False(t, input(s.world.Snapshot(), 50).Tamper, "a pending fault removed never applies")
	assert.Empty(t, s.plan.List())
}

func TestHardwareErrorsApplyNothing(t *testing.T) {
	s := newSite(t)
	require.NoError(t, s.world.CutController(11))
	before := s.world.Snapshot()
	for _, c := range []struct {
		name string
		f    fault.Fault
		is   []error
		msg  string
	}{
		{"unknown id", hw(fault.KindControllerFail, 99, fault.When{}), []error{fault.ErrInvalid, sim.ErrUnknownID},
			"invalid fault: controller-fail: params.id: unknown component: no controller has id 99"},
		{"id of another kind", hw(fault.KindControllerFail, 20, fault.When{}), []error{fault.ErrInvalid, sim.ErrUnknownID},
			"invalid fault: controller-fail: params.id: unknown component: 20 is a door, not a controller"},
		{"no id", hw(fault.KindReaderFault, 0, fault.When{}), []error{fault.ErrInvalid},
			"invalid fault: params.id is required: the id of the component, from 1"},
		{"already cut", hw(fault.KindControllerFail, 11, fault.When{}), []error{fault.ErrApply, sim.ErrState},
			`cannot apply fault: controller-fail on 11: invalid in current state: controller "Shop Controller" is already cut off`},
		{"every", hw(fault.KindControllerFail, 10, fault.When{Every: 2}), []error{fault.ErrInvalid},
			`invalid fault: when.every makes no sense for hardware fault "controller-fail": it is applied once, not per request; use start_after and for`},
		{"probability", hw(fault.KindDoorForced, 20, fault.When{Probability: 0.5, Seed: 1}), []error{fault.ErrInvalid},
			`invalid fault: when.probability makes no sense for hardware fault "door-forced": it is applied once, not per request; use start_after and for`},
		{"match", fault.Fault{Target: fault.TargetSite, Kind: fault.KindReaderFault, Params: fault.Params{ID: 30}, Match: fault.Match{Path: "/x"}},
			[]error{fault.ErrInvalid}, `invalid fault: match applies to transport faults only: kind "reader-fault" has no requests to match`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.plan.Add(c.f)
			require.Error(t, err)
			for _, target := range c.is {
				assert.ErrorIs(t, err, target)
			}
			assert.EqualError(t, err, c.msg)
		})
	}
	assert.Empty(t, s.plan.List())
	assert.Equal(t, before.Version, s.world.Snapshot().Version, "nothing applied")
}

func TestDoorFaultsNeedAClosedDoor(t *testing.T) {
	s := newSite(t)
	_, err := s.world.OpenDoor(20) // forced by hand
	require.NoError(t, err)
	require.NoError(t, s.world.UnlockDoor(21))
	_, err = s.plan.Add(hw(fault.KindDoorForced, 20, fault.When{}))
	assert.ErrorIs(t, err, sim.ErrState)
	assert.ErrorContains(t, err, `door "Front Door" is forced and locked: only a closed, locked door can be forced`)
	_, err = s.plan.Add(hw(fault.KindDoorForced, 21, fault.When{}))
	assert.ErrorContains(t, err, `door "Office Door" is closed and unlocked-operator`)
	_, err = s.plan.Add(hw(fault.KindDoorHeldOpen, 20, fault.When{}))
	assert.ErrorContains(t, err, `door "Front Door" is forced: only a closed door can be held open`)
	_, err = s.plan.Add(hw(fault.KindDoorHeldOpen, 21, fault.When{}))
	assert.ErrorContains(t, err, `door "Office Door" is unlocked-operator: an open door is only supervised`)
}

func TestHardwareDeferredApplyFailureIsReported(t *testing.T) {
	s := newSite(t)
	st := s.add(t, hw(fault.KindGatewayDisconnect, 1, fault.When{StartAfter: time.Minute}))
	require.NoError(t, s.world.DisconnectGateway(1)) // someone got there first
	s.clock.Advance(time.Minute)
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, fault.StateFailed, got.State)
	assert.Contains(t, got.LastError, `gateway "Main Gateway" is already disconnected`)
	assert.Equal(t, uint64(0), got.Fired)
	_, err := s.plan.Remove(st.ID)
	require.NoError(t, err)
	assert.False(t, s.world.Snapshot().Gateways[0].Connected, "a fault that never applied heals nothing")
}

func TestHardwareHealAfterWorldReset(t *testing.T) {
	s := newSite(t)
	st := s.add(t, hw(fault.KindControllerFail, 10, fault.When{}))
	s.world.Reset() // the control API's POST /v1/reset
	gone, err := s.plan.Remove(st.ID)
	require.NoError(t, err)
	assert.Empty(t, gone.LastError, "already healed is fine")
}

func TestHardwareWithoutWorld(t *testing.T) {
	p := fault.New(nil)
	_, err := p.Add(hw(fault.KindControllerFail, 10, fault.When{}))
	assert.ErrorIs(t, err, fault.ErrNotWired)
}

// assertAtRest checks that every component is back in its state before.
func assertAtRest(t *testing.T, before, after sim.Snapshot) {
	t.Helper()
	strip := func(s sim.Snapshot) sim.Snapshot {
		s.Time, s.Version = time.Time{}, 0
		for i := range s.Gateways {
			s.Gateways[i].Version = 0
		}
		for i := range s.Sites {
			s.Sites[i].Version = 0
		}
		for i := range s.Controllers {
			s.Controllers[i].Version = 0
		}
		for i := range s.Doors {
			s.Doors[i].Version = 0
			s.Doors[i].UnlockRemaining = 0
		}
		for i := range s.Readers {
			s.Readers[i].Version = 0
		}
		for i := range s.Inputs {
			s.Inputs[i].Version = 0
		}
		for i := range s.Outputs {
			s.Outputs[i].Version = 0
		}
		return s
	}
	assert.Equal(t, strip(before), strip(after))
}

func controller(s sim.Snapshot, id sim.ID) sim.ControllerState {
	for _, c := range s.Controllers {
		if c.ID == id {
			return c
		}
	}
	panic("no controller")
}

func door(s sim.Snapshot, id sim.ID) sim.DoorState {
	for _, d := range s.Doors {
		if d.ID == id {
			return d
		}
	}
	panic("no door")
}

func reader(s sim.Snapshot, id sim.ID) sim.ReaderState {
	for _, r := range s.Readers {
		if r.ID == id {
			return r
		}
	}
	panic("no reader")
}

func input(s sim.Snapshot, id sim.ID) sim.InputState {
	for _, in := range s.Inputs {
		if in.ID == id {
			return in
		}
	}
	panic("no input")
}

func output(s sim.Snapshot, id sim.ID) sim.OutputState {
	for _, o := range s.Outputs {
		if o.ID == id {
			return o
		}
	}
	panic("no output")
}
