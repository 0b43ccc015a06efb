package fault

import "github.com/pacsim/pacsim/sim"

func init() {
	hardware(KindInputTamper, sim.KindInput,
		func(w *sim.World, id sim.ID) error { _, err := w.TamperInput(id); return err },
		func(w *sim.World, id sim.ID) error { _, err := w.RestoreInput(id); return err })
	hardware(KindInputTrouble, sim.KindInput,
		func(w *sim.World, id sim.ID) error { return w.SetInputTrouble(id, true) },
		func(w *sim.World, id sim.ID) error { return w.SetInputTrouble(id, false) })
}
