// Package report turns a conformance run into a report: every requirement
// of the catalogue against the scenarios that carry its ID, as passed,
// failed, skipped or untested, grouped by asset type. Its inputs are the
// requirement catalogue (features/catalogue.md), the cucumber JSON that
// godog writes, and the scenarios of the feature files that did not run
// (deselected by tags, @known-issue, @sim-only against a real server).
// Writers render it as Markdown (report.md) and as one self-contained HTML
// page (report.html, inline CSS, no external asset).
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Status of a scenario or a requirement.
const (
	Passed   = "passed"
	Failed   = "failed"
	Skipped  = "skipped"
	Untested = "untested"
)

// Requirement is one line of the catalogue.
type Requirement struct {
	ID      string
	Text    string
	Section string // the catalogue heading it is under
}

var (
	idLine  = regexp.MustCompile(`^\|\s*([A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*)\s*\|\s*(.*?)\s*\|?\s*$`)
	heading = regexp.MustCompile(`^##\s+(.*)$`)
	idTag   = regexp.MustCompile(`^@([A-Z]{2}-[A-Z0-9-]+)$`)
)

// ParseCatalogue reads the requirement rows (| ID | requirement |) of a
// catalogue in Markdown, in order.
func ParseCatalogue(b []byte) []Requirement {
	var out []Requirement
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if m := heading.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if m := idLine.FindStringSubmatch(line); m != nil {
			text := strings.ReplaceAll(m[2], `\|`, "|")
			out = append(out, Requirement{ID: m[1], Text: text, Section: section})
		}
	}
	return out
}

// IDs returns the requirement IDs among tags (@EP-DOOR-C-PASS → EP-DOOR-C-PASS).
func IDs(tags []string) []string {
	var ids []string
	for _, t := range tags {
		if m := idTag.FindStringSubmatch(t); m != nil {
			ids = append(ids, m[1])
		}
	}
	return ids
}

// assetTypes maps an ID prefix to its asset type, most specific first.
var assetTypes = []struct{ prefix, name string }{
	{"EP-SYS-", "System"},
	{"EP-DOOR-", "Door"},
	{"EP-RDR-", "Reader"},
	{"EP-OUT-", "Output"},
	{"EP-IN-", "Input"},
	{"EP-GW-", "Workflow events"},
	{"EP-LOG-", "Workflow events"},
	{"EP-", "Connection"}, // EP-CONF, EP-COMPAT, EP-LIC, EP-PORT
	{"UM-", "Card users"},
	{"GV-", "Visitor badges (Genetec)"},
	{"FT-", "Faults"},
	{"RP-", "Record and replay"},
}

// AssetType is the group of a requirement ID, from its prefix: EP-DOOR →
// Door, EP-RDR → Reader, EP-OUT → Output, EP-IN → Input, EP-SYS → System,
// EP-GW and EP-LOG → Workflow events, any other EP (CONF, COMPAT, LIC,
// PORT) → Connection, UM → Card users, GV → Visitor badges, FT → Faults,
// RP → Record and replay; anything else → Other.
func AssetType(id string) string {
	for _, a := range assetTypes {
		if strings.HasPrefix(id, a.prefix) {
			return a.name
		}
	}
	return "Other"
}

func groupOrder(name string) int {
	for i, a := range assetTypes {
		if a.name == name {
			return i
		}
	}
	return len(assetTypes)
}

// Scenario is one scenario (or one example row of an outline) of the run.
type Scenario struct {
	URI    string   `json:"uri"`
	Line   int      `json:"line"`
	Name   string   `json:"name"`
	Tags   []string `json:"tags"`
	Status string   `json:"status"` // passed, failed or skipped
	// Error is the first failing step and its error (failed), or why the
	// scenario did not run (skipped).
	Error string `json:"error,omitempty"`
	// Undefined lists the undefined steps, as "line: text".
	Undefined []StepRef `json:"undefined,omitempty"`
}

// StepRef is a step of a feature file.
type StepRef struct {
	URI  string
	Line int
	Text string
}

// Key identifies a scenario by file and line (the row's line for an
// outline's example).
func (s Scenario) Key() string { return fmt.Sprintf("%s:%d", s.URI, s.Line) }

// cucumber JSON, as godog's "cucumber" formatter writes it.
type cukeFeature struct {
	URI      string        `json:"uri"`
	Tags     []cukeTag     `json:"tags"`
	Elements []cukeElement `json:"elements"`
}

type cukeTag struct {
	Name string `json:"name"`
}

type cukeElement struct {
	Name  string     `json:"name"`
	Line  int        `json:"line"`
	Type  string     `json:"type"`
	Tags  []cukeTag  `json:"tags"`
	Steps []cukeStep `json:"steps"`
}

type cukeStep struct {
	Keyword string `json:"keyword"`
	Name    string `json:"name"`
	Line    int    `json:"line"`
	Result  struct {
		Status string `json:"status"`
		Error  string `json:"error_message"`
	} `json:"result"`
}

