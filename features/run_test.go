package features_test

import (
	"testing"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

// TestNearest: a phrase slightly off finds the step meant first.
func TestNearest(t *testing.T) {
	for text, want := range map[string]string{
		`the door "Front Door" is showing "Secure"`:             `^(door|reader|output|input) "([^"]*)" shows "([^"]*)"$`,
		`the default sites`:                                     `^the default site$`,
		`the driver connected`:                                  `^the driver is connected$`,
		`card "100:1001" is shown at reader "Front Door entry"`: `^card "([^"]*)" is presented at reader "([^"]*)"$`,
	} {
		got := features.Nearest(text, 3)
		if len(got) != 3 {
			t.Fatalf("%q: %d phrases", text, len(got))
		}
		if got[0].Pattern != want {
			t.Errorf("%q: nearest is %s, want %s", text, got[0].Pattern, want)
		}
	}
}

// TestTagExpression: known issues are left out unless named; a real
// server leaves out @sim-only and @fault.
func TestTagExpression(t *testing.T) {
	real := steps.Target{URL: "http://10.0.0.5:8080", Username: "u"}
	for _, c := range []struct {
		tags   string
		target steps.Target
		want   string
	}{
		{"", steps.Target{}, "~@known-issue"},
		{"@EP-DOOR-C-PASS", steps.Target{}, "~@known-issue && @EP-DOOR-C-PASS"},
		{"@known-issue", steps.Target{}, "@known-issue"},
		{"", real, "~@known-issue && ~@sim-only && ~@fault"},
	} {
		if got := features.TagExpression(c.tags, c.target); got != c.want {
			t.Errorf("TagExpression(%q, %v) = %q, want %q", c.tags, c.target, got, c.want)
		}
	}
}
