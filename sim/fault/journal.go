package fault

import (
	"encoding/json"

	"github.com/pacsim/pacsim/sim"
)

// journal tells the world's journal that st was added or removed
// (sim.EventFaultAdded, sim.EventFaultRemoved, the status in JSON as the
// event's Detail), so that every client of the event stream sees the
// faults change without polling. It comes after what applying or healing
// the fault journaled. A plan without a world journals nothing. Called
// with p.mu held, so the journal's order is the plan's.
func (p *Plan) journal(added bool, st Status) {
	if p.world == nil {
		return
	}
	b, err := json.Marshal(st)
	if err != nil {
		return // cannot happen: Status has only plain fields
	}
	var source sim.ID
	if st.Kind.Hardware() {
		source = st.Params.ID
	}
	// The component was checked when the fault was added and a world's
	// components never change, so source is known.
	_, _ = p.world.JournalFault(added, source, string(b))
}
