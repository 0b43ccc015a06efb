package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// Every operator command is refused while its controller cannot be reached.
func TestControllerCutRefusesCommands(t *testing.T) {
	commands := map[string]func(w *sim.World) error{
		"unlock door":          func(w *sim.World) error { return w.UnlockDoor(doorFront) },
		"lock door":            func(w *sim.World) error { return w.LockDoor(doorFront) },
		"temporary unlock":     func(w *sim.World) error { return w.TemporarilyUnlockDoor(doorFront, 5*time.Second) },
		"door back":            func(w *sim.World) error { return w.DoorBackToSchedule(doorFront) },
		"one-time access":      func(w *sim.World) error { return w.OneTimeAccess(doorFront) },
		"enable reader":        func(w *sim.World) error { return w.EnableReader(rdFrontIn) },
		"disable reader":       func(w *sim.World) error { return w.DisableReader(rdFrontIn) },
		"shunt input":          func(w *sim.World) error { return w.InputNoSupervision(inMotion) },
		"shunt input N s":      func(w *sim.World) error { return w.InputNoSupervisionTemporarily(inMotion, time.Second) },
		"input normal":         func(w *sim.World) error { return w.InputNormal(inMotion) },
		"activate output":      func(w *sim.World) error { return w.ActivateOutput(outSiren) },
		"activate output N s":  func(w *sim.World) error { return w.TemporarilyActivateOutput(outSiren, time.Second) },
		"deactivate output":    func(w *sim.World) error { return w.DeactivateOutput(outSiren) },
		"output back to sched": func(w *sim.World) error { return w.OutputBackToSchedule(outSiren) },
	}
	cuts := map[string]struct {
		cut     func(w *sim.World) error
		restore func(w *sim.World) error
		err     error
	}{
		"controller cut":       {func(w *sim.World) error { return w.CutController(ctrlOffice) }, func(w *sim.World) error { return w.RestoreController(ctrlOffice) }, sim.ErrUnreachable},
		"gateway disconnected": {func(w *sim.World) error { return w.DisconnectGateway(gwMain) }, func(w *sim.World) error { return w.ConnectGateway(gwMain) }, sim.ErrUnreachable},
		"controller fault":     {func(w *sim.World) error { return w.SetControllerFault(ctrlOffice, true) }, func(w *sim.World) error { return w.SetControllerFault(ctrlOffice, false) }, sim.ErrFault},
	}
	for cname, cut := range cuts {
		for name, cmd := range commands {
			t.Run(cname+"/"+name, func(t *testing.T) {
				x := twNew(t)
				require.NoError(t, cut.cut(x.w))
				before := x.w.Snapshot()
				x.events()
				requireErr(t, cut.err, cmd(x.w), name)
				assert.Equal(t, before, x.w.Snapshot(), "a refused command changes nothing")
				assert.Empty(t, x.events())
				assert.Zero(t, x.w.Held())
				require.NoError(t, cut.restore(x.w))
				require.NoError(t, cmd(x.w), "accepted once restored")
			})
		}
	}
}

