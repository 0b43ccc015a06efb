package features_test

import (
	"bytes"
	"os"
	"runtime"
	"testing"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

// TestFeatures runs every scenario of the embedded feature files, each as a
// subtest with its own simulated site, ports and manual clock, several at
// once. Strict: an undefined or pending step fails. Scenarios tagged
// @known-issue are skipped (KNOWN-ISSUES.md says why).
//
// PACSIM_FEATURES_KNOWN_ISSUES=1 runs only the @known-issue scenarios
// (they fail). PACSIM_FEATURES_TAGS narrows the run with a godog tag expression, e.g.
// PACSIM_FEATURES_TAGS='@EP-DOOR-C-PASS' (it is combined with
// the known-issue filter). PACSIM_FEATURES_FORMAT=pretty prints every step.
func TestFeatures(t *testing.T) {
	tags := "~@known-issue"
	if os.Getenv("PACSIM_FEATURES_KNOWN_ISSUES") == "1" {
		tags = "@known-issue" // to see how the known issues fail
	}
	if extra := os.Getenv("PACSIM_FEATURES_TAGS"); extra != "" {
		tags += " && " + extra
	}
	format := "progress"
	if f := os.Getenv("PACSIM_FEATURES_FORMAT"); f != "" {
		format = f
	}
	var out bytes.Buffer
	suite := godog.TestSuite{
		Name:                "pacsim",
		ScenarioInitializer: steps.Register,
		Options: &godog.Options{
			Format:      format,
			Output:      &out,
			NoColors:    true,
			Paths:       []string{"."},
			FS:          features.FS,
			Strict:      true,
			Tags:        tags,
			Concurrency: max(2, runtime.GOMAXPROCS(0)),
			TestingT:    t,
		},
	}
	status := suite.Run()
	if t.Failed() || status != 0 || testing.Verbose() {
		t.Log("\n" + out.String())
	}
	if status != 0 && !t.Failed() {
		t.Fatalf("godog exited with status %d", status)
	}
}
