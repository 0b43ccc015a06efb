package features_test

import (
	"bufio"
	"bytes"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

// requiredPrefixes are the catalogue's prefixes that must have scenarios
// now.
var requiredPrefixes = []string{"EP", "UM", "FT", "GV", "RP"}

// idLine is a catalogue row: | ID | requirement |.
var idLine = regexp.MustCompile(`^\|\s*([A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*)\s*\|`)

// idTag is a tag that names a requirement: two capitals, a dash, …
var idTag = regexp.MustCompile(`^@([A-Z]{2}-[A-Z0-9-]+)$`)

// catalogue returns the IDs of catalogue.md, in order.
func catalogue(t *testing.T) []string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(features.Catalogue))
	for sc.Scan() {
		if m := idLine.FindStringSubmatch(sc.Text()); m != nil {
			ids = append(ids, m[1])
		}
	}
	if len(ids) == 0 {
		t.Fatal("catalogue.md holds no requirement ID")
	}
	return ids
}

// scenario is one pickle: a scenario, or one example row of an outline.
type scenario struct {
	uri, name string
	tags      []string
	steps     []string
}

// scenarios parses every embedded feature file into its pickles.
func scenarios(t *testing.T) []scenario {
	t.Helper()
	files, err := fs.Glob(features.FS, "*.feature")
	if err != nil || len(files) == 0 {
		t.Fatalf("no feature files: %v", err)
	}
	var out []scenario
	for _, f := range files {
		b, err := fs.ReadFile(features.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(b), (&messages.Incrementing{}).NewId)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range gherkin.Pickles(*doc, f, (&messages.Incrementing{}).NewId) {
			s := scenario{uri: f, name: p.Name}
			for _, tg := range p.Tags {
				s.tags = append(s.tags, tg.Name)
			}
			for _, st := range p.Steps {
				s.steps = append(s.steps, st.Text)
			}
			out = append(out, s)
		}
	}
	return out
}

// TestCatalogue fails listing every EP, UM, FT and GV requirement without a
// scenario, and every requirement tag of a scenario that the catalogue lacks.
func TestCatalogue(t *testing.T) {
	ids := catalogue(t)
	known := map[string]bool{}
	for _, id := range ids {
		if known[id] {
			t.Errorf("catalogue.md lists %s twice", id)
		}
		known[id] = true
	}
	covered := map[string]int{}      // by any scenario
	passing := map[string]int{}      // by a scenario not @known-issue
	unknown := map[string][]string{} // tag → scenarios
	for _, s := range scenarios(t) {
		knownIssue := slices.Contains(s.tags, "@known-issue")
		hasID := false
		for _, tg := range s.tags {
			m := idTag.FindStringSubmatch(tg)
			if m == nil {
				continue
			}
			hasID = true
			if !known[m[1]] {
				unknown[m[1]] = append(unknown[m[1]], s.uri+": "+s.name)
				continue
			}
			covered[m[1]]++
			if !knownIssue {
				passing[m[1]]++
			}
		}
		if !hasID {
			t.Errorf("%s: scenario %q carries no requirement ID", s.uri, s.name)
		}
	}
	var missing []string
	perPrefix := map[string][3]int{} // catalogued, covered, passing
	for _, id := range ids {
		p := id[:2]
		c := perPrefix[p]
		c[0]++
		if covered[id] > 0 {
			c[1]++
		}
		if passing[id] > 0 {
			c[2]++
		}
		perPrefix[p] = c
		if slices.Contains(requiredPrefixes, p) && covered[id] == 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d catalogued requirement(s) have no scenario:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
	if len(unknown) > 0 {
		var tags []string
		for id, ss := range unknown {
			tags = append(tags, "@"+id+" ("+strings.Join(ss, "; ")+")")
		}
		sort.Strings(tags)
		t.Errorf("%d scenario tag(s) name an ID that catalogue.md lacks:\n  %s", len(tags), strings.Join(tags, "\n  "))
	}
	var onlyKnown []string
	for _, id := range ids {
		if covered[id] > 0 && passing[id] == 0 {
			onlyKnown = append(onlyKnown, id)
		}
	}
	prefixes := make([]string, 0, len(perPrefix))
	for p := range perPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		c := perPrefix[p]
		t.Logf("%s: %d/%d catalogued IDs have a scenario, %d with a scenario that runs (not @known-issue)", p, c[1], c[0], c[2])
	}
	if len(onlyKnown) > 0 {
		t.Logf("covered only by @known-issue scenarios: %s", strings.Join(onlyKnown, ", "))
	}
}

// TestScenarioTags: every scenario says which head-end it concerns; one
// that drives the simulated hardware (or its clock) is @sim-only, one that
// injects a fault or takes the server down is @fault.
func TestScenarioTags(t *testing.T) {
	var simOnly, faulty []*regexp.Regexp
	for _, d := range steps.Steps() {
		switch {
		case strings.Contains(d.Group, "@sim-only"):
			simOnly = append(simOnly, regexp.MustCompile(d.Pattern))
		case strings.Contains(d.Group, "@fault"):
			faulty = append(faulty, regexp.MustCompile(d.Pattern))
		}
	}
	uses := func(s scenario, res []*regexp.Regexp) string {
		for _, st := range s.steps {
			for _, re := range res {
				if re.MatchString(st) {
					return st
				}
			}
		}
		return ""
	}
	for _, s := range scenarios(t) {
		if st := uses(s, simOnly); st != "" && !slices.Contains(s.tags, "@sim-only") {
			t.Errorf("%s: scenario %q drives the simulated site (%q) but is not tagged @sim-only", s.uri, s.name, st)
		}
		if st := uses(s, faulty); st != "" && !slices.Contains(s.tags, "@fault") {
			t.Errorf("%s: scenario %q injects a fault (%q) but is not tagged @fault", s.uri, s.name, st)
		}
		if !slices.Contains(s.tags, "@entrapass") && !slices.Contains(s.tags, "@genetec") {
			t.Errorf("%s: scenario %q carries neither @entrapass nor @genetec", s.uri, s.name)
		}
		fault := false
		for _, tg := range s.tags {
			if strings.HasPrefix(tg, "@FT-") {
				fault = true
			}
		}
		if fault && !slices.Contains(s.tags, "@fault") {
			t.Errorf("%s: scenario %q proves a fault requirement but is not tagged @fault", s.uri, s.name)
		}
	}
}
