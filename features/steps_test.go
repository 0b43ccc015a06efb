package features_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/features/steps"
)

var update = flag.Bool("update", false, "rewrite STEPS.md from the step vocabulary")

// keyword strips a Gherkin keyword from an example's first line.
var keyword = regexp.MustCompile(`^(Given|When|Then|And|But|\*) `)

// TestStepExamples: every step's example is matched by its own pattern and
// by no other (so the reference cannot drift and no phrase is ambiguous).
func TestStepExamples(t *testing.T) {
	all := steps.Steps()
	res := make([]*regexp.Regexp, len(all))
	for i, d := range all {
		res[i] = regexp.MustCompile(d.Pattern)
		if d.Doc == "" || d.Example == "" {
			t.Errorf("step %s has no doc string or example", d.Pattern)
		}
	}
	for i, d := range all {
		line := keyword.ReplaceAllString(strings.SplitN(d.Example, "\n", 2)[0], "")
		if !res[i].MatchString(line) {
			t.Errorf("the example %q does not match its step %s", line, d.Pattern)
		}
		for j, re := range res {
			if j != i && re.MatchString(line) {
				t.Errorf("the example %q of %s is also matched by %s", line, d.Pattern, all[j].Pattern)
			}
		}
	}
}

// reference renders the step reference.
func reference() string {
	var b strings.Builder
	b.WriteString("# Step reference\n\n")
	b.WriteString("Generated from `features/steps` (`go test ./features -run TestStepReference -update`); do not edit.\n\n")
	b.WriteString("Doors, readers, inputs, outputs, controllers and gateways are named as the site names them\n")
	b.WriteString("(`sim/sites/default.yaml`: door \"Front Door\", reader \"Front Door entry\", output \"Office Siren\", …);\n")
	b.WriteString("cards by number (`100:1001`); times in seconds on the site's manual clock. Each scenario has its\n")
	b.WriteString("own site, server and driver; after every step that changes the world the driver polls once.\n")
	b.WriteString("Steps marked @sim-only drive the simulated hardware and cannot run against a real server.\n")
	group := ""
	for _, d := range steps.Steps() {
		if d.Group != group {
			group = d.Group
			fmt.Fprintf(&b, "\n## %s\n", group)
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n```gherkin\n%s\n```\n\nPattern: `%s`\n", d.Phrase(), d.Doc, d.Example, d.Pattern)
	}
	return b.String()
}

// TestStepReference: STEPS.md is the reference generated from the
// vocabulary; -update rewrites it.
func TestStepReference(t *testing.T) {
	want := reference()
	if *update {
		if err := os.WriteFile("STEPS.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("STEPS.md")
	if err != nil {
		t.Fatalf("%v: run go test ./features -run TestStepReference -update", err)
	}
	if string(got) != want {
		t.Fatal("STEPS.md is out of date: run go test ./features -run TestStepReference -update")
	}
}
