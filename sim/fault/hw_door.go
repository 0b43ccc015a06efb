package fault

import (
	"fmt"

	"github.com/pacsim/pacsim/sim"
)

func init() {
	hardware(KindDoorForced, sim.KindDoor, forceDoor, closeDoor)
	hardware(KindDoorHeldOpen, sim.KindDoor, holdDoorOpen, closeDoor)
}

// forceDoor opens a closed, locked door with no grant: the world sees it
// forced.
func forceDoor(w *sim.World, id sim.ID) error {
	d, err := w.Door(id)
	if err != nil {
		return err
	}
	if d.Contact != sim.ContactClosed || d.Lock != sim.LockLocked {
		return fmt.Errorf("%w: door %q is %s and %s: only a closed, locked door can be forced", sim.ErrState, d.Name, d.Contact, d.Lock)
	}
	_, err = w.OpenDoor(id)
	return err
}

// holdDoorOpen unlocks a closed door for one passage (a request to exit)
// and opens it: it is supervised, so once its open time passes on the site
// clock it goes to pre-alarm, then open too long.
func holdDoorOpen(w *sim.World, id sim.ID) error {
	d, err := w.Door(id)
	if err != nil {
		return err
	}
	switch {
	case d.Contact != sim.ContactClosed:
		return fmt.Errorf("%w: door %q is %s: only a closed door can be held open", sim.ErrState, d.Name, d.Contact)
	case d.Lock != sim.LockLocked && d.Lock != sim.LockUnlockedAccess && d.Lock != sim.LockOneTimeAccess:
		return fmt.Errorf("%w: door %q is %s: an open door is only supervised (and so held open too long) when it is locked or unlocked for one passage", sim.ErrState, d.Name, d.Lock)
	}
	if _, err := w.PressREX(id); err != nil {
		return err
	}
	_, err = w.OpenDoor(id)
	return err
}

// closeDoor heals a forced or held-open door by closing it.
func closeDoor(w *sim.World, id sim.ID) error {
	_, err := w.CloseDoor(id)
	return err
}
