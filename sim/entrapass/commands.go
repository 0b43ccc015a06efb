package entrapass

import (
	"fmt"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// target is what a command addresses through its id=.
type target uint8

const (
	targetDoor target = iota
	targetReader1
	targetReader2
	targetRelay
	targetInput
)

// commandSpec is one SmartService command: PUT <name>?sdKey=&id=[&delay=s].
type commandSpec struct {
	name   string
	target target
	// delay: the command takes delay= seconds (1–sim.MaxUnlockSeconds),
	// required.
	delay bool
	// run carries the command out on the world. id is the component the
	// target resolves to (a reader for reader commands).
	run func(w *sim.World, id sim.ID, d time.Duration) error
}

// commands are the SmartService commands, as the EntraPass GO app and
// ropelletier's client send them. Reader commands address the reader
// through its door (id= is a door; …2 is the door's second reader), as
// EntraPass does.
var commands = []commandSpec{
	{name: "unlockDoor", run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.UnlockDoor(id) }},
	{name: "LockDoor", run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.LockDoor(id) }},
	{name: "TemporarilyUnlockDoor", delay: true, run: (*sim.World).TemporarilyUnlockDoor},
	{name: "DoorBackToSchedule", run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.DoorBackToSchedule(id) }},
	{name: "OneTimeAccess", run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.OneTimeAccess(id) }},
	// Arming is an intrusion feature the simulated doors do not have: the
	// command is accepted (after the same checks as any door command) and
	// changes nothing.
	{name: "ArmDoor", run: reachableDoor},
	{name: "DisarmDoor", run: reachableDoor},
	{name: "EnableReader", target: targetReader1, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.EnableReader(id) }},
	{name: "DisableReader", target: targetReader1, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.DisableReader(id) }},
	{name: "EnableReader2", target: targetReader2, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.EnableReader(id) }},
	{name: "DisableReader2", target: targetReader2, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.DisableReader(id) }},
	{name: "ActivateRelay", target: targetRelay, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.ActivateOutput(id) }},
	{name: "DeactivateRelay", target: targetRelay, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.DeactivateOutput(id) }},
	{name: "TemporarilyActivateRelay", target: targetRelay, delay: true, run: (*sim.World).TemporarilyActivateOutput},
	{name: "RelayBackToSchedule", target: targetRelay, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.OutputBackToSchedule(id) }},
	{name: "InputNoSupervision", target: targetInput, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.InputNoSupervision(id) }},
	{name: "InputNoSupervisionTemporarily", target: targetInput, delay: true, run: (*sim.World).InputNoSupervisionTemporarily},
	{name: "InputNormal", target: targetInput, run: func(w *sim.World, id sim.ID, _ time.Duration) error { return w.InputNormal(id) }},
}

// reachableDoor is ArmDoor and DisarmDoor: it refuses as any door command
// would (controller cut off or in fault) and otherwise does nothing.
func reachableDoor(w *sim.World, id sim.ID, _ time.Duration) error {
	d, err := w.Door(id)
	if err != nil {
		return err
	}
	if !d.Reachable {
		return fmt.Errorf("%w: the controller of door %q cannot be reached", sim.ErrUnreachable, d.Name)
	}
	if d.Fault {
		return fmt.Errorf("%w: the controller of door %q is in fault", sim.ErrFault, d.Name)
	}
	return nil
}

// command returns the handler of one command. Everything is checked before
// the world is touched, and the world carries a command out in one step,
// so a refused command changes nothing.
func (s *Server) command(cmd commandSpec) handlerFunc {
	return func(c *call) ([]byte, *wire.Fault) {
		n, f := c.componentID()
		if f != nil {
			return nil, f
		}
		var d time.Duration
		if cmd.delay {
			if d, f = c.delay(); f != nil {
				return nil, f
			}
		}
		id, f := s.resolve(cmd, sim.ID(n))
		if f != nil {
			return nil, f
		}
		if err := cmd.run(s.world, id, d); err != nil {
			return nil, worldFault(sim.ID(n), err)
		}
		return append(c.scratch(), wire.CommandResultOK...), nil
	}
}

// delay reads delay=: required, whole seconds from 1 to 64800 (18 h, the
// EntraPass GO limit).
func (c *call) delay() (time.Duration, *wire.Fault) {
	s, ok := c.q.get("delay")
	if !ok {
		return 0, wire.InvalidParameter("delay", "is required (seconds, 1 to 64800)")
	}
	v, f := parseID("delay", s)
	if f != nil {
		return 0, f
	}
	if v < 1 || v > sim.MaxUnlockSeconds {
		return 0, wire.InvalidParameter("delay", fmt.Sprintf("%d is out of range (1 to %d seconds)", v, sim.MaxUnlockSeconds))
	}
	return time.Duration(v) * time.Second, nil
}

// resolve checks that id is of the kind the command takes and returns the
// component to command (a door's reader for reader commands).
func (s *Server) resolve(cmd commandSpec, id sim.ID) (sim.ID, *wire.Fault) {
	k, ok := s.topo.kinds[id]
	want := sim.KindDoor
	switch cmd.target {
	case targetRelay:
		want = sim.KindOutput
	case targetInput:
		want = sim.KindInput
	}
	if !ok {
		return 0, wire.ComponentNotExist(fmt.Sprint(id))
	}
	if k != want {
		what := want.String()
		if want == sim.KindOutput {
			what = "relay"
		}
		return 0, notExist(fmt.Sprintf("Component %d is %s, not %s: %s does not apply to it.", id, article(k.String()), article(what), cmd.name))
	}
	switch cmd.target {
	case targetReader1, targetReader2:
		readers := s.topo.doorByID[id].readers
		i := int(cmd.target - targetReader1)
		if i >= len(readers) {
			return 0, notExist(fmt.Sprintf("Door %d has no reader %d.", id, i+1))
		}
		return readers[i], nil
	}
	return id, nil
}

// article prefixes a noun with "a" or "an".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
