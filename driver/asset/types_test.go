package asset_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestTypeTable spells out, type by type, the "Supported States" and
// "Supported Commands" of docs/entrapass-integration.txt in its order.
func TestTypeTable(t *testing.T) {
	cases := []struct {
		typ      asset.Type
		title    string
		required string
		states   []string
		commands []string
	}{
		{asset.System, "System", "",
			[]string{"Normal", "Masked", "Fault", "Acknowledged", "No Communication"},
			[]string{"Mask", "Acknowledge", "Reset", "Cancel"}},
		{asset.Door, "Door", "Door ID",
			[]string{"No Communication", "Acknowledged", "Fault", "Forced Open", "Masked", "Secure", "Unsecure", "Held Open"},
			[]string{"Acknowledge", "Cancel", "Mask", "Reset", "Lock", "Unlock", "Pass"}},
		{asset.Reader, "Reader", "Door ID",
			[]string{"Normal", "Fault", "Masked", "Acknowledged", "No Communication", "Enabled", "Disabled"},
			[]string{"Mask", "Acknowledge", "Reset", "Cancel", "Disable Reader", "Enable Reader"}},
		{asset.Output, "Output", "Output ID",
			[]string{"Normal", "Fault", "Masked", "Acknowledged", "No Communication", "Present", "Controller Fault"},
			[]string{"Mask", "Acknowledge", "Reset", "Cancel", "Activate Output", "Deactivate Output", "Timed Activation"}},
		{asset.Input, "Input", "Input ID",
			[]string{"Acknowledged", "No Communication", "Fault", "Masked", "Active", "Inactive", "Tamper"},
			[]string{"Mask", "Acknowledge", "Reset", "Cancel"}},
	}
	var typs []asset.Type
	for _, c := range cases {
		t.Run(string(c.typ), func(t *testing.T) {
			typs = append(typs, c.typ)
			assert.Equal(t, c.title, c.typ.Title())
			assert.Equal(t, c.required, c.typ.RequiredProperty())
			assert.Equal(t, c.states, strs(c.typ.Statuses()))
			assert.Equal(t, c.commands, strs(c.typ.Commands()))
			assert.True(t, c.typ.Supports(asset.NoCommunication), "No Communication is required in all status tables")
			for _, s := range asset.Statuses() {
				assert.Equal(t, slices.Contains(c.states, string(s)), c.typ.Supports(s), s)
			}
			for _, cmd := range asset.Commands() {
				assert.Equal(t, slices.Contains(c.commands, string(cmd)), c.typ.SupportsCommand(cmd), cmd)
			}
		})
	}
	assert.Equal(t, typs, asset.Types())
}

func strs[S ~string](ss []S) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want asset.Type
	}{{"door", asset.Door}, {"Door", asset.Door}, {" reader ", asset.Reader}, {"SYSTEM", asset.System}, {"output", asset.Output}, {"input", asset.Input}} {
		got, err := asset.ParseType(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got)
	}
	_, err := asset.ParseType("gate")
	require.ErrorIs(t, err, asset.ErrUnknownType)
	assert.Contains(t, err.Error(), `"gate"`)

	s, err := asset.ParseStatus("held open")
	require.NoError(t, err)
	assert.Equal(t, asset.HeldOpen, s)
	_, err = asset.ParseStatus("Ajar")
	require.ErrorIs(t, err, asset.ErrUnknownStatus)
	assert.Contains(t, err.Error(), `"Ajar"`)

	c, err := asset.ParseCommand("timed activation")
	require.NoError(t, err)
	assert.Equal(t, asset.TimedActivation, c)
	_, err = asset.ParseCommand("Open")
	require.ErrorIs(t, err, asset.ErrUnknownCommand)
	assert.Contains(t, err.Error(), "Timed Activation", "the error lists the commands")

	ref, err := asset.ParseRef("door/12")
	require.NoError(t, err)
	assert.Equal(t, asset.Ref{Type: asset.Door, ID: 12}, ref)
	assert.Equal(t, "door/12", ref.String())
	for _, bad := range []string{"door", "door/x", "door/0", "gate/1", "door/-3"} {
		_, err := asset.ParseRef(bad)
		assert.Error(t, err, bad)
	}

	// JSON decoding goes through the same parsers.
	var body struct {
		Assets  []asset.Ref   `json:"assets"`
		Command asset.Command `json:"command"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"assets":[{"type":"Door","id":12}],"command":{"command":"pass","seconds":5}}`), &body))
	assert.Equal(t, []asset.Ref{{Type: asset.Door, ID: 12}}, body.Assets)
	assert.Equal(t, asset.Command{Name: asset.Pass, Seconds: 5}, body.Command)
	assert.Error(t, json.Unmarshal([]byte(`{"assets":[{"type":"gate","id":1}]}`), &body))
	assert.Error(t, json.Unmarshal([]byte(`{"command":{"command":"Open"}}`), &body))
}

