package sim_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

func TestOutputTransitions(t *testing.T) {
	o := outSiren
	on := func(x *tw) error { return x.w.ActivateOutput(o) }
	off := func(x *tw) error { return x.w.DeactivateOutput(o) }
	backSched := func(x *tw) error { return x.w.OutputBackToSchedule(o) }
	onFor := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { return x.w.TemporarilyActivateOutput(o, d) }
	}
	fault := func(f bool) func(x *tw) error { return func(x *tw) error { return x.w.SetOutputFault(o, f) } }
	adv := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { x.clk.Advance(d); return nil }
	}
	var (
		act   = sim.EventOutputActivated
		deact = sim.EventOutputDeactivated
	)
	type step struct {
		name      string
		do        func(x *tw) error
		err       error
		active    bool
		fault     bool
		remaining sim.Seconds
		ev        []sim.EventType
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"on and off", []step{
			{"on", on, nil, true, false, 0, []sim.EventType{act}},
			{"an hour", adv(time.Hour), nil, true, false, 0, nil},
			{"off", off, nil, false, false, 0, []sim.EventType{deact}},
		}},
		{"back to schedule turns it off", []step{
			{"on", on, nil, true, false, 0, []sim.EventType{act}},
			{"back", backSched, nil, false, false, 0, []sim.EventType{deact}},
		}},
		{"on for N s turns off after N s exactly", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"9 s", adv(9 * time.Second), nil, true, false, 1, nil},
			{"10 s", adv(time.Second), nil, false, false, 0, []sim.EventType{deact}},
			{"later", adv(time.Hour), nil, false, false, 0, nil},
		}},
		{"on during a timed activation holds it on", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"on", on, nil, true, false, 0, []sim.EventType{act}},
			{"later", adv(time.Hour), nil, true, false, 0, nil},
		}},
		{"off during a timed activation cancels it", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"off", off, nil, false, false, 0, []sim.EventType{deact}},
			{"later", adv(time.Hour), nil, false, false, 0, nil},
		}},
		{"a timed activation given again restarts its time", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"5 s", adv(5 * time.Second), nil, true, false, 5, nil},
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"9 s", adv(9 * time.Second), nil, true, false, 1, nil},
			{"10 s", adv(time.Second), nil, false, false, 0, []sim.EventType{deact}},
		}},
		{"out-of-range seconds are refused with no state change", []step{
			{"0 s", onFor(0), sim.ErrOutOfRange, false, false, 0, nil},
			{"64801 s", onFor((sim.MaxUnlockSeconds + 1) * time.Second), sim.ErrOutOfRange, false, false, 0, nil},
			{"1.5 s", onFor(1500 * time.Millisecond), sim.ErrOutOfRange, false, false, 0, nil},
			{"64800 s", onFor(sim.MaxUnlockSeconds * time.Second), nil, true, false, sim.MaxUnlockSeconds, []sim.EventType{act}},
		}},
		{"a fault refuses commands", []step{
			{"fault", fault(true), nil, false, true, 0, []sim.EventType{sim.EventOutputFault}},
			{"fault again is no change", fault(true), nil, false, true, 0, nil},
			{"on", on, sim.ErrFault, false, true, 0, nil},
			{"on 10 s", onFor(10 * time.Second), sim.ErrFault, false, true, 0, nil},
			{"off", off, sim.ErrFault, false, true, 0, nil},
			{"back", backSched, sim.ErrFault, false, true, 0, nil},
			{"restore", fault(false), nil, false, false, 0, []sim.EventType{sim.EventOutputFaultRestore}},
			{"on", on, nil, true, false, 0, []sim.EventType{act}},
		}},
		{"a fault during a timed activation: it still ends", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"fault", fault(true), nil, true, true, 10, []sim.EventType{sim.EventOutputFault}},
			{"10 s", adv(10 * time.Second), nil, false, true, 0, []sim.EventType{deact}},
		}},
		{"commands need a reachable controller", []step{
			{"cut", func(x *tw) error { return x.w.CutController(ctrlOffice) }, nil, false, false, 0, []sim.EventType{evCommFail}},
			{"on", on, sim.ErrUnreachable, false, false, 0, nil},
			{"on 10 s", onFor(10 * time.Second), sim.ErrUnreachable, false, false, 0, nil},
			{"off", off, sim.ErrUnreachable, false, false, 0, nil},
			{"restore", func(x *tw) error { return x.w.RestoreController(ctrlOffice) }, nil, false, false, 0, []sim.EventType{evCommBack}},
			{"disconnect", func(x *tw) error { return x.w.DisconnectGateway(gwMain) }, nil, false, false, 0, []sim.EventType{sim.EventGatewayDisconnected}},
			{"on", on, sim.ErrUnreachable, false, false, 0, nil},
			{"connect", func(x *tw) error { return x.w.ConnectGateway(gwMain) }, nil, false, false, 0, []sim.EventType{sim.EventGatewayConnected}},
			{"controller fault", func(x *tw) error { return x.w.SetControllerFault(ctrlOffice, true) }, nil, false, false, 0, []sim.EventType{sim.EventControllerFault}},
			{"on", on, sim.ErrFault, false, false, 0, nil},
		}},
		{"a timed activation ending while cut is held", []step{
			{"on 10 s", onFor(10 * time.Second), nil, true, false, 10, []sim.EventType{act}},
			{"cut", func(x *tw) error { return x.w.CutController(ctrlOffice) }, nil, true, false, 10, []sim.EventType{evCommFail}},
			{"10 s", adv(10 * time.Second), nil, false, false, 0, nil},
			{"restore", func(x *tw) error { return x.w.RestoreController(ctrlOffice) }, nil, false, false, 0, []sim.EventType{evCommBack, deact}},
		}},
		{"unknown outputs", []step{
			{"on", func(x *tw) error { return x.w.ActivateOutput(999) }, sim.ErrUnknownID, false, false, 0, nil},
			{"an input is not an output", func(x *tw) error { return x.w.ActivateOutput(inMotion) }, sim.ErrUnknownID, false, false, 0, nil},
			{"fault", func(x *tw) error { return x.w.SetOutputFault(999, true) }, sim.ErrUnknownID, false, false, 0, nil},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twNew(t)
			for i, s := range c.steps {
				msg := fmt.Sprintf("step %d (%s)", i, s.name)
				requireErr(t, s.err, s.do(x), msg)
				st := x.output(o)
				assert.Equal(t, s.active, st.Active, msg+": active")
				assert.Equal(t, s.fault, st.Fault, msg+": fault")
				assert.Equal(t, s.remaining, st.ActiveRemaining, msg+": remaining")
				assert.Equal(t, s.ev, x.types(), msg+": events")
				require.False(t, t.Failed())
			}
			assert.False(t, x.output(outBuzzer).Active, "other outputs are untouched")
		})
	}
}

