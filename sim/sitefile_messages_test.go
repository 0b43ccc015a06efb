package sim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// TestSiteFileTypeErrorsNameTheField: a value of the wrong type is reported
// with the path of its field and its line, never with a Go type name
// (sim.SiteSpec, sim.DoorSpec…) the user has never seen.
func TestSiteFileTypeErrorsNameTheField(t *testing.T) {
	r := func(old, new string) string {
		require.Contains(t, minimalSite, old, "the case must change something")
		return strings.Replace(minimalSite, old, new, 1)
	}
	door := "gateways[0].sites[0].controllers[0].doors[0]"
	cases := []struct {
		name, src, want string
	}{
		{"a word for a number", r("name: door\n", "name: door\n                unlock_schedule: abc\n"),
			door + `.unlock_schedule: want a whole number, got "abc" (line 17)`},
		{"a word for a duration", r("name: door\n", "name: door\n                unlock_time: soon\n"),
			door + `.unlock_time: want a duration such as "5s" or "2m", got "soon" (line 17)`},
		{"a word for a boolean", r("readers: [{id: 30, name: r30}]", "readers: [{id: 30, name: r30, keypad: maybe}]"),
			door + `.readers[0].keypad: want true or false, got "maybe" (line 17)`},
		{"a number for a site", r("    sites:\n      - id: 2", "    sites:\n      - 5\n      - id: 2"),
			`gateways[0].sites[0]: want a mapping of keys to values, got "5" (line 8)`},
		{"a number for a list", r("inputs: [{id: 50, name: in50}]", "inputs: 50"),
			`gateways[0].sites[0].controllers[0].inputs: want a list, got "50" (line 18)`},
		{"a list for a name", r("name: door\n", "name: [a, b]\n"),
			door + `.name: want a string, got a list (line 16)`},
		{"an unknown key in a door", r("name: door\n", "name: door\n                colour: blue\n"),
			door + `.colour: unknown field (line 17); the fields are id, name, unlock_time, open_time, prealarm, unlock_schedule, readers`},
		{"a key given twice", r("name: door\n", "name: door\n                name: porte\n"),
			door + `.name: given twice (lines 16 and 17)`},
		{"a number too large", r("  - id: 1\n    name: gw", "  - id: 99999999999999999999\n    name: gw"),
			`gateways[0].id: want a whole number, got "99999999999999999999" (line 5)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := sim.ParseSiteFile([]byte(c.src))
			require.Error(t, err)
			assert.ErrorIs(t, err, sim.ErrSiteFile)
			assert.Equal(t, "site file: "+c.want, err.Error())
			assert.NotContains(t, err.Error(), "sim.")
			assert.NotContains(t, err.Error(), "unmarshal")
		})
	}
}

// TestSiteFileMissingModel: a controller without a model says the model is
// required and which ones there are, not `unknown controller model ""`.
func TestSiteFileMissingModel(t *testing.T) {
	src := strings.Replace(minimalSite, "            model: KT-1\n", "", 1)
	require.NotEqual(t, minimalSite, src)
	_, err := sim.ParseSiteFile([]byte(src))
	require.Error(t, err)
	assert.EqualError(t, err, "site file: gateways[0].sites[0].controllers[0].model: required (one of KT-1, KT-2, KT-100, KT-200, KT-300, KT-400)")
}

// jsonSite is minimalSite in JSON, a door's unlock time as a string.
const jsonSite = `{
	"version": 1,
	"name": "json site",
	"gateways": [{"id": 1, "name": "gw", "sites": [{"id": 2, "name": "s",
		"controllers": [{"id": 3, "name": "c", "model": "KT-2",
			"doors": [{"id": 4, "name": "d\u00e9", "unlock_time": "3s",
				"readers": [{"id": 5, "name": "r\/5", "keypad": true}]}]}]}]}]
}
`

// TestSiteFileJSONIsStrict: a site file in JSON is read as JSON — tabs and
// every escape included — and what encoding/json refuses (a trailing comma,
// a comment, a single-quoted string) is refused with its line and column
// rather than read as YAML.
func TestSiteFileJSONIsStrict(t *testing.T) {
	sf, err := sim.ParseSiteFile([]byte(jsonSite))
	require.NoError(t, err, "tab-indented JSON with \\u and \\/ escapes")
	d := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	assert.Equal(t, "dé", d.Name)
	assert.Equal(t, "r/5", d.Readers[0].Name)

	for _, c := range []struct{ name, src, want string }{
		{"trailing comma", strings.Replace(jsonSite, `"keypad": true}`, `"keypad": true,}`, 1),
			"site file: JSON: line 7, column 58: invalid character '}' looking for beginning of object key string"},
		{"comment", strings.Replace(jsonSite, `"version": 1,`, `"version": 1, # one`, 1),
			"site file: JSON: line 2, column 16: invalid character '#' looking for beginning of object key string"},
		{"single quotes", strings.Replace(jsonSite, `"json site"`, `'json site'`, 1),
			"site file: JSON: line 3, column 10: invalid character '\\'' looking for beginning of value"},
		{"two documents", jsonSite + "{}\n",
			"site file: JSON: line 9, column 1: a second value after the site; a site file holds one"},
		{"a type error has the path", strings.Replace(jsonSite, `"keypad": true`, `"keypad": "yes"`, 1),
			`site file: gateways[0].sites[0].controllers[0].doors[0].readers[0].keypad: want true or false, got "yes" (line 7)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := sim.ParseSiteFile([]byte(c.src))
			require.Error(t, err)
			assert.ErrorIs(t, err, sim.ErrSiteFile)
			assert.Equal(t, c.want, err.Error())
		})
	}
}

// TestLoadSiteFileJSONByName: a .json file is JSON even when it does not
// start with "{", so a YAML-only form in it is refused.
func TestLoadSiteFileJSONByName(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "site.json")
	require.NoError(t, os.WriteFile(p, []byte(minimalSite), 0o600))
	_, err := sim.LoadSiteFile(p)
	require.Error(t, err)
	assert.ErrorIs(t, err, sim.ErrSiteFile)
	assert.Contains(t, err.Error(), p+": site file: JSON: line 2, column 1: invalid character 'v'")

	require.NoError(t, os.WriteFile(p, []byte(jsonSite), 0o600))
	sf, err := sim.LoadSiteFile(p)
	require.NoError(t, err)
	assert.Equal(t, "json site", sf.Name)
}
