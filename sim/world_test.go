package sim_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// lateClock is a clock whose timers have always just fired: Stop and Reset
// cannot take back a callback, which the test then runs by hand. It is what
// a RealClock timer does when it fires while the world is locked by the
// change that stops or moves it, and what a ManualClock timer does when a
// concurrent Advance has popped it.
type lateClock struct {
	mu  sync.Mutex
	now time.Time
	fns []func()
}

func (c *lateClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *lateClock) AfterFunc(d time.Duration, f func()) sim.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, f)
	return lateTimer{}
}

func (c *lateClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fire runs every callback ever scheduled, as late as can be.
func (c *lateClock) fire() {
	c.mu.Lock()
	fns := append([]func(){}, c.fns...)
	c.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

type lateTimer struct{}

func (lateTimer) Stop() bool               { return false }
func (lateTimer) Reset(time.Duration) bool { return false }

func TestResetStopsCallbacksAlreadyOnTheirWay(t *testing.T) {
	clk := &lateClock{now: sim.DefaultStart}
	w, err := sim.New(sim.DefaultSite(), sim.WithClock(clk), sim.WithDecider(grantAll))
	require.NoError(t, err)
	require.NoError(t, w.TemporarilyUnlockDoor(doorBack, 10*time.Second))
	require.NoError(t, w.TemporarilyActivateOutput(outSiren, 10*time.Second))
	require.NoError(t, w.InputNoSupervisionTemporarily(inFrontREX, 10*time.Second))
	_, err = w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	_, err = w.OpenDoor(doorFront)
	require.NoError(t, err)
	clk.advance(time.Hour)
	w.Reset()
	last := w.Journal().Last()
	snap := w.Snapshot()

	clk.fire()
	assert.Equal(t, last, w.Journal().Last(), "no callback of the old state journals into the new one")
	assert.Equal(t, snap, w.Snapshot(), "no callback of the old state changes the new one")
}

func TestCallbackOfAMovedTimerDoesNothing(t *testing.T) {
	clk := &lateClock{now: sim.DefaultStart}
	w, err := sim.New(sim.DefaultSite(), sim.WithClock(clk))
	require.NoError(t, err)
	require.NoError(t, w.TemporarilyUnlockDoor(doorBack, 10*time.Second))
	require.NoError(t, w.TemporarilyActivateOutput(outSiren, 10*time.Second))
	clk.advance(10 * time.Second)
	// the timers fire, but before their callbacks get the world the
	// operator gives 10 s more
	require.NoError(t, w.TemporarilyUnlockDoor(doorBack, 10*time.Second))
	require.NoError(t, w.TemporarilyActivateOutput(outSiren, 10*time.Second))
	last := w.Journal().Last()
	clk.fire()
	assert.Equal(t, last, w.Journal().Last())
	d, err := w.Door(doorBack)
	require.NoError(t, err)
	assert.Equal(t, sim.LockUnlockedTemporary, d.Lock)
	o, err := w.Output(outSiren)
	require.NoError(t, err)
	assert.True(t, o.Active)
	// and when the new deadline comes, they act
	clk.advance(10 * time.Second)
	clk.fire()
	d, _ = w.Door(doorBack)
	assert.Equal(t, sim.LockLocked, d.Lock)
	o, _ = w.Output(outSiren)
	assert.False(t, o.Active)
}

func TestNew(t *testing.T) {
	_, err := sim.New(nil)
	requireErr(t, sim.ErrSiteFile, err, "no site file")

	bad := sim.DefaultSite()
	bad.Gateways = nil
	_, err = sim.New(bad)
	requireErr(t, sim.ErrSiteFile, err, "an invalid site file")

	j := sim.NewJournal(10)
	clk := sim.NewManualClock(sim.DefaultStart.Add(time.Hour))
	w, err := sim.New(sim.DefaultSite(), sim.WithJournal(j), sim.WithClock(clk))
	require.NoError(t, err)
	assert.Same(t, j, w.Journal())
	assert.Equal(t, sim.Clock(clk), w.Clock())
	assert.True(t, w.Now().Equal(sim.DefaultStart.Add(time.Hour)))
	assert.Equal(t, time.UTC, w.Location())
	assert.Equal(t, "pacsim default site", w.File().Name)

	w, err = sim.New(sim.DefaultSite())
	require.NoError(t, err)
	assert.Equal(t, sim.DefaultRetention, w.Journal().Retention())
	assert.True(t, w.Now().Equal(sim.DefaultStart), "the manual clock starts at the default start")
	s, ok := w.Schedule(81)
	require.True(t, ok)
	assert.Equal(t, "Business hours", s.Name)
	_, ok = w.Schedule(999)
	assert.False(t, ok)

	for id, k := range map[sim.ID]sim.Kind{gwMain: sim.KindGateway, siteOffice: sim.KindSite, ctrlOffice: sim.KindController,
		doorFront: sim.KindDoor, rdFrontIn: sim.KindReader, inMotion: sim.KindInput, outSiren: sim.KindOutput} {
		got, ok := w.Kind(id)
		assert.True(t, ok)
		assert.Equal(t, k, got)
	}
	_, ok = w.Kind(999)
	assert.False(t, ok)
	name, ok := w.Name(doorFront)
	assert.True(t, ok)
	assert.Equal(t, "Front Door", name)
	_, ok = w.Name(999)
	assert.False(t, ok)
}

func TestVersionAndChangedSince(t *testing.T) {
	x := twNew(t)
	all := []sim.ID{gwMain, siteOffice, ctrlOffice, doorFront, doorShop, rdFrontIn, inMotion, outSiren, 999}
	changed := func(v uint64, ids []sim.ID) map[sim.ID]sim.Kind {
		got := map[sim.ID]sim.Kind{}
		x.w.ChangedSince(v, ids, func(id sim.ID, k sim.Kind) { got[id] = k })
		return got
	}
	assert.Len(t, changed(0, all), 8, "everything but the unknown id at version 0")

	v := x.w.Version()
	assert.Empty(t, changed(v, all))
	_, err := x.w.OpenDoor(doorFront)
	require.NoError(t, err)
	assert.Equal(t, map[sim.ID]sim.Kind{doorFront: sim.KindDoor}, changed(v, all))
	assert.Greater(t, x.w.Version(), v)

	v = x.w.Version()
	require.NoError(t, x.w.SetReaderFault(rdFrontIn, true))
	assert.Equal(t, map[sim.ID]sim.Kind{doorFront: sim.KindDoor, rdFrontIn: sim.KindReader}, changed(v, all),
		"a reader's fault shows on its door")

	v = x.w.Version()
	require.NoError(t, x.w.CutController(ctrlOffice))
	assert.Equal(t, map[sim.ID]sim.Kind{ctrlOffice: sim.KindController, doorFront: sim.KindDoor, rdFrontIn: sim.KindReader,
		inMotion: sim.KindInput, outSiren: sim.KindOutput}, changed(v, all), "a cut touches what is wired to the controller")

	v = x.w.Version()
	require.NoError(t, x.w.DisconnectGateway(gwMain))
	assert.Len(t, changed(v, all), 8, "a gateway touches everything behind it")

	v = x.w.Version()
	x.clk.Advance(time.Minute)
	assert.Empty(t, changed(v, all), "time passing with no timer due changes nothing")
}

func TestFindByName(t *testing.T) {
	w, err := sim.New(sim.DefaultSite())
	require.NoError(t, err)
	id, err := w.FindByName(sim.KindDoor, "front door")
	require.NoError(t, err)
	require.Equal(t, sim.ID(20), id)
	id, err = w.FindByName(sim.KindReader, "Office Door entry")
	require.NoError(t, err)
	require.Equal(t, sim.ID(32), id)
	// A name of another kind is not found, and the error lists the kind's names.
	_, err = w.FindByName(sim.KindDoor, "Front Door entry")
	require.ErrorIs(t, err, sim.ErrUnknownID)
	require.Contains(t, err.Error(), `"Back Door", "Front Door", "Loading Dock"`)
}
