package sim

import (
	"fmt"
	"time"
)

type input struct {
	base
	ctrl    *controller
	alarm   bool
	tamper  bool
	trouble bool
	// shunted: not supervised, so alarms raise no event.
	shunted bool
	shunt   timer
	// reported is the alarm state the journal last showed, so that when
	// supervision returns the journal is brought back in line with the
	// input (an alarm raised, or a restore that happened while shunted).
	reported bool
}

func (w *World) input(id ID) (*input, error) {
	i, err := w.lookup(id, KindInput)
	if err != nil {
		return nil, err
	}
	return w.inputs[i], nil
}

func (w *World) inputEvent(in *input, t EventType) uint64 {
	return w.emit(Event{Type: t, Source: in.id, Kind: KindInput}, in.ctrl)
}

// SetInput moves an input into alarm (true) or back to rest. A shunted
// input changes state silently.
func (w *World) SetInput(id ID, alarm bool) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return 0, err
	}
	if in.alarm == alarm {
		word := "at rest"
		if alarm {
			word = "in alarm"
		}
		return 0, fmt.Errorf("%w: input %q is already %s", ErrState, in.name, word)
	}
	in.alarm = alarm
	w.touch(&in.base)
	if in.shunted {
		return 0, nil
	}
	in.reported = alarm
	t := EventInputRestore
	if alarm {
		t = EventInputAlarm
	}
	return w.inputEvent(in, t), nil
}

// TamperInput is someone tampering with an input's wiring or box.
func (w *World) TamperInput(id ID) (uint64, error) { return w.setTamper(id, true) }

// RestoreInput ends a tamper.
func (w *World) RestoreInput(id ID) (uint64, error) { return w.setTamper(id, false) }

func (w *World) setTamper(id ID, on bool) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return 0, err
	}
	if in.tamper == on {
		if on {
			return 0, fmt.Errorf("%w: input %q is already tampered", ErrState, in.name)
		}
		return 0, fmt.Errorf("%w: input %q is not tampered", ErrState, in.name)
	}
	in.tamper = on
	w.touch(&in.base)
	t := EventInputTamperRestore
	if on {
		t = EventInputTamper
	}
	return w.inputEvent(in, t), nil
}

// SetInputTrouble puts an input in or out of trouble (a wiring fault).
func (w *World) SetInputTrouble(id ID, on bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return err
	}
	if in.trouble == on {
		return nil
	}
	in.trouble = on
	w.touch(&in.base)
	t := EventInputTroubleRestore
	if on {
		t = EventInputTrouble
	}
	w.inputEvent(in, t)
	return nil
}

// InputNoSupervision shunts an input until InputNormal.
func (w *World) InputNoSupervision(id ID) error { return w.shuntInput(id, 0) }

// InputNoSupervisionTemporarily shunts an input for d (1 s to 18 h).
func (w *World) InputNoSupervisionTemporarily(id ID, d time.Duration) error {
	if err := checkSeconds(d); err != nil {
		return err
	}
	return w.shuntInput(id, d)
}

func (w *World) shuntInput(id ID, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return err
	}
	if err := in.ctrl.command(); err != nil {
		return err
	}
	in.shunted = true
	in.shunt.disarm()
	if d > 0 {
		w.arm(&in.shunt, d)
	}
	w.touch(&in.base)
	w.emit(Event{Type: EventInputShunted, Source: in.id, Kind: KindInput, Value: int(d / time.Second)}, in.ctrl)
	return nil
}

func (w *World) onShuntEnd(in *input) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.due(&in.shunt) {
		w.unshunt(in)
	}
}

// InputNormal puts an input back under supervision.
func (w *World) InputNormal(id ID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return err
	}
	if err := in.ctrl.command(); err != nil {
		return err
	}
	in.shunt.disarm()
	w.unshunt(in)
	return nil
}

// unshunt restores supervision; an input found in alarm raises it now, and
// an input that went back to rest while shunted journals its restore, so a
// reader of the journal never believes it still in alarm.
func (w *World) unshunt(in *input) {
	was := in.shunted
	in.shunted = false
	w.touch(&in.base)
	w.inputEvent(in, EventInputNormal)
	switch {
	case was && in.alarm:
		w.inputEvent(in, EventInputAlarm)
	case was && in.reported:
		w.inputEvent(in, EventInputRestore)
	}
	in.reported = in.alarm
}
