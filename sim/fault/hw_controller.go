package fault

import "github.com/pacsim/pacsim/sim"

func init() {
	hardware(KindControllerFail, sim.KindController, (*sim.World).CutController, (*sim.World).RestoreController)
	hardware(KindControllerFault, sim.KindController,
		func(w *sim.World, id sim.ID) error { return w.SetControllerFault(id, true) },
		func(w *sim.World, id sim.ID) error { return w.SetControllerFault(id, false) })
}
