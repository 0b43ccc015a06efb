package features_test

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

// TestStepExamplesRun runs every step's example as STEPS.md shows it — its
// context, then the example — as a scenario of its own against the
// built-in simulator, and the examples of STEPS.md's sections: an example
// a QA engineer copies must pass. Each is a subtest named by the step's
// phrase (or the section example's name).
func TestStepExamplesRun(t *testing.T) {
	var feature strings.Builder
	feature.WriteString("Feature: the examples of STEPS.md\n")
	names := map[string]bool{}
	for _, d := range steps.Steps() {
		name := d.Phrase()
		if names[name] {
			t.Fatalf("two steps read %q: a subtest would not say which failed", name)
		}
		names[name] = true
		fmt.Fprintf(&feature, "\n  Scenario: %s\n%s", name, indent(d.Fragment()))
	}
	for _, e := range features.ReferenceExamples() {
		if names[e.Name] {
			t.Fatalf("two examples are named %q", e.Name)
		}
		names[e.Name] = true
		fmt.Fprintf(&feature, "\n  Scenario: %s\n%s", e.Name, indent(e.Steps))
	}
	var out bytes.Buffer
	status := godog.TestSuite{
		Name:                "step-examples",
		ScenarioInitializer: steps.Register,
		Options: &godog.Options{
			Format:   "progress",
			Output:   &out,
			NoColors: true,
			Paths:    []string{"."},
			FS:       fstest.MapFS{"examples.feature": {Data: []byte(feature.String())}},
			Strict:   true,
			// Several at once: much of a scenario is waiting on loopback round trips.
			Concurrency: max(4, 2*runtime.GOMAXPROCS(0)),
			TestingT:    t,
		},
	}.Run()
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + out.String())
	}
	if status != 0 && !t.Failed() {
		t.Fatalf("godog exited with status %d:\n%s", status, out.String())
	}
}

// indent makes lines of steps a scenario's body.
func indent(lines string) string {
	var b strings.Builder
	for _, l := range strings.Split(lines, "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}