// TestDocument reads docs/entrapass-integration.txt, when it is at hand, and
// checks the package against it: every asset type's Supported States and
// Supported Commands, the parameters of Pass and Timed Activation, the
// properties of Tables 1, 2 and 3. Set PACSIM_DOCS to the folder of the
// documents; by default it is looked for beside the design, ../shared/docs.
func TestDocument(t *testing.T) {
	dir := os.Getenv("PACSIM_DOCS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "docs")
	}
	f, err := os.Open(filepath.Join(dir, "entrapass-integration.txt"))
	if err != nil {
		t.Skipf("the integration document is not at hand (%v); set PACSIM_DOCS", err)
	}
	defer f.Close()

	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, sc.Err())

	// section returns the lines after a heading up to the next blank line
	// (skipping the blank lines right after it).
	section := func(from int) []string {
		i := from + 1
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
		var out []string
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			out = append(out, lines[i])
		}
		return out
	}
	// name returns the longest of names that the line starts with.
	name := func(line string, names []string) string {
		best := ""
		for _, n := range names {
			if strings.HasPrefix(line, n+" ") && len(n) > len(best) {
				best = n
			}
		}
		return best
	}

	allStatuses, allCommands := strs(asset.Statuses()), strs(asset.Commands())
	seen := map[asset.Type]bool{}
	var typ asset.Type
	for i, line := range lines {
		if title, ok := strings.CutSuffix(line, " Asset"); ok {
			ty, err := asset.ParseType(title)
			require.NoError(t, err, "the document's asset %q", line)
			typ, seen[ty] = ty, true
			continue
		}
		switch line {
		case "Supported States":
			var got []string
			for _, l := range section(i) {
				if strings.HasPrefix(l, "Note:") {
					continue
				}
				n := name(l, allStatuses)
				require.NotEmpty(t, n, "%s: the document's state %q is not a Status", typ, l)
				got = append(got, n)
			}
			assert.Equal(t, got, strs(typ.Statuses()), "%s: Supported States", typ)
		case "Supported Commands":
			var got []string
			for _, l := range section(i) {
				if p, ok := strings.CutPrefix(strings.TrimSpace(l), "• "); ok {
					checkParam(t, got[len(got)-1], p)
					continue
				}
				n := name(l, allCommands)
				require.NotEmpty(t, n, "%s: the document's command %q is not a CommandName", typ, l)
				got = append(got, n)
			}
			assert.Equal(t, got, strs(typ.Commands()), "%s: Supported Commands", typ)
		case "Required Property Grid Fields":
			l := section(i)[0]
			assert.True(t, strings.HasPrefix(l, typ.RequiredProperty()+" "), "%s: required %q", typ, l)
		case "Table 1. Properties", "Table 2. Properties":
			checkProperties(t, line, section(i), &asset.LastAccessEvent{})
		case "Table 3. Trigger Item Properties":
			checkProperties(t, line, section(i), &asset.GatewayConnectionChanged{})
		}
	}
	assert.Len(t, seen, len(asset.Types()), "every asset type of the document")
}

// checkParam checks a command's parameter line of the document
// ("Seconds Unlocked — The number of seconds, between 1–255, …").
func checkParam(t *testing.T, cmd, line string) {
	p, ok := asset.CommandName(cmd).Param()
	require.True(t, ok, "the document gives %s a parameter: %q", cmd, line)
	assert.True(t, strings.HasPrefix(line, p.Name+" "), "%s: parameter %q", cmd, line)
	if _, rng, ok := strings.Cut(line, "between "); ok {
		lo, hi, _ := strings.Cut(strings.FieldsFunc(rng, func(r rune) bool { return r == ',' || r == ' ' })[0], "–")
		assert.Equal(t, strconv.Itoa(p.Min), lo, "%s: minimum", cmd)
		assert.Equal(t, strconv.Itoa(p.Max), hi, "%s: maximum", cmd)
	}
}

// checkProperties checks that an event's JSON keys are the document's
// property names, all of them.
func checkProperties(t *testing.T, table string, rows []string, e asset.Event) {
	b, err := json.Marshal(e)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	var props []string
	for _, row := range rows {
		best := ""
		for _, k := range keys {
			if strings.HasPrefix(row, k+" ") && len(k) > len(best) {
				best = k
			}
		}
		require.NotEmpty(t, best, "%s: property %q is not a key of %s", table, row, e.EventName())
		props = append(props, best)
	}
	// The event's own keys besides the document's: discriminator, sequence, asset.
	props = append(props, "event", "seq", "type", "id")
	assert.ElementsMatch(t, props, keys, table)
}
