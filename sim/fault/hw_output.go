package fault

import "github.com/pacsim/pacsim/sim"

func init() {
	hardware(KindOutputControllerFault, sim.KindOutput,
		func(w *sim.World, id sim.ID) error { return w.SetOutputFault(id, true) },
		func(w *sim.World, id sim.ID) error { return w.SetOutputFault(id, false) })
	hardware(KindOutputTrouble, sim.KindOutput,
		func(w *sim.World, id sim.ID) error { return w.SetOutputTrouble(id, true) },
		func(w *sim.World, id sim.ID) error { return w.SetOutputTrouble(id, false) })
}
