package fault

import "github.com/pacsim/pacsim/sim"

func init() {
	hardware(KindReaderFault, sim.KindReader,
		func(w *sim.World, id sim.ID) error { return w.SetReaderFault(id, true) },
		func(w *sim.World, id sim.ID) error { return w.SetReaderFault(id, false) })
}