func TestOutputEventFields(t *testing.T) {
	x := twNew(t)
	require.NoError(t, x.w.TemporarilyActivateOutput(outShopSire, 15*time.Second))
	ev := x.events()
	require.Len(t, ev, 1)
	assert.Equal(t, sim.Event{Seq: 1, Time: x.w.Now(), Type: sim.EventOutputActivated, Source: outShopSire,
		Kind: sim.KindOutput, Controller: ctrlShop, Value: 15}, ev[0])
	assert.Equal(t, "Relay activated", ev[0].Text())
}

// An output's trouble is an issue of the output itself, not of its
// controller: it shows in the state and the journal, and refuses nothing.
func TestOutputTrouble(t *testing.T) {
	o := outSiren
	trouble := func(on bool) func(x *tw) error {
		return func(x *tw) error { return x.w.SetOutputTrouble(o, on) }
	}
	fault := func(f bool) func(x *tw) error { return func(x *tw) error { return x.w.SetOutputFault(o, f) } }
	on := func(x *tw) error { return x.w.ActivateOutput(o) }
	onFor := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { return x.w.TemporarilyActivateOutput(o, d) }
	}
	adv := func(d time.Duration) func(x *tw) error {
		return func(x *tw) error { x.clk.Advance(d); return nil }
	}
	var (
		tr      = sim.EventOutputTrouble
		trBack  = sim.EventOutputTroubleRestore
		act     = sim.EventOutputActivated
		deact   = sim.EventOutputDeactivated
		cut     = func(x *tw) error { return x.w.CutController(ctrlOffice) }
		restore = func(x *tw) error { return x.w.RestoreController(ctrlOffice) }
	)
	type step struct {
		name                   string
		do                     func(x *tw) error
		err                    error
		trouble, fault, active bool
		ev                     []sim.EventType
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"trouble and restore", []step{
			{"trouble", trouble(true), nil, true, false, false, []sim.EventType{tr}},
			{"trouble again is no change", trouble(true), nil, true, false, false, nil},
			{"restore", trouble(false), nil, false, false, false, []sim.EventType{trBack}},
			{"restore again is no change", trouble(false), nil, false, false, false, nil},
		}},
		{"trouble refuses no command", []step{
			{"trouble", trouble(true), nil, true, false, false, []sim.EventType{tr}},
			{"on", on, nil, true, false, true, []sim.EventType{act}},
			{"on 10 s", onFor(10 * time.Second), nil, true, false, true, []sim.EventType{act}},
			{"10 s", adv(10 * time.Second), nil, true, false, false, []sim.EventType{deact}},
			{"restore", trouble(false), nil, false, false, false, []sim.EventType{trBack}},
		}},
		{"trouble and an output controller fault are apart", []step{
			{"fault", fault(true), nil, false, true, false, []sim.EventType{sim.EventOutputFault}},
			{"trouble", trouble(true), nil, true, true, false, []sim.EventType{tr}},
			{"fault restore", fault(false), nil, true, false, false, []sim.EventType{sim.EventOutputFaultRestore}},
			{"trouble restore", trouble(false), nil, false, false, false, []sim.EventType{trBack}},
		}},
		{"trouble while the controller is cut off is held", []step{
			{"cut", cut, nil, false, false, false, []sim.EventType{evCommFail}},
			{"trouble", trouble(true), nil, true, false, false, nil},
			{"restore the controller", restore, nil, true, false, false, []sim.EventType{evCommBack, tr}},
		}},
		{"unknown outputs", []step{
			{"999", func(x *tw) error { return x.w.SetOutputTrouble(999, true) }, sim.ErrUnknownID, false, false, false, nil},
			{"an input is not an output", func(x *tw) error { return x.w.SetOutputTrouble(inMotion, true) }, sim.ErrUnknownID, false, false, false, nil},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twNew(t)
			for i, s := range c.steps {
				msg := fmt.Sprintf("step %d (%s)", i, s.name)
				before := x.output(o).Version
				requireErr(t, s.err, s.do(x), msg)
				st := x.output(o)
				assert.Equal(t, s.trouble, st.Trouble, msg+": trouble")
				assert.Equal(t, s.fault, st.Fault, msg+": fault")
				assert.Equal(t, s.active, st.Active, msg+": active")
				assert.Equal(t, s.ev, x.types(), msg+": events")
				if s.err == nil && (slices.Contains(s.ev, tr) || slices.Contains(s.ev, trBack)) {
					assert.Greater(t, st.Version, before, msg+": version")
				}
				require.False(t, t.Failed())
			}
			assert.False(t, x.output(outBuzzer).Trouble, "other outputs are untouched")
		})
	}
}

func TestOutputTroubleEventFields(t *testing.T) {
	x := twNew(t)
	require.NoError(t, x.w.SetOutputTrouble(outShopSire, true))
	require.NoError(t, x.w.SetOutputTrouble(outShopSire, false))
	ev := x.events()
	require.Len(t, ev, 2)
	assert.Equal(t, sim.Event{Seq: 1, Time: x.w.Now(), Type: sim.EventOutputTrouble, Source: outShopSire,
		Kind: sim.KindOutput, Controller: ctrlShop}, ev[0])
	assert.Equal(t, "Output trouble", ev[0].Text())
	assert.Equal(t, "Output trouble restore", ev[1].Text())
	assert.Equal(t, uint16(570), uint16(ev[0].Type))
	assert.Equal(t, uint16(571), uint16(ev[1].Type))
}
