package asset_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestCommandParameters: Pass takes Seconds Unlocked 1–255
// (EP-DOOR-C-PASS-RANGE), Timed Activation Seconds Active 1–64800; a value
// out of range is refused with an error naming the parameter.
func TestCommandParameters(t *testing.T) {
	cases := []struct {
		typ     asset.Type
		cmd     asset.Command
		wantErr string // "" when accepted
	}{
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: 0}, "Seconds Unlocked must be between 1 and 255 seconds, not 0"},
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: 1}, ""},
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: 5}, ""},
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: 255}, ""},
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: 256}, "Seconds Unlocked must be between 1 and 255 seconds, not 256"},
		{asset.Door, asset.Command{Name: asset.Pass, Seconds: -1}, "Seconds Unlocked"},
		{asset.Output, asset.Command{Name: asset.TimedActivation, Seconds: 0}, "Seconds Active must be between 1 and 64800 seconds, not 0"},
		{asset.Output, asset.Command{Name: asset.TimedActivation, Seconds: 1}, ""},
		{asset.Output, asset.Command{Name: asset.TimedActivation, Seconds: 64800}, ""},
		{asset.Output, asset.Command{Name: asset.TimedActivation, Seconds: 64801}, "Seconds Active must be between 1 and 64800 seconds, not 64801"},
		{asset.Door, asset.Command{Name: asset.Lock, Seconds: 5}, "Lock takes no seconds"},
		{asset.Door, asset.Command{Name: asset.Lock}, ""},
	}
	for _, c := range cases {
		t.Run(c.cmd.String(), func(t *testing.T) {
			err := c.cmd.Validate(c.typ)
			if c.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, asset.ErrOutOfRange)
			assert.Contains(t, err.Error(), c.wantErr)
		})
	}
	assert.NoError(t, asset.CheckPass(255))
	assert.ErrorIs(t, asset.CheckPass(256), asset.ErrOutOfRange)
	assert.NoError(t, asset.CheckTimedActivation(64800))
	assert.ErrorIs(t, asset.CheckTimedActivation(64801), asset.ErrOutOfRange)
}

// TestCommandSupport: every command against every type; an unsupported one
// is refused with the list of what the type supports.
func TestCommandSupport(t *testing.T) {
	for _, typ := range asset.Types() {
		for _, name := range asset.Commands() {
			cmd := asset.Command{Name: name}
			if p, ok := name.Param(); ok {
				cmd.Seconds = p.Min
			}
			err := cmd.Validate(typ)
			if typ.SupportsCommand(name) {
				assert.NoError(t, err, "%s %s", typ, name)
				continue
			}
			require.ErrorIs(t, err, asset.ErrUnsupported, "%s %s", typ, name)
			assert.Contains(t, err.Error(), string(name))
			for _, c := range typ.Commands() {
				assert.Contains(t, err.Error(), string(c), "the error lists what a %s supports", typ)
			}
		}
	}
	err := asset.Command{Name: "Open"}.Validate(asset.Door)
	require.ErrorIs(t, err, asset.ErrUnknownCommand)
	assert.Contains(t, err.Error(), "Lock, Unlock, Pass")
	assert.ErrorIs(t, asset.Command{Name: asset.Lock}.Validate("gate"), asset.ErrUnknownType)

	assert.True(t, asset.Mask.IsOperator())
	assert.True(t, asset.Cancel.IsOperator())
	assert.False(t, asset.Lock.IsOperator())
	assert.Equal(t, "Pass 5s", asset.Command{Name: asset.Pass, Seconds: 5}.String())
	assert.Equal(t, "Lock", asset.Command{Name: asset.Lock}.String())
}