func TestControllerCutHoldsEventsAndDeliversThemInOrder(t *testing.T) {
	x := twNew(t, sim.WithDecider(grantAll))
	t0 := x.w.Now()
	seq, err := x.w.SetInput(inMotion, true)
	require.NoError(t, err)
	assert.NotZero(t, seq)

	require.NoError(t, x.w.CutController(ctrlOffice))
	cs := x.controller(ctrlOffice)
	assert.False(t, cs.Online)
	assert.False(t, cs.Reachable)
	assert.False(t, x.door(doorFront).Reachable)
	assert.False(t, x.reader(rdFrontIn).Reachable)
	assert.False(t, x.input(inMotion).Reachable)
	assert.False(t, x.output(outSiren).Reachable)
	assert.True(t, x.controller(ctrlShop).Reachable)
	ev := x.events()
	require.Len(t, ev, 2)
	assert.Equal(t, evCommFail, ev[1].Type, "the server notices the loss at once")
	assert.Equal(t, ctrlOffice, ev[1].Controller)
	assert.Equal(t, ctrlOffice, ev[1].Source)

	// stimuli still work while cut; their events are held (seq 0)
	type held struct {
		typ sim.EventType
		at  time.Duration
	}
	var want []held
	hold := func(typ sim.EventType, seq uint64, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.Zero(t, seq, "held events have no sequence number yet")
		want = append(want, held{typ, x.w.Now().Sub(t0)})
	}
	x.clk.Advance(time.Second)
	p, err := x.w.PresentCard(rdFrontIn, "100:1001", "")
	hold(evGranted, p.Seq, err)
	assert.Equal(t, sim.LockUnlockedAccess, x.door(doorFront).Lock, "a cut controller works on alone")
	x.clk.Advance(time.Second)
	seq, err = x.w.OpenDoor(doorFront)
	hold(evOpened, seq, err)
	assert.Equal(t, sim.ContactOpen, x.door(doorFront).Contact)
	seq, err = x.w.SetInput(inMotion, false)
	hold(evInRestore, seq, err)
	seq, err = x.w.TamperInput(inFrontREX)
	hold(sim.EventInputTamper, seq, err)

	// the other controller reports as usual
	seq, err = x.w.SetInput(inShopMot, true)
	require.NoError(t, err)
	assert.NotZero(t, seq)

	// timers fire while cut; their events are held with their own time
	x.clk.Advance(20 * time.Second)
	want = append(want, held{evPrealarm, 22 * time.Second})
	seq, err = x.w.CloseDoor(doorFront)
	hold(evClosed, seq, err)
	require.NoError(t, x.w.SetReaderFault(rdFrontIn, true))
	want = append(want, held{sim.EventReaderFault, x.w.Now().Sub(t0)})
	require.NoError(t, x.w.SetControllerFault(ctrlOffice, true))
	want = append(want, held{sim.EventControllerFault, x.w.Now().Sub(t0)})
	assert.Equal(t, len(want), x.w.Held())

	ev = x.events()
	require.Len(t, ev, 1, "only the other controller's event")
	assert.Equal(t, evInAlarm, ev[0].Type)
	assert.Equal(t, ctrlShop, ev[0].Controller)

	x.clk.Advance(time.Minute)
	require.NoError(t, x.w.RestoreController(ctrlOffice))
	assert.Zero(t, x.w.Held())
	assert.True(t, x.controller(ctrlOffice).Online)
	ev = x.events()
	require.Len(t, ev, 1+len(want))
	assert.Equal(t, evCommBack, ev[0].Type)
	assert.True(t, ev[0].Time.Equal(x.w.Now()))
	for i, h := range want {
		e := ev[1+i]
		assert.Equal(t, h.typ, e.Type, "held event %d", i)
		assert.True(t, e.Time.Equal(t0.Add(h.at)), "held event %d keeps its time: %v, want %v", i, e.Time, t0.Add(h.at))
		assert.Equal(t, ctrlOffice, e.Controller)
		assert.Equal(t, ev[0].Seq+uint64(i)+1, e.Seq, "delivered in order, no gap")
	}
	assert.Empty(t, x.events())
}

// script runs stimuli on both controllers and returns the types in the
// order they happened, per controller.
func bothControllersStimuli(t *testing.T, x *tw) []sim.EventType {
	t.Helper()
	var got []sim.EventType
	_, err := x.w.SetInput(inMotion, true)
	require.NoError(t, err)
	got = append(got, evInAlarm)
	x.clk.Advance(time.Second)
	_, err = x.w.SetInput(inShopMot, true)
	require.NoError(t, err)
	got = append(got, evInAlarm)
	x.clk.Advance(time.Second)
	_, err = x.w.OpenDoor(doorShop)
	require.NoError(t, err)
	got = append(got, evForced)
	x.clk.Advance(time.Second)
	_, err = x.w.SetInput(inMotion, false)
	require.NoError(t, err)
	got = append(got, evInRestore)
	return got
}

