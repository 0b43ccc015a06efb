package sim

import (
	"fmt"
	"time"
)

type output struct {
	base
	ctrl   *controller
	active bool
	// fault is an output controller fault: the relay cannot be driven.
	fault bool
	// trouble is an issue of the output itself (its wiring or relay), not
	// of its controller: commands still reach it.
	trouble bool
	tempo   timer
}

// outputCommand carries out an operator command on an output: it looks the
// output up, checks it and its controller can be driven, and runs do with
// the world locked.
func (w *World) outputCommand(id ID, do func(*output)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, err := w.output(id)
	if err != nil {
		return err
	}
	if err := o.ctrl.command(); err != nil {
		return err
	}
	if o.fault {
		return fmt.Errorf("%w: output %q has an output controller fault", ErrFault, o.name)
	}
	do(o)
	return nil
}

func (w *World) setOutput(o *output, on bool, secs int) {
	o.active = on
	w.touch(&o.base)
	t := EventOutputDeactivated
	if on {
		t = EventOutputActivated
	}
	w.emit(Event{Type: t, Source: o.id, Kind: KindOutput, Value: secs}, o.ctrl)
}

// ActivateOutput turns an output on until DeactivateOutput.
func (w *World) ActivateOutput(id ID) error {
	return w.outputCommand(id, func(o *output) {
		o.tempo.disarm()
		w.setOutput(o, true, 0)
	})
}

// DeactivateOutput turns an output off.
func (w *World) DeactivateOutput(id ID) error {
	return w.outputCommand(id, func(o *output) {
		o.tempo.disarm()
		w.setOutput(o, false, 0)
	})
}

// OutputBackToSchedule returns an output to its schedule; outputs of a
// simulated site have none, so it turns off.
func (w *World) OutputBackToSchedule(id ID) error { return w.DeactivateOutput(id) }

// TemporarilyActivateOutput turns an output on for d (1 s to 18 h): the
// document's Timed Activation.
func (w *World) TemporarilyActivateOutput(id ID, d time.Duration) error {
	if err := checkSeconds(d); err != nil {
		return err
	}
	return w.outputCommand(id, func(o *output) {
		w.setOutput(o, true, int(d/time.Second))
		w.arm(&o.tempo, d)
	})
}

func (w *World) onTempoEnd(o *output) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.due(&o.tempo) {
		w.setOutput(o, false, 0)
	}
}

// SetOutputFault puts an output in or out of output controller fault.
func (w *World) SetOutputFault(id ID, fault bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, err := w.output(id)
	if err != nil {
		return err
	}
	if o.fault == fault {
		return nil
	}
	o.fault = fault
	w.touch(&o.base)
	t := EventOutputFaultRestore
	if fault {
		t = EventOutputFault
	}
	w.emit(Event{Type: t, Source: o.id, Kind: KindOutput}, o.ctrl)
	return nil
}

// SetOutputTrouble puts an output in or out of trouble: an issue of the
// output itself (its wiring or relay), not of its controller. Unlike an
// output controller fault it does not refuse commands.
func (w *World) SetOutputTrouble(id ID, on bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, err := w.output(id)
	if err != nil {
		return err
	}
	if o.trouble == on {
		return nil
	}
	o.trouble = on
	w.touch(&o.base)
	t := EventOutputTroubleRestore
	if on {
		t = EventOutputTrouble
	}
	w.emit(Event{Type: t, Source: o.id, Kind: KindOutput}, o.ctrl)
	return nil
}
