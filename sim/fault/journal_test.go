package fault_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
)

// faultEvents returns the journal's fault events after seq, each with the
// fault status its Detail carries.
func faultEvents(t *testing.T, w *sim.World, after uint64) ([]sim.Event, []fault.Status) {
	t.Helper()
	evs, _ := w.Journal().Read(after, nil, 0)
	var out []sim.Event
	var sts []fault.Status
	for _, e := range evs {
		if e.Type.OfSite() {
			continue
		}
		var st fault.Status
		require.NoError(t, json.Unmarshal([]byte(e.Detail), &st), e.Detail)
		out, sts = append(out, e), append(sts, st)
	}
	return out, sts
}

// Adding and removing a fault is journaled, with the fault, after what
// applying or healing it journaled; a hardware fault's event is about its
// component.
func TestFaultsAddedAndRemovedAreJournaled(t *testing.T) {
	s := newSite(t)
	start := s.world.Journal().Last()
	hwst := s.add(t, hw(fault.KindDoorForced, 21, fault.When{}))
	tr := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	_, err := s.plan.Remove(hwst.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, s.plan.Reset())

	evs, sts := faultEvents(t, s.world, start)
	require.Len(t, evs, 4)
	assert.Equal(t, []sim.EventType{sim.EventFaultAdded, sim.EventFaultAdded, sim.EventFaultRemoved, sim.EventFaultRemoved},
		[]sim.EventType{evs[0].Type, evs[1].Type, evs[2].Type, evs[3].Type})
	assert.Equal(t, []string{hwst.ID, tr.ID, hwst.ID, tr.ID}, []string{sts[0].ID, sts[1].ID, sts[2].ID, sts[3].ID})
	assert.Equal(t, sim.ID(21), evs[0].Source)
	assert.Equal(t, sim.KindDoor, evs[0].Kind)
	assert.Equal(t, sim.ID(0), evs[1].Source, "a transport fault is about no component")
	assert.Equal(t, fault.KindStatus, sts[1].Kind)
	assert.Equal(t, 503, sts[1].Params.Status)
	assert.Equal(t, fault.StateActive, sts[0].State)
	assert.Equal(t, fault.StateRemoved, sts[2].State)
	assert.Equal(t, fault.StateRemoved, sts[3].State)

	// The door was forced before the fault's event, and closed before its
	// removal's.
	all, _ := s.world.Journal().Read(start, nil, 0)
	assert.Equal(t, sim.EventDoorForcedOpen, all[0].Type)
	assert.Equal(t, evs[0].Seq, all[1].Seq)
}

// A fault refused journals nothing.
func TestFaultRefusedIsNotJournaled(t *testing.T) {
	s := newSite(t)
	start := s.world.Journal().Last()
	_, err := s.plan.Add(hw(fault.KindControllerFail, 99, fault.When{}))
	require.Error(t, err)
	_, err = s.plan.Remove("f9")
	require.Error(t, err)
	assert.Equal(t, start, s.world.Journal().Last())
}
