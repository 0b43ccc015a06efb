package asset_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// The assets of the tests: one of each type, ids as on the default site.
var (
	sys  = asset.SystemRef
	door = asset.Ref{Type: asset.Door, ID: 20}
	rdr  = asset.Ref{Type: asset.Reader, ID: 30}
	out  = asset.Ref{Type: asset.Output, ID: 60}
	in   = asset.Ref{Type: asset.Input, ID: 40}
)

// call is one command the fake hardware received.
type call struct {
	Ref asset.Ref
	Cmd asset.Command
}

// fakeHardware records the commands it is given and answers err.
type fakeHardware struct {
	mu    sync.Mutex
	calls []call
	err   error
}

func (h *fakeHardware) Do(_ context.Context, ref asset.Ref, cmd asset.Command) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, call{ref, cmd})
	return h.err
}

func (h *fakeHardware) Calls() []call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]call(nil), h.calls...)
}

// site is a registry with one asset of each type, all read from the wire at
// rest: System Normal, the door Secure, the reader Enabled, the output
// Present, the input Inactive.
func site(t testing.TB) (*asset.Registry, *fakeHardware) {
	t.Helper()
	hw := &fakeHardware{}
	r := asset.NewRegistry(hw, nil)
	require.NoError(t, r.Add(door, "Front Door", map[string]string{asset.PropDoorID: "20"}))
	require.NoError(t, r.Add(rdr, "Front Door entry", map[string]string{asset.PropDoorID: "20"}))
	require.NoError(t, r.Add(out, "Front Door buzzer", map[string]string{asset.PropOutputID: "60"}))
	require.NoError(t, r.Add(in, "Front Door button", map[string]string{asset.PropInputID: "40"}))
	setHW(t, r, sys)
	setHW(t, r, door, asset.Secure)
	setHW(t, r, rdr, asset.Enabled)
	setHW(t, r, out, asset.Present)
	setHW(t, r, in, asset.Inactive)
	return r, hw
}

// setHW sets an asset's true statuses through the registry.
func setHW(t testing.TB, r *asset.Registry, ref asset.Ref, ss ...asset.Status) {
	t.Helper()
	require.NoError(t, r.Update(ref, func(a *asset.Asset) error { return a.SetHardware(ss...) }))
}

// shows returns what an asset shows.
func shows(t testing.TB, r *asset.Registry, ref asset.Ref) (asset.Status, []asset.Status) {
	t.Helper()
	s, err := r.Get(ref)
	require.NoError(t, err)
	return s.Status, s.Statuses
}

// drain returns the events buffered for a subscriber, without waiting.
func drain(s *asset.Subscription) []asset.Event {
	var out []asset.Event
	for {
		select {
		case e, ok := <-s.Events():
			if !ok {
				return out
			}
			out = append(out, e)
		default:
			return out
		}
	}
}

// newAsset makes a standalone asset of a type with its required property.
func newAsset(t testing.TB, ref asset.Ref) *asset.Asset {
	t.Helper()
	props := map[string]string{}
	if p := ref.Type.RequiredProperty(); p != "" {
		props[p] = "7"
	}
	a, err := asset.NewAsset(ref, "test "+string(ref.Type), props)
	require.NoError(t, err)
	return a
}

// refOf returns the test asset of a type.
func refOf(t asset.Type) asset.Ref {
	switch t {
	case asset.System:
		return sys
	case asset.Door:
		return door
	case asset.Reader:
		return rdr
	case asset.Output:
		return out
	}
	return in
}
