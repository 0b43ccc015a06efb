package asset_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

var door21 = asset.Ref{Type: asset.Door, ID: 21}

func selectionSite(t *testing.T) (*asset.Registry, *fakeHardware) {
	r, hw := site(t)
	require.NoError(t, r.Add(door21, "Office Door", map[string]string{asset.PropDoorID: "21"}))
	setHW(t, r, door21, asset.Secure)
	return r, hw
}

func TestSelect(t *testing.T) {
	r, _ := selectionSite(t)
	assert.Empty(t, r.Selection())
	require.NoError(t, r.Select(in, door21, rdr, door))
	assert.Equal(t, []asset.Ref{door, door21, rdr, in}, r.Selection(), "List's order")

	require.NoError(t, r.Select(out))
	assert.Equal(t, []asset.Ref{out}, r.Selection(), "Select replaces")

	err := r.Select(door, asset.Ref{Type: asset.Door, ID: 98}, asset.Ref{Type: asset.Input, ID: 99})
	require.ErrorIs(t, err, asset.ErrUnknownAsset)
	assert.Contains(t, err.Error(), "door/98")
	assert.Contains(t, err.Error(), "input/99")
	assert.Equal(t, []asset.Ref{out}, r.Selection(), "unchanged")

	r.Cancel()
	assert.Empty(t, r.Selection())
	require.NoError(t, r.Select())
	assert.Empty(t, r.Selection())
}

func TestApplyToSelection(t *testing.T) {
	ctx := context.Background()

	t.Run("Lock every selected door", func(t *testing.T) {
		r, hw := selectionSite(t)
		require.NoError(t, r.Select(door21, door))
		res, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Lock})
		require.NoError(t, err)
		assert.Equal(t, []asset.Result{{Ref: door}, {Ref: door21}}, res)
		assert.Equal(t, []call{{door, asset.Command{Name: asset.Lock}}, {door21, asset.Command{Name: asset.Lock}}}, hw.Calls())
		assert.Equal(t, []asset.Ref{door, door21}, r.Selection(), "a command keeps the selection")
	})

	t.Run("a command one selected type lacks is sent to none", func(t *testing.T) {
		r, hw := selectionSite(t)
		require.NoError(t, r.Select(door, rdr, in))
		res, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Unlock})
		require.ErrorIs(t, err, asset.ErrUnsupported)
		assert.Nil(t, res)
		assert.Contains(t, err.Error(), "nothing sent")
		assert.Contains(t, err.Error(), "reader/30")
		assert.Contains(t, err.Error(), "input/40")
		assert.Empty(t, hw.Calls())
	})

	t.Run("a parameter out of range is sent to none", func(t *testing.T) {
		r, hw := selectionSite(t)
		require.NoError(t, r.Select(door, door21))
		_, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Pass, Seconds: 256})
		require.ErrorIs(t, err, asset.ErrOutOfRange)
		assert.Contains(t, err.Error(), "Seconds Unlocked")
		assert.Empty(t, hw.Calls())
	})

	t.Run("Acknowledge: refused where there is no alarm, done elsewhere", func(t *testing.T) {
		r, _ := selectionSite(t)
		setHW(t, r, door, asset.ForcedOpen, asset.Unsecure)
		setHW(t, r, in, asset.Tamper, asset.Inactive)
		require.NoError(t, r.Select(door, door21, in))
		res, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Acknowledge})
		require.ErrorIs(t, err, asset.ErrRefused)
		require.Len(t, res, 3)
		assert.NoError(t, res[0].Err)
		assert.ErrorIs(t, res[1].Err, asset.ErrRefused)
		assert.Equal(t, door21, res[1].Ref)
		assert.NoError(t, res[2].Err)
		for _, ref := range []asset.Ref{door, in} {
			st, _ := shows(t, r, ref)
			assert.Equal(t, asset.Acknowledged, st, ref)
		}
		b, err := json.Marshal(res)
		require.NoError(t, err)
		assert.JSONEq(t, `[{"type":"door","id":20},
			{"type":"door","id":21,"error":"door/21 shows \"Secure\": refused: Acknowledge applies only to an asset showing an alarm (Fault, Forced Open, Held Open, Tamper, Controller Fault)"},
			{"type":"input","id":40}]`, string(b))
	})

	t.Run("Mask and Reset the selection", func(t *testing.T) {
		r, _ := selectionSite(t)
		require.NoError(t, r.Select(sys, door, rdr, out, in))
		_, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Mask})
		require.NoError(t, err)
		for _, s := range r.List() {
			if s.Ref != door21 {
				assert.Equal(t, asset.Masked, s.Status, s.Ref)
			}
		}
		_, err = r.ApplyToSelection(ctx, asset.Command{Name: asset.Reset})
		require.NoError(t, err)
		for _, s := range r.List() {
			assert.NotEqual(t, asset.Masked, s.Status, s.Ref)
		}
	})

	t.Run("Cancel deselects all", func(t *testing.T) {
		r, hw := selectionSite(t)
		require.NoError(t, r.Select(door, rdr))
		res, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Cancel})
		require.NoError(t, err)
		assert.Len(t, res, 2)
		assert.Empty(t, r.Selection())
		assert.Empty(t, hw.Calls())
		res, err = r.ApplyToSelection(ctx, asset.Command{Name: asset.Cancel})
		require.NoError(t, err, "Cancel with nothing selected is fine")
		assert.Empty(t, res)
	})

	t.Run("nothing selected", func(t *testing.T) {
		r, _ := selectionSite(t)
		_, err := r.ApplyToSelection(ctx, asset.Command{Name: asset.Lock})
		require.ErrorIs(t, err, asset.ErrRefused)
		assert.Contains(t, err.Error(), "no asset is selected")
	})
}
