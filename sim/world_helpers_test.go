package sim_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// IDs of the embedded default site (sim/sites/default.yaml).
const (
	gwMain      sim.ID = 1
	siteOffice  sim.ID = 2
	siteShop    sim.ID = 3
	ctrlOffice  sim.ID = 10
	ctrlShop    sim.ID = 11
	doorFront   sim.ID = 20 // readers 30 (entry), 31 (exit)
	doorOffice  sim.ID = 21 // reader 32, keypad
	doorServer  sim.ID = 22 // reader 33, keypad
	doorBack    sim.ID = 23
	doorShop    sim.ID = 24 // readers 36, 37
	rdFrontIn   sim.ID = 30
	rdFrontOut  sim.ID = 31
	rdOffice    sim.ID = 32
	rdShopIn    sim.ID = 36
	inFrontREX  sim.ID = 50
	inMotion    sim.ID = 52
	inShopMot   sim.ID = 60
	outBuzzer   sim.ID = 70
	outSiren    sim.ID = 71
	outShopSire sim.ID = 75
)

// tw is a world under test on the manual clock, with a cursor that collects
// what each step journaled.
type tw struct {
	t   testing.TB
	w   *sim.World
	clk *sim.ManualClock
	cur *sim.Cursor
	buf []sim.Event
}

// twDefaultSite parses the default site once: worlds only read their site
// file, and parsing it is most of what building a world costs.
var twDefaultSite = sync.OnceValue(sim.DefaultSite)

// twNew builds a world from the default site.
func twNew(t testing.TB, opts ...sim.Option) *tw {
	t.Helper()
	return twFrom(t, twDefaultSite(), opts...)
}

// twYAML builds a world from a site file given as YAML.
func twYAML(t testing.TB, src string, opts ...sim.Option) *tw {
	t.Helper()
	sf, err := sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	return twFrom(t, sf, opts...)
}

func twFrom(t testing.TB, sf *sim.SiteFile, opts ...sim.Option) *tw {
	t.Helper()
	w, err := sim.New(sf, opts...)
	require.NoError(t, err)
	clk, ok := w.Clock().(*sim.ManualClock)
	require.True(t, ok, "the default clock is a ManualClock")
	return &tw{t: t, w: w, clk: clk, cur: w.Journal().Cursor(w.Journal().Last())}
}

// grantAll is a head-end that grants every card to Alice.
var grantAll = sim.DeciderFunc(func(sim.AccessRequest) sim.Decision {
	return sim.Decision{Granted: true, User: "Alice Martin", UserID: 200}
})

// events returns what was journaled since the last call.
func (x *tw) events() []sim.Event {
	x.buf = x.cur.Next(x.buf[:0], 0)
	out := make([]sim.Event, len(x.buf))
	copy(out, x.buf)
	return out
}

// types returns the types of what was journaled since the last call.
func (x *tw) types() []sim.EventType {
	var out []sim.EventType
	for _, e := range x.events() {
		out = append(out, e.Type)
	}
	return out
}

func (x *tw) door(id sim.ID) sim.DoorState {
	x.t.Helper()
	d, err := x.w.Door(id)
	require.NoError(x.t, err)
	return d
}

func (x *tw) input(id sim.ID) sim.InputState {
	x.t.Helper()
	s, err := x.w.Input(id)
	require.NoError(x.t, err)
	return s
}

func (x *tw) output(id sim.ID) sim.OutputState {
	x.t.Helper()
	s, err := x.w.Output(id)
	require.NoError(x.t, err)
	return s
}

func (x *tw) reader(id sim.ID) sim.ReaderState {
	x.t.Helper()
	s, err := x.w.Reader(id)
	require.NoError(x.t, err)
	return s
}

func (x *tw) controller(id sim.ID) sim.ControllerState {
	x.t.Helper()
	s, err := x.w.Controller(id)
	require.NoError(x.t, err)
	return s
}

// act is one stimulus, command or clock move of a table test.
type act struct {
	name string
	do   func(x *tw) error
}

func advance(d time.Duration) act {
	return act{"advance " + d.String(), func(x *tw) error { x.clk.Advance(d); return nil }}
}

func present(r sim.ID, card, pin string) act {
	return act{"present " + card, func(x *tw) error { _, err := x.w.PresentCard(r, card, pin); return err }}
}

func openDoor(d sim.ID) act {
	return act{"open", func(x *tw) error { _, err := x.w.OpenDoor(d); return err }}
}

func closeDoor(d sim.ID) act {
	return act{"close", func(x *tw) error { _, err := x.w.CloseDoor(d); return err }}
}

func rex(d sim.ID) act {
	return act{"rex", func(x *tw) error { _, err := x.w.PressREX(d); return err }}
}

func unlock(d sim.ID) act { return act{"unlock", func(x *tw) error { return x.w.UnlockDoor(d) }} }
func lock(d sim.ID) act   { return act{"lock", func(x *tw) error { return x.w.LockDoor(d) }} }
func back(d sim.ID) act {
	return act{"back to schedule", func(x *tw) error { return x.w.DoorBackToSchedule(d) }}
}
func oneTime(d sim.ID) act {
	return act{"one-time access", func(x *tw) error { return x.w.OneTimeAccess(d) }}
}
func tempUnlock(d sim.ID, n time.Duration) act {
	return act{"temporary unlock " + n.String(), func(x *tw) error { return x.w.TemporarilyUnlockDoor(d, n) }}
}

// requireErr checks err against want (nil: no error).
func requireErr(t testing.TB, want, err error, msg string) {
	t.Helper()
	if want == nil {
		require.NoError(t, err, msg)
		return
	}
	require.Error(t, err, msg)
	require.True(t, errors.Is(err, want), "%s: %v is not %v", msg, err, want)
}
