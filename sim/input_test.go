package sim_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// inputWant is an input's state after a step.
type inputWant struct {
	alarm, tamper, trouble, shunted bool
	remaining                       sim.Seconds
}

type inputStep struct {
	name string
	do   func(x *tw) error
	err  error
	want inputWant
	ev   []sim.EventType
}

func TestInputTransitions(t *testing.T) {
	in := inMotion
	alarmOn := func(x *tw) error { _, err := x.w.SetInput(in, true); return err }
	alarmOff := func(x *tw) error { _, err := x.w.SetInput(in, false); return err }
	tamper := func(x *tw) error { _, err := x.w.TamperInput(in); return err }
	untamper := func(x *tw) error { _, err := x.w.RestoreInput(in); return err }
	trouble := func(on bool) func(x *tw) error {
		return func(x *tw) error { return x.w.SetInputTrouble(in, on) }
	}
	shunt := func(x *tw) error { return x.w.InputNoSupervision(in) }
	shuntFor := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { return x.w.InputNoSupervisionTemporarily(in, d) }
	}
	normal := func(x *tw) error { return x.w.InputNormal(in) }
	adv := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { x.clk.Advance(d); return nil }
	}
	var (
		rest    = inputWant{}
		alarm   = inputWant{alarm: true}
		shunted = inputWant{shunted: true}
	)
	withRemaining := func(w inputWant, s sim.Seconds) inputWant { w.remaining = s; return w }
	alarmShunted := inputWant{alarm: true, shunted: true}

	cases := []struct {
		name  string
		steps []inputStep
	}{
		{"alarm and restore", []inputStep{
			{"alarm", alarmOn, nil, alarm, []sim.EventType{evInAlarm}},
			{"alarm again", alarmOn, sim.ErrState, alarm, nil},
			{"restore", alarmOff, nil, rest, []sim.EventType{evInRestore}},
			{"restore again", alarmOff, sim.ErrState, rest, nil},
		}},
		{"tamper and restore", []inputStep{
			{"tamper", tamper, nil, inputWant{tamper: true}, []sim.EventType{sim.EventInputTamper}},
			{"tamper again", tamper, sim.ErrState, inputWant{tamper: true}, nil},
			{"alarm while tampered", alarmOn, nil, inputWant{tamper: true, alarm: true}, []sim.EventType{evInAlarm}},
			{"restore tamper", untamper, nil, alarm, []sim.EventType{sim.EventInputTamperRestore}},
			{"restore tamper again", untamper, sim.ErrState, alarm, nil},
		}},
		{"trouble", []inputStep{
			{"trouble", trouble(true), nil, inputWant{trouble: true}, []sim.EventType{sim.EventInputTrouble}},
			{"trouble again is no change", trouble(true), nil, inputWant{trouble: true}, nil},
			{"trouble restore", trouble(false), nil, rest, []sim.EventType{sim.EventInputTroubleRestore}},
			{"trouble restore again is no change", trouble(false), nil, rest, nil},
		}},
		{"shunted forever: no alarm events, alarm raised when supervision returns", []inputStep{
			{"shunt", shunt, nil, shunted, []sim.EventType{sim.EventInputShunted}},
			{"alarm while shunted", alarmOn, nil, alarmShunted, nil},
			{"a day later", adv(24 * time.Hour), nil, alarmShunted, nil},
			{"normal", normal, nil, alarm, []sim.EventType{sim.EventInputNormal, evInAlarm}},
			{"restore", alarmOff, nil, rest, []sim.EventType{evInRestore}},
		}},
		{"shunted for N s: supervision returns after N s exactly", []inputStep{
			{"shunt 30 s", shuntFor(30 * time.Second), nil, withRemaining(shunted, 30), []sim.EventType{sim.EventInputShunted}},
			{"alarm while shunted", alarmOn, nil, withRemaining(alarmShunted, 30), nil},
			{"restore while shunted", alarmOff, nil, withRemaining(shunted, 30), nil},
			{"alarm while shunted", alarmOn, nil, withRemaining(alarmShunted, 30), nil},
			{"29 s", adv(29 * time.Second), nil, withRemaining(alarmShunted, 1), nil},
			{"30 s", adv(time.Second), nil, alarm, []sim.EventType{sim.EventInputNormal, evInAlarm}},
			{"later", adv(time.Hour), nil, alarm, nil},
		}},
		{"shunted for N s at rest: supervision returns quietly", []inputStep{
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(shunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"10 s", adv(10 * time.Second), nil, rest, []sim.EventType{sim.EventInputNormal}},
		}},
		{"in alarm when shunted, at rest when supervision returns: the restore is journaled", []inputStep{
			{"alarm", alarmOn, nil, alarm, []sim.EventType{evInAlarm}},
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(alarmShunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"restore while shunted", alarmOff, nil, withRemaining(shunted, 10), nil},
			{"10 s", adv(10 * time.Second), nil, rest, []sim.EventType{sim.EventInputNormal, evInRestore}},
		}},
		{"normal before the N s cancels the timer", []inputStep{
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(shunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"normal", normal, nil, rest, []sim.EventType{sim.EventInputNormal}},
			{"alarm", alarmOn, nil, alarm, []sim.EventType{evInAlarm}},
			{"shunt forever", shunt, nil, alarmShunted, []sim.EventType{sim.EventInputShunted}},
			{"past the old deadline", adv(time.Hour), nil, alarmShunted, nil},
		}},
		{"shunt forever replaces a shunt for N s", []inputStep{
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(shunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"shunt", shunt, nil, shunted, []sim.EventType{sim.EventInputShunted}},
			{"later", adv(time.Hour), nil, shunted, nil},
		}},
		{"a shunt for N s given again restarts its time", []inputStep{
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(shunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"5 s", adv(5 * time.Second), nil, withRemaining(shunted, 5), nil},
			{"shunt 10 s", shuntFor(10 * time.Second), nil, withRemaining(shunted, 10), []sim.EventType{sim.EventInputShunted}},
			{"9 s", adv(9 * time.Second), nil, withRemaining(shunted, 1), nil},
			{"10 s", adv(time.Second), nil, rest, []sim.EventType{sim.EventInputNormal}},
		}},
		{"normal on an input not shunted", []inputStep{
			{"normal", normal, nil, rest, []sim.EventType{sim.EventInputNormal}},
			{"alarm", alarmOn, nil, alarm, []sim.EventType{evInAlarm}},
			{"normal does not raise the alarm again", normal, nil, alarm, []sim.EventType{sim.EventInputNormal}},
		}},
		{"out-of-range shunts are refused", []inputStep{
			{"0 s", shuntFor(0), sim.ErrOutOfRange, rest, nil},
			{"64801 s", shuntFor((sim.MaxUnlockSeconds + 1) * time.Second), sim.ErrOutOfRange, rest, nil},
			{"half a second", shuntFor(500 * time.Millisecond), sim.ErrOutOfRange, rest, nil},
			{"64800 s", shuntFor(sim.MaxUnlockSeconds * time.Second), nil, withRemaining(shunted, sim.MaxUnlockSeconds), []sim.EventType{sim.EventInputShunted}},
		}},
		{"shunt commands need a reachable controller, stimuli do not", []inputStep{
			{"cut", func(x *tw) error { return x.w.CutController(ctrlOffice) }, nil, rest, []sim.EventType{evCommFail}},
			{"shunt", shunt, sim.ErrUnreachable, rest, nil},
			{"shunt N s", shuntFor(time.Second), sim.ErrUnreachable, rest, nil},
			{"normal", normal, sim.ErrUnreachable, rest, nil},
			{"alarm", alarmOn, nil, alarm, nil},
			{"tamper", tamper, nil, inputWant{alarm: true, tamper: true}, nil},
			{"restore", func(x *tw) error { return x.w.RestoreController(ctrlOffice) }, nil, inputWant{alarm: true, tamper: true},
				[]sim.EventType{evCommBack, evInAlarm, sim.EventInputTamper}},
			{"fault", func(x *tw) error { return x.w.SetControllerFault(ctrlOffice, true) }, nil, inputWant{alarm: true, tamper: true},
				[]sim.EventType{sim.EventControllerFault}},
			{"shunt in fault", shunt, sim.ErrFault, inputWant{alarm: true, tamper: true}, nil},
		}},
		{"unknown input", []inputStep{
			{"set", func(x *tw) error { _, err := x.w.SetInput(999, true); return err }, sim.ErrUnknownID, rest, nil},
			{"a door is not an input", func(x *tw) error { _, err := x.w.TamperInput(doorFront); return err }, sim.ErrUnknownID, rest, nil},
			{"shunt", func(x *tw) error { return x.w.InputNoSupervision(outSiren) }, sim.ErrUnknownID, rest, nil},
			{"trouble", func(x *tw) error { return x.w.SetInputTrouble(999, true) }, sim.ErrUnknownID, rest, nil},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twNew(t)
			for i, s := range c.steps {
				msg := fmt.Sprintf("step %d (%s)", i, s.name)
				requireErr(t, s.err, s.do(x), msg)
				st := x.input(in)
				state := "normal"
				if s.want.alarm {
					state = "alarm"
				}
				assert.Equal(t, state, st.State, msg)
				assert.Equal(t, s.want.tamper, st.Tamper, msg+": tamper")
				assert.Equal(t, s.want.trouble, st.Trouble, msg+": trouble")
				assert.Equal(t, s.want.shunted, st.Shunted, msg+": shunted")
				assert.Equal(t, s.want.remaining, st.ShuntedRemaining, msg+": remaining")
				assert.Equal(t, s.ev, x.types(), msg+": events")
				require.False(t, t.Failed())
			}
			assert.Equal(t, "normal", x.input(inFrontREX).State, "other inputs are untouched")
		})
	}
}

func TestInputEventFields(t *testing.T) {
	x := twNew(t)
	seq, err := x.w.SetInput(inShopMot, true)
	require.NoError(t, err)
	require.NoError(t, x.w.InputNoSupervisionTemporarily(inShopMot, 42*time.Second))
	ev := x.events()
	require.Len(t, ev, 2)
	assert.Equal(t, sim.Event{Seq: seq, Time: x.w.Now(), Type: evInAlarm, Source: inShopMot, Kind: sim.KindInput,
		Controller: ctrlShop}, ev[0])
	assert.Equal(t, 42, ev[1].Value)
	assert.Equal(t, "Input in alarm", ev[0].Text())

	seq, err = x.w.SetInput(inShopMot, false)
	require.NoError(t, err)
	assert.Zero(t, seq, "a shunted input journals nothing")
}