func TestGatewayDisconnectHoldsEveryController(t *testing.T) {
	x := twNew(t)
	require.NoError(t, x.w.DisconnectGateway(gwMain))
	g, err := x.w.Gateway(gwMain)
	require.NoError(t, err)
	assert.False(t, g.Connected)
	assert.False(t, x.controller(ctrlOffice).Reachable)
	assert.False(t, x.controller(ctrlShop).Reachable)
	assert.Equal(t, []sim.EventType{sim.EventGatewayDisconnected}, x.types())

	want := bothControllersStimuli(t, x)
	assert.Empty(t, x.events())
	assert.Equal(t, 4, x.w.Held())

	require.NoError(t, x.w.ConnectGateway(gwMain))
	ev := x.events()
	require.Len(t, ev, 5)
	assert.Equal(t, sim.EventGatewayConnected, ev[0].Type)
	var got []sim.EventType
	var ctrls []sim.ID
	for _, e := range ev[1:] {
		got = append(got, e.Type)
		ctrls = append(ctrls, e.Controller)
	}
	assert.Equal(t, want, got, "in the order they happened, across controllers")
	assert.Equal(t, []sim.ID{ctrlOffice, ctrlShop, ctrlShop, ctrlOffice}, ctrls)
	for i := 2; i < len(ev); i++ {
		assert.True(t, ev[i].Time.After(ev[i-1].Time))
	}
}

func TestControllerCutAndGatewayDisconnected(t *testing.T) {
	type op func(w *sim.World) error
	var (
		cut        op = func(w *sim.World) error { return w.CutController(ctrlOffice) }
		restore    op = func(w *sim.World) error { return w.RestoreController(ctrlOffice) }
		disconnect op = func(w *sim.World) error { return w.DisconnectGateway(gwMain) }
		connect    op = func(w *sim.World) error { return w.ConnectGateway(gwMain) }
	)
	cases := []struct {
		name string
		// before the stimuli, and after them, with the events each step
		// journals (office held events are marked by 0)
		down  []op
		downE []sim.EventType
		up    [][]sim.EventType
		upOps []op
	}{
		{
			name:  "cut, disconnect; restore, connect",
			down:  []op{cut, disconnect},
			downE: []sim.EventType{evCommFail, sim.EventGatewayDisconnected},
			upOps: []op{restore, connect},
			up: [][]sim.EventType{
				nil, // restored behind a disconnected gateway: nothing gets through
				{sim.EventGatewayConnected, evCommBack, evInAlarm, evInAlarm, evForced, evInRestore},
			},
		},
		{
			name:  "cut, disconnect; connect, restore",
			down:  []op{cut, disconnect},
			downE: []sim.EventType{evCommFail, sim.EventGatewayDisconnected},
			upOps: []op{connect, restore},
			up: [][]sim.EventType{
				{sim.EventGatewayConnected, evInAlarm, evForced}, // the shop controller's
				{evCommBack, evInAlarm, evInRestore},             // the office controller's
			},
		},
		{
			name:  "disconnect, cut; restore, connect",
			down:  []op{disconnect, cut},
			downE: []sim.EventType{sim.EventGatewayDisconnected, evCommFail},
			upOps: []op{restore, connect},
			up: [][]sim.EventType{
				nil,
				{sim.EventGatewayConnected, evCommBack, evInAlarm, evInAlarm, evForced, evInRestore},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twNew(t)
			for _, o := range c.down {
				require.NoError(t, o(x.w))
			}
			assert.Equal(t, c.downE, x.types())
			bothControllersStimuli(t, x)
			assert.Empty(t, x.events())
			for i, o := range c.upOps {
				require.NoError(t, o(x.w))
				assert.Equal(t, c.up[i], x.types(), "after step %d", i)
			}
			assert.Zero(t, x.w.Held())
			assert.True(t, x.controller(ctrlOffice).Reachable)
			assert.True(t, x.controller(ctrlOffice).Online)
		})
	}
}

