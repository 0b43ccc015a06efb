package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/features/report"
)

const catalogue = `# Catalogue

## EntraPass — Door asset (EP-DOOR)

| ID | requirement |
|---|---|
| EP-DOOR-S-SECURE | Secure: closed and locked |
| EP-DOOR-C-PASS | Pass <unlocks> for a while \| then relocks |

## EntraPass — Reader asset (EP-RDR)

| ID | requirement |
|---|---|
| EP-RDR-S-ENABLED | Enabled |
| EP-CONF-FIELDS | host, port |
| UM-ADD | add a card user |
| FT-HANG | a hang |
`

const cucumber = `[
 {"uri": "door.feature", "tags": [{"name": "@entrapass"}], "elements": [
  {"name": "secure", "line": 5, "type": "scenario", "tags": [{"name": "@EP-DOOR-S-SECURE"}],
   "steps": [{"keyword": "Given ", "name": "the default site", "line": 6, "result": {"status": "passed"}},
             {"keyword": "Then ", "name": "door \"Front Door\" shows \"Secure\"", "line": 7, "result": {"status": "passed"}}]},
  {"name": "pass", "line": 20, "type": "scenario", "tags": [{"name": "@EP-DOOR-C-PASS"}, {"name": "@EP-DOOR-S-SECURE"}],
   "steps": [{"keyword": "Given ", "name": "the default site", "line": 10, "result": {"status": "passed"}},
             {"keyword": "Then ", "name": "door \"Front Door\" shows \"Secure\"", "line": 11, "result": {"status": "failed", "error_message": "shows <Unsecure>"}},
             {"keyword": "And ", "name": "more", "line": 12, "result": {"status": "skipped"}}]},
  {"name": "typo", "line": 30, "type": "scenario", "tags": [{"name": "@UM-ADD"}, {"name": "@XX-NEW"}],
   "steps": [{"keyword": "Given ", "name": "the default site", "line": 31, "result": {"status": "passed"}},
             {"keyword": "Then ", "name": "a typo", "line": 32, "result": {"status": "undefined"}}]}
 ]}
]`

func TestAssetType(t *testing.T) {
	for id, want := range map[string]string{
		"EP-DOOR-S-SECURE": "Door", "EP-RDR-ID": "Reader", "EP-OUT-C-ON": "Output", "EP-IN-S-ALARM": "Input",
		"EP-SYS-S-NORMAL": "System", "EP-GW-ACCESS": "Workflow events", "EP-LOG-X": "Workflow events",
		"EP-CONF-FIELDS": "Connection", "EP-COMPAT-VERSION": "Connection", "EP-LIC-CONNECT": "Connection",
		"EP-PORT-DEBUG": "Connection", "UM-ADD": "Card users", "FT-HANG": "Faults", "GV-ONE": "Visitor badges (Genetec)",
		"RP-DIFF": "Record and replay", "XX-NEW": "Other",
	} {
		require.Equal(t, want, report.AssetType(id), id)
	}
}

func build(t *testing.T) *report.Report {
	t.Helper()
	cat := report.ParseCatalogue([]byte(catalogue))
	require.Len(t, cat, 6)
	require.Equal(t, "EntraPass — Door asset (EP-DOOR)", cat[0].Section)
	require.Equal(t, "Pass <unlocks> for a while | then relocks", cat[1].Text)
	ran, err := report.ParseCucumber(strings.NewReader(cucumber))
	require.NoError(t, err)
	require.Len(t, ran, 3)
	require.Equal(t, report.Passed, ran[0].Status)
	require.Equal(t, []string{"@entrapass", "@EP-DOOR-S-SECURE"}, ran[0].Tags, "feature tags and the scenario's")
	require.Equal(t, report.Failed, ran[1].Status)
	require.Contains(t, ran[1].Error, "line 11")
	require.Equal(t, report.Failed, ran[2].Status)
	require.Equal(t, []report.StepRef{{URI: "door.feature", Line: 32, Text: "a typo"}}, ran[2].Undefined)
	notRun := []report.Scenario{{URI: "reader.feature", Line: 3, Name: "enabled", Tags: []string{"@EP-RDR-S-ENABLED"}, Error: "not selected by --tags"}}
	r := report.Build(cat, ran, notRun)
	r.Target, r.Tags = "the simulator", "~@known-issue"
	return r
}

func TestBuild(t *testing.T) {
	r := build(t)
	rows := map[string]report.Row{}
	var groups []string
	for _, g := range r.Groups {
		groups = append(groups, g.Name)
		for _, row := range g.Rows {
			rows[row.ID] = row
		}
	}
	require.Equal(t, []string{"Door", "Reader", "Connection", "Card users", "Faults", "Other"}, groups)
	require.Equal(t, report.Failed, rows["EP-DOOR-S-SECURE"].Status, "one failing scenario fails the requirement")
	require.Equal(t, 1, rows["EP-DOOR-S-SECURE"].Passed)
	require.Equal(t, 1, rows["EP-DOOR-S-SECURE"].Failed)
	require.Equal(t, report.Failed, rows["EP-DOOR-C-PASS"].Status)
	require.Equal(t, report.Skipped, rows["EP-RDR-S-ENABLED"].Status)
	require.Equal(t, report.Untested, rows["EP-CONF-FIELDS"].Status)
	require.Equal(t, report.Failed, rows["UM-ADD"].Status)
	require.False(t, rows["XX-NEW"].InCatalogue)
	require.Equal(t, 4, r.Failed, "XX-NEW, not in the catalogue, is reported too")
	require.Equal(t, 1, r.Skipped)
	require.Equal(t, 2, r.Untested)
	require.Equal(t, 0, r.Passed)
	require.Equal(t, [3]int{1, 2, 1}, [3]int{r.ScenariosPassed, r.ScenariosFailed, r.ScenariosSkipped})
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, build(t).Markdown(&b))
	md := b.String()
	for _, want := range []string{
		"Target: the simulator. Tags: `~@known-issue`.",
		"Requirements: 0 passed, 4 failed, 1 skipped, 2 untested (of 7).",
		"| Door | 0 | 2 | 0 | 0 |",
		"| EP-DOOR-C-PASS | ❌ failed | 0 / 1 / 0 | Pass <unlocks> for a while \\| then relocks |",
		"| EP-RDR-S-ENABLED | ⏭ skipped | 0 / 0 / 1 | Enabled |",
		"| EP-CONF-FIELDS | ◌ untested | 0 / 0 / 0 | host, port |",
		"- `door.feature:20` pass — line 11: Then door \"Front Door\" shows \"Secure\": shows <Unsecure>",
		"- 1: not selected by --tags",
		"| XX-NEW | ❌ failed | 0 / 1 / 0 | (not in the catalogue) |",
	} {
		require.Contains(t, md, want)
	}
}

func TestHTML(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, build(t).HTML(&b))
	page := b.String()
	require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	require.Contains(t, page, "<style>")
	require.NotRegexp(t, `(?i)<link|<script|src=|url\(|href="(https?:)?//`, page, "self-contained")
	require.Contains(t, page, "shows &lt;Unsecure&gt;", "escaped")
	require.Contains(t, page, `<tr class="failed"><td><code>EP-DOOR-C-PASS</code>`)
	require.Contains(t, page, `<tr class="untested"><td><code>EP-CONF-FIELDS</code>`)
	require.Contains(t, page, `<a href="#card-users">Card users</a>`)
	require.Contains(t, page, `<h2 id="card-users">Card users</h2>`)
}
