package steps

import "testing"

// TestExampleRunsNameSteps: every context of exampleContexts belongs to a step
// of the vocabulary: a context kept under a pattern that has changed would
// silently give way to the default one.
func TestExampleRunsNameSteps(t *testing.T) {
	patterns := map[string]bool{}
	for _, d := range Steps() {
		patterns[d.Pattern] = true
	}
	for p := range exampleContexts {
		if !patterns[p] {
			t.Errorf("exampleContexts has a context for %s, which is no step's pattern", p)
		}
	}
}