func TestControllerStateErrors(t *testing.T) {
	x := twNew(t)
	requireErr(t, sim.ErrState, x.w.RestoreController(ctrlOffice), "restore an uncut controller")
	require.NoError(t, x.w.CutController(ctrlOffice))
	requireErr(t, sim.ErrState, x.w.CutController(ctrlOffice), "cut twice")
	requireErr(t, sim.ErrState, x.w.ConnectGateway(gwMain), "connect a connected gateway")
	require.NoError(t, x.w.DisconnectGateway(gwMain))
	requireErr(t, sim.ErrState, x.w.DisconnectGateway(gwMain), "disconnect twice")
	requireErr(t, sim.ErrUnknownID, x.w.CutController(doorFront), "a door is not a controller")
	requireErr(t, sim.ErrUnknownID, x.w.DisconnectGateway(ctrlOffice), "a controller is not a gateway")
	requireErr(t, sim.ErrUnknownID, x.w.SetControllerFault(999, true), "unknown")
}

func TestControllerFault(t *testing.T) {
	x := twNew(t)
	require.NoError(t, x.w.SetControllerFault(ctrlShop, true))
	require.NoError(t, x.w.SetControllerFault(ctrlShop, true))
	cs := x.controller(ctrlShop)
	assert.True(t, cs.Fault)
	assert.True(t, cs.Online)
	assert.True(t, x.door(doorShop).Fault)
	ev := x.events()
	require.Len(t, ev, 1, "no event when nothing changes")
	assert.Equal(t, sim.EventControllerFault, ev[0].Type)
	assert.Equal(t, ctrlShop, ev[0].Source)
	assert.Equal(t, ctrlShop, ev[0].Controller)
	// stimuli still work
	_, err := x.w.OpenDoor(doorShop)
	require.NoError(t, err)
	assert.Equal(t, forced, x.door(doorShop).Contact)
	require.NoError(t, x.w.SetControllerFault(ctrlShop, false))
	assert.Equal(t, []sim.EventType{evForced, sim.EventControllerFaultRestore}, x.types())
	assert.False(t, x.controller(ctrlShop).Fault)
}

func TestResetDropsHeldEventsAndStopsTimers(t *testing.T) {
	x := twNew(t, sim.WithDecider(grantAll))
	require.NoError(t, x.w.TemporarilyUnlockDoor(doorBack, 10*time.Second))
	require.NoError(t, x.w.TemporarilyActivateOutput(outSiren, 10*time.Second))
	require.NoError(t, x.w.InputNoSupervisionTemporarily(inFrontREX, 10*time.Second))
	require.NoError(t, x.w.UnlockDoor(doorOffice))
	_, err := x.w.OpenDoor(doorOffice)
	require.NoError(t, err)
	require.NoError(t, x.w.LockDoor(doorOffice)) // open-too-long supervision armed
	require.NoError(t, x.w.CutController(ctrlOffice))
	require.NoError(t, x.w.DisconnectGateway(gwMain))
	_, err = x.w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	_, err = x.w.SetInput(inShopMot, true)
	require.NoError(t, err)
	require.Equal(t, 2, x.w.Held())
	x.events()
	v := x.w.Version()

	x.w.Reset()
	assert.Zero(t, x.w.Held())
	assert.Greater(t, x.w.Version(), v, "a reset is a change head-ends see")
	snap := x.w.Snapshot()
	for _, d := range snap.Doors {
		assert.Equal(t, locked, d.Lock, d.Name)
		assert.Equal(t, closed, d.Contact, d.Name)
	}
	for _, c := range snap.Controllers {
		assert.True(t, c.Online && c.Reachable && !c.Fault, c.Name)
	}
	assert.True(t, snap.Gateways[0].Connected)
	assert.False(t, x.output(outSiren).Active)
	assert.False(t, x.input(inShopMot).Shunted)

	x.clk.Advance(time.Hour)
	assert.Empty(t, x.events(), "no held event delivered and no old timer fired into the new state")
	assert.Zero(t, x.clk.Pending(), "every timer of the old state is stopped")
	for _, d := range x.w.Snapshot().Doors {
		assert.Equal(t, locked, d.Lock, d.Name)
	}
}
