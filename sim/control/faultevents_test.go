package control_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/fault"
)

// A fault added or removed through the API reaches every stream client as
// "fault-added" / "fault-removed" with the fault, and the journal page
// carries it too.
func TestStreamFaultAddedAndRemoved(t *testing.T) {
	w := newWorld(t)
	plan := fault.New(w)
	e := newEnvWorld(t, w, control.WithRoutes(fault.Routes(plan)))
	s := e.openStream("")
	s.next() // retry

	st, err := e.c.AddFault(ctx(t), fault.Fault{Target: fault.TargetSite, Kind: fault.KindDoorForced, Params: fault.Params{ID: frontDoor}})
	require.NoError(t, err)
	m, ev := s.nextEvent()
	assert.Equal(t, "door", m.event, "the door forced first")
	assert.Equal(t, sim.EventDoorForcedOpen, ev.Type)
	m, ev = s.nextEvent()
	assert.Equal(t, "fault-added", m.event)
	assert.Equal(t, "Fault added", ev.Text)
	assert.Equal(t, sim.EventFaultAdded, ev.Type)
	assert.Equal(t, frontDoor, ev.Source)
	assert.Equal(t, "Front Door", ev.SourceName)
	var got fault.Status
	require.NoError(t, json.Unmarshal(ev.Fault, &got))
	assert.Equal(t, st.ID, got.ID)
	assert.Equal(t, fault.KindDoorForced, got.Kind)
	assert.Equal(t, fault.StateActive, got.State)

	require.NoError(t, e.c.RemoveFault(ctx(t), st.ID))
	s.nextEvent() // the door closed
	m, ev = s.nextEvent()
	assert.Equal(t, "fault-removed", m.event)
	require.NoError(t, json.Unmarshal(ev.Fault, &got))
	assert.Equal(t, st.ID, got.ID)
	assert.Equal(t, fault.StateRemoved, got.State)

	page, err := e.c.Events(ctx(t), 0, 0)
	require.NoError(t, err)
	last := page.Events[len(page.Events)-1]
	assert.Equal(t, "Fault removed", last.Text)
	assert.JSONEq(t, string(ev.Fault), string(last.Fault))
	// Other events carry no fault.
	assert.Empty(t, page.Events[0].Fault)
}
