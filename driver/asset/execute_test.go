package asset_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestExecuteHardware: each hardware command of the document goes to the
// Hardware with its parameter (EP-DOOR-C-LOCK, -UNLOCK, -PASS,
// EP-RDR-C-DISABLE, -ENABLE, EP-OUT-C-ACTIVATE, -DEACTIVATE, -TIMED).
func TestExecuteHardware(t *testing.T) {
	cases := []struct {
		ref asset.Ref
		cmd asset.Command
	}{
		{door, asset.Command{Name: asset.Lock}},
		{door, asset.Command{Name: asset.Unlock}},
		{door, asset.Command{Name: asset.Pass, Seconds: 1}},
		{door, asset.Command{Name: asset.Pass, Seconds: 255}},
		{rdr, asset.Command{Name: asset.DisableReader}},
		{rdr, asset.Command{Name: asset.EnableReader}},
		{out, asset.Command{Name: asset.ActivateOutput}},
		{out, asset.Command{Name: asset.DeactivateOutput}},
		{out, asset.Command{Name: asset.TimedActivation, Seconds: 1}},
		{out, asset.Command{Name: asset.TimedActivation, Seconds: 64800}},
	}
	for _, c := range cases {
		t.Run(c.ref.String()+" "+c.cmd.String(), func(t *testing.T) {
			r, hw := site(t)
			before := r.List()
			require.NoError(t, r.Execute(context.Background(), c.ref, c.cmd))
			assert.Equal(t, []call{{c.ref, c.cmd}}, hw.Calls())
			assert.Equal(t, before, r.List(), "the state comes from the wire, not from the command")
		})
	}
}

// TestExecuteRefused: nothing is sent for an unknown asset, an unsupported
// command or a parameter out of range.
func TestExecuteRefused(t *testing.T) {
	cases := []struct {
		ref     asset.Ref
		cmd     asset.Command
		is      error
		wantErr string
	}{
		{door, asset.Command{Name: asset.Pass, Seconds: 0}, asset.ErrOutOfRange, "door/20: Pass: out of range: Seconds Unlocked must be between 1 and 255 seconds, not 0"},
		{door, asset.Command{Name: asset.Pass, Seconds: 256}, asset.ErrOutOfRange, "Seconds Unlocked must be between 1 and 255 seconds, not 256"},
		{out, asset.Command{Name: asset.TimedActivation, Seconds: 0}, asset.ErrOutOfRange, "Seconds Active must be between 1 and 64800 seconds, not 0"},
		{out, asset.Command{Name: asset.TimedActivation, Seconds: 64801}, asset.ErrOutOfRange, "Seconds Active must be between 1 and 64800 seconds, not 64801"},
		{door, asset.Command{Name: asset.ActivateOutput}, asset.ErrUnsupported, `door/20: "Activate Output" is not supported by a Door: it supports Acknowledge, Cancel, Mask, Reset, Lock, Unlock, Pass`},
		{in, asset.Command{Name: asset.Lock}, asset.ErrUnsupported, "it supports Mask, Acknowledge, Reset, Cancel"},
		{sys, asset.Command{Name: asset.Unlock}, asset.ErrUnsupported, "by a System"},
		{rdr, asset.Command{Name: asset.Pass, Seconds: 5}, asset.ErrUnsupported, "Disable Reader, Enable Reader"},
		{door, asset.Command{Name: "Open"}, asset.ErrUnknownCommand, `"Open"`},
		{asset.Ref{Type: asset.Door, ID: 99}, asset.Command{Name: asset.Lock}, asset.ErrUnknownAsset, "door/99"},
	}
	for _, c := range cases {
		t.Run(c.ref.String()+" "+c.cmd.String(), func(t *testing.T) {
			r, hw := site(t)
			err := r.Execute(context.Background(), c.ref, c.cmd)
			require.ErrorIs(t, err, c.is)
			assert.Contains(t, err.Error(), c.wantErr)
			assert.Empty(t, hw.Calls(), "nothing sent")
		})
	}
}

// TestExecuteOperator: Mask, Acknowledge, Reset and Cancel are the driver's
// own, on every type (EP-*-C-MASK, -ACK, -RESET, -CANCEL).
func TestExecuteOperator(t *testing.T) {
	ctx := context.Background()
	for _, typ := range asset.Types() {
		t.Run(string(typ), func(t *testing.T) {
			r, hw := site(t)
			ref := refOf(typ)
			run := func(c asset.CommandName) error { return r.Execute(ctx, ref, asset.Command{Name: c}) }

			require.NoError(t, run(asset.Mask))
			st, _ := shows(t, r, ref)
			assert.Equal(t, asset.Masked, st)
			require.NoError(t, run(asset.Reset))
			st, _ = shows(t, r, ref)
			assert.NotEqual(t, asset.Masked, st)

			err := run(asset.Acknowledge)
			require.ErrorIs(t, err, asset.ErrRefused, "no alarm")
			assert.Contains(t, err.Error(), "Acknowledge applies only to an asset showing an alarm")
			setHW(t, r, ref, asset.Fault)
			require.NoError(t, run(asset.Acknowledge))
			st, _ = shows(t, r, ref)
			assert.Equal(t, asset.Acknowledged, st)
			require.NoError(t, run(asset.Reset))
			st, _ = shows(t, r, ref)
			assert.Equal(t, asset.Fault, st)

			require.NoError(t, r.Select(door, rdr))
			require.NoError(t, run(asset.Cancel))
			assert.Empty(t, r.Selection(), "Cancel deselects all selected assets")
			assert.Empty(t, hw.Calls(), "the operator's commands never reach the hardware")
		})
	}
}

func TestExecuteHardwareErrors(t *testing.T) {
	r, hw := site(t)
	hw.err = errors.New("COMPONENT_NOT_EXIST")
	err := r.Execute(context.Background(), door, asset.Command{Name: asset.Lock})
	require.ErrorIs(t, err, hw.err)
	assert.Contains(t, err.Error(), "door/20: Lock: COMPONENT_NOT_EXIST")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hw.err = nil
	err = r.Execute(ctx, door, asset.Command{Name: asset.Pass, Seconds: 5})
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, hw.Calls(), 1, "nothing sent once the context is done")

	bare := asset.NewRegistry(nil, nil)
	require.NoError(t, bare.Add(door, "d", map[string]string{asset.PropDoorID: "20"}))
	assert.ErrorIs(t, bare.Execute(context.Background(), door, asset.Command{Name: asset.Lock}), asset.ErrNoHardware)

	var got []asset.Command
	fn := asset.NewRegistry(asset.HardwareFunc(func(_ context.Context, _ asset.Ref, c asset.Command) error {
		got = append(got, c)
		return nil
	}), nil)
	require.NoError(t, fn.Add(out, "o", map[string]string{asset.PropOutputID: "60"}))
	require.NoError(t, fn.Execute(context.Background(), out, asset.Command{Name: asset.TimedActivation, Seconds: 30}))
	assert.Equal(t, []asset.Command{{Name: asset.TimedActivation, Seconds: 30}}, got)
}
