package asset_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestDefaultTable is SPEC §6's precedence, highest first.
func TestDefaultTable(t *testing.T) {
	want := []string{
		"No Communication",
		"Masked",
		"Acknowledged",
		"Fault", "Forced Open", "Held Open", "Tamper", "Controller Fault",
		"Disabled", "Unsecure", "Active",
		"Enabled", "Secure", "Inactive", "Present",
		"Normal",
	}
	tab := asset.DefaultTable()
	assert.Equal(t, want, strs(tab.Statuses()))
	assert.Equal(t, want, strs(asset.Statuses()))
	for i, s := range want {
		r, ok := tab.Rank(asset.Status(s))
		assert.True(t, ok)
		assert.Equal(t, i, r, s)
	}
	for _, typ := range asset.Types() {
		assert.NoError(t, tab.Check(typ), "the default table serves every type")
	}
	assert.Equal(t, asset.NoCommunication, tab.Higher(asset.Masked, asset.NoCommunication))
	assert.Equal(t, asset.Acknowledged, tab.Higher(asset.Acknowledged, asset.Fault))
	assert.Equal(t, asset.Fault, tab.Higher(asset.Normal, asset.Fault))
	assert.Contains(t, tab.String(), "No Communication > Masked > Acknowledged > Fault")
}

func TestNewTable(t *testing.T) {
	cases := []struct {
		name    string
		order   []asset.Status
		wantErr string
	}{
		{"reordered", []asset.Status{asset.HeldOpen, asset.NoCommunication, asset.Secure}, ""},
		{"no No Communication", []asset.Status{asset.Masked, asset.Normal}, `"No Communication" is required in every status table`},
		{"unknown", []asset.Status{asset.NoCommunication, "Ajar", "Open"}, `unknown status "Ajar", "Open"`},
		{"twice", []asset.Status{asset.NoCommunication, asset.Fault, asset.Fault}, `"Fault" is listed twice`},
		{"empty", nil, `"No Communication" is required`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, err := asset.NewTable(c.order...)
			if c.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, c.order, tab.Statuses())
				return
			}
			require.ErrorIs(t, err, asset.ErrInvalidTable)
			assert.Contains(t, err.Error(), c.wantErr)
		})
	}

	_, err := asset.ParseTable("no communication", "ajar")
	require.ErrorIs(t, err, asset.ErrInvalidTable)
	assert.Contains(t, err.Error(), `"ajar"`)
	tab, err := asset.ParseTable("held open", "No Communication")
	require.NoError(t, err)
	assert.Equal(t, []asset.Status{asset.HeldOpen, asset.NoCommunication}, tab.Statuses())
}

// TestTableCheck: a table given to a type must rank every status the type
// supports.
func TestTableCheck(t *testing.T) {
	tab, err := asset.NewTable(asset.NoCommunication, asset.Masked, asset.Acknowledged, asset.Fault, asset.Secure)
	require.NoError(t, err)
	err = tab.Check(asset.Door)
	require.ErrorIs(t, err, asset.ErrInvalidTable)
	assert.Contains(t, err.Error(), "missing Forced Open, Unsecure, Held Open")
	assert.ErrorContains(t, tab.Check(asset.System), "missing Normal")
}

func TestTableJSON(t *testing.T) {
	rev := slices.Clone(asset.Statuses())
	slices.Reverse(rev)
	tab, err := asset.NewTable(rev...)
	require.NoError(t, err)
	b, err := json.Marshal(tab)
	require.NoError(t, err)
	var back asset.Table
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, rev, back.Statuses())

	var cfg struct {
		Tables map[asset.Type]*asset.Table `json:"tables"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"tables":{"door":["Held Open","Forced Open","No Communication","Masked","Acknowledged","Fault","Unsecure","Secure"]}}`), &cfg))
	assert.Equal(t, asset.HeldOpen, cfg.Tables[asset.Door].Statuses()[0])
	err = json.Unmarshal([]byte(`{"tables":{"door":["Masked","Fault"]}}`), &cfg)
	assert.ErrorIs(t, err, asset.ErrInvalidTable)
	err = json.Unmarshal([]byte(`{"tables":{"door":["No Communication","Ajar"]}}`), &cfg)
	assert.ErrorContains(t, err, `"Ajar"`)
}