// ParseCucumber reads godog's cucumber JSON into scenarios. A scenario
// passed when every step passed; it failed when a step failed, is
// undefined, pending or ambiguous (the run is strict); it is skipped when
// its steps were all skipped.
func ParseCucumber(r io.Reader) ([]Scenario, error) {
	var feats []cukeFeature
	if err := json.NewDecoder(r).Decode(&feats); err != nil {
		return nil, fmt.Errorf("cucumber JSON: %w", err)
	}
	var out []Scenario
	for _, f := range feats {
		for _, e := range f.Elements {
			if e.Type != "" && e.Type != "scenario" {
				continue
			}
			s := Scenario{URI: f.URI, Line: e.Line, Name: e.Name, Status: Passed}
			for _, t := range f.Tags {
				s.Tags = append(s.Tags, t.Name)
			}
			for _, t := range e.Tags {
				s.Tags = append(s.Tags, t.Name)
			}
			skipped := len(e.Steps) > 0
			for _, st := range e.Steps {
				switch st.Result.Status {
				case "passed":
					skipped = false
				case "skipped":
				case "undefined":
					skipped = false
					s.Status = Failed
					s.Undefined = append(s.Undefined, StepRef{URI: f.URI, Line: st.Line, Text: st.Name})
					if s.Error == "" {
						s.Error = fmt.Sprintf("line %d: undefined step \"%s\"", st.Line, st.Name)
					}
				default: // failed, pending, ambiguous
					skipped = false
					s.Status = Failed
					if s.Error == "" {
						msg := st.Result.Error
						if msg == "" {
							msg = st.Result.Status
						}
						s.Error = fmt.Sprintf("line %d: %s%s: %s", st.Line, st.Keyword, st.Name, msg)
					}
				}
			}
			if skipped && s.Status == Passed {
				s.Status = Skipped
				s.Error = "skipped by its first step (it needs the simulator)"
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// Row is one requirement of the report.
type Row struct {
	Requirement
	Status                  string // passed, failed, skipped or untested
	Passed, Failed, Skipped int    // scenarios carrying its ID
	Scenarios               []string
	InCatalogue             bool
}

// Group is the requirements of one asset type.
type Group struct {
	Name                              string
	Rows                              []Row
	Passed, Failed, Skipped, Untested int
}

// Report is a conformance run against the catalogue.
type Report struct {
	Title  string
	Target string // "the simulator" or the server's URL
	Tags   string // the tag expression of the run
	Groups []Group
	// Totals over requirements.
	Passed, Failed, Skipped, Untested int
	// Scenarios are every scenario of the feature files, run or not.
	Scenarios []Scenario
	// ScenarioCounts over scenarios: passed, failed, skipped.
	ScenariosPassed, ScenariosFailed, ScenariosSkipped int
}

// Build makes the report: each requirement of cat with the scenarios that
// carry its ID among ran (the results of the run) and notRun (scenarios of
// the feature files that did not run, counted as skipped). A requirement
// is failed when one of its scenarios failed, else passed when one passed,
// else skipped when it has scenarios, else untested. IDs that scenarios
// carry and the catalogue lacks are reported too, in their asset type.
func Build(cat []Requirement, ran, notRun []Scenario) *Report {
	r := &Report{Title: "pacsim conformance report"}
	all := append(append([]Scenario(nil), ran...), notRun...)
	for i := range all {
		if all[i].Status == "" {
			all[i].Status = Skipped
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].URI != all[j].URI {
			return all[i].URI < all[j].URI
		}
		return all[i].Line < all[j].Line
	})
	r.Scenarios = all
	byID := map[string][]Scenario{}
	for _, s := range all {
		switch s.Status {
		case Passed:
			r.ScenariosPassed++
		case Failed:
			r.ScenariosFailed++
		default:
			r.ScenariosSkipped++
		}
		for _, id := range IDs(s.Tags) {
			byID[id] = append(byID[id], s)
		}
	}
	reqs := append([]Requirement(nil), cat...)
	known := map[string]bool{}
	for _, q := range cat {
		known[q.ID] = true
	}
	var extra []string
	for id := range byID {
		if !known[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		reqs = append(reqs, Requirement{ID: id, Text: "(not in the catalogue)"})
	}
	groups := map[string]*Group{}
	var names []string
	for _, q := range reqs {
		row := Row{Requirement: q, InCatalogue: known[q.ID]}
		for _, s := range byID[q.ID] {
			switch s.Status {
			case Passed:
				row.Passed++
			case Failed:
				row.Failed++
			default:
				row.Skipped++
			}
			row.Scenarios = append(row.Scenarios, s.Key())
		}
		switch {
		case row.Failed > 0:
			row.Status = Failed
		case row.Passed > 0:
			row.Status = Passed
		case row.Skipped > 0:
			row.Status = Skipped
		default:
			row.Status = Untested
		}
		name := AssetType(q.ID)
		g := groups[name]
		if g == nil {
			g = &Group{Name: name}
			groups[name] = g
			names = append(names, name)
		}
		g.Rows = append(g.Rows, row)
		g.add(row.Status)
		r.add(row.Status)
	}
	sort.SliceStable(names, func(i, j int) bool { return groupOrder(names[i]) < groupOrder(names[j]) })
	for _, n := range names {
		r.Groups = append(r.Groups, *groups[n])
	}
	return r
}

func (g *Group) add(status string) {
	switch status {
	case Passed:
		g.Passed++
	case Failed:
		g.Failed++
	case Skipped:
		g.Skipped++
	default:
		g.Untested++
	}
}

func (r *Report) add(status string) {
	switch status {
	case Passed:
		r.Passed++
	case Failed:
		r.Failed++
	case Skipped:
		r.Skipped++
	default:
		r.Untested++
	}
}

// Failures are the scenarios that failed.
func (r *Report) Failures() []Scenario {
	var out []Scenario
	for _, s := range r.Scenarios {
		if s.Status == Failed {
			out = append(out, s)
		}
	}
	return out
}
