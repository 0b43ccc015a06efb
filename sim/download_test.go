package sim_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// versioned is a head-end whose only card is valid or not, and which keeps
// copies: a frozen copy answers as the head-end did when it was frozen.
type versioned struct {
	mu       sync.Mutex
	valid    bool
	frozen   int // copies made
	released int // copies released
}

func (v *versioned) answer(valid bool) sim.Decision {
	if valid {
		return sim.Decision{Granted: true, User: "Vic"}
	}
	return sim.Decision{Reason: sim.ReasonCardInvalid, User: "Vic"}
}

func (v *versioned) Decide(sim.AccessRequest) sim.Decision {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.answer(v.valid)
}

func (v *versioned) set(valid bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.valid = valid
}

func (v *versioned) Freeze() sim.Frozen {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.frozen++
	return &frozenCopy{v: v, valid: v.valid}
}

func (v *versioned) counts() (frozen, released int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.frozen, v.released
}

type frozenCopy struct {
	v     *versioned
	valid bool
	done  bool
}

func (f *frozenCopy) Decide(sim.AccessRequest) sim.Decision {
	if f.done {
		panic("a released copy was asked")
	}
	return f.v.answer(f.valid)
}

func (f *frozenCopy) Release() {
	if f.done {
		panic("a copy released twice")
	}
	f.done = true
	f.v.mu.Lock()
	f.v.released++
	f.v.mu.Unlock()
}

func granted(t *testing.T, w *sim.World, reader sim.ID) bool {
	t.Helper()
	p, err := w.PresentCard(reader, "100:1001", "")
	require.NoError(t, err)
	return p.Granted
}

func TestCutControllerDecidesFromTheCopyItWasSent(t *testing.T) {
	h := &versioned{valid: true}
	w := twNew(t, sim.WithDecider(h)).w
	require.NoError(t, w.CutController(ctrlOffice))
	h.set(false)
	require.True(t, granted(t, w, rdFrontIn), "the cut-off controller decides from its copy")
	require.False(t, granted(t, w, rdShopIn), "a controller in touch follows the head-end")
	require.NoError(t, w.RestoreController(ctrlOffice))
	require.False(t, granted(t, w, rdFrontIn), "restored, it received the change")
	f, r := h.counts()
	require.Equal(t, [2]int{1, 1}, [2]int{f, r})
}

func TestGatewayCutFreezesEachControllerOnce(t *testing.T) {
	h := &versioned{valid: true}
	w := twNew(t, sim.WithDecider(h)).w
	require.NoError(t, w.CutController(ctrlOffice))
	require.NoError(t, w.DisconnectGateway(gwMain))
	f, _ := h.counts()
	require.Equal(t, 2, f, "one copy per controller: the Office controller keeps the one of its own cut")
	h.set(false)
	require.NoError(t, w.ConnectGateway(gwMain))
	require.True(t, granted(t, w, rdFrontIn), "still cut off itself")
	require.False(t, granted(t, w, rdShopIn))
	require.NoError(t, w.RestoreController(ctrlOffice))
	require.False(t, granted(t, w, rdFrontIn))
	f, r := h.counts()
	require.Equal(t, [2]int{2, 2}, [2]int{f, r})
}

func TestResetReleasesTheCopies(t *testing.T) {
	h := &versioned{valid: true}
	w := twNew(t, sim.WithDecider(h)).w
	require.NoError(t, w.CutController(ctrlOffice))
	h.set(false)
	w.Reset()
	require.False(t, granted(t, w, rdFrontIn))
	f, r := h.counts()
	require.Equal(t, [2]int{1, 1}, [2]int{f, r})
}

// A head-end that keeps no copy is asked live, cut off or not.
func TestDeciderWithoutCopiesIsAskedLive(t *testing.T) {
	valid := true
	w := twNew(t, sim.WithDecider(sim.DeciderFunc(func(sim.AccessRequest) sim.Decision {
		if valid {
			return sim.Decision{Granted: true}
		}
		return sim.Decision{Reason: sim.ReasonCardInvalid}
	}))).w
	require.NoError(t, w.CutController(ctrlOffice))
	valid = false
	require.False(t, granted(t, w, rdFrontIn))
}

// A chain freezes the head-ends that keep copies and asks the others live.
func TestChainFreezesItsDownloaders(t *testing.T) {
	first := &versioned{valid: true}
	liveValid := false
	then := sim.DeciderFunc(func(sim.AccessRequest) sim.Decision {
		if liveValid {
			return sim.Decision{Granted: true}
		}
		return sim.Decision{Reason: sim.ReasonUnknownCard}
	})
	c := sim.Chain(first, then)
	dl, ok := c.(sim.Downloader)
	require.True(t, ok, "a chain keeps copies")
	fr := dl.Freeze()
	first.set(false)
	require.True(t, fr.Decide(sim.AccessRequest{}).Granted)
	require.False(t, c.Decide(sim.AccessRequest{}).Granted)
	fr.Release()
	f, r := first.counts()
	require.Equal(t, [2]int{1, 1}, [2]int{f, r})

	// The second head-end is asked live for a card the first does not know.
	c = sim.Chain(sim.DeciderFunc(func(sim.AccessRequest) sim.Decision { return sim.Decision{Reason: sim.ReasonUnknownCard} }), then)
	fr = c.(sim.Downloader).Freeze()
	liveValid = true
	require.True(t, fr.Decide(sim.AccessRequest{}).Granted)
	fr.Release()
}
