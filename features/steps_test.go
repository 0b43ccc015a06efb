package features_test

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/features"
	"github.com/pacsim/pacsim/features/steps"
)

var update = flag.Bool("update", false, "rewrite STEPS.md from the step vocabulary")

// keyword strips a Gherkin keyword from an example's first line.
var keyword = regexp.MustCompile(`^(Given|When|Then|And|But|\*) `)

// TestStepExamples: every step's example is matched by its own pattern and
// by no other (so the reference cannot drift and no phrase is ambiguous),
// and each step of its context by exactly one.
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
		// Its context: each step of it is one step of the vocabulary.
		for _, c := range strings.Split(d.Given(), "\n") {
			c = strings.TrimSpace(c)
			if c == "" || strings.HasPrefix(c, "|") {
				continue
			}
			if !keyword.MatchString(c) {
				t.Errorf("the context of %s has a line without a keyword: %q", d.Pattern, c)
			}
			c = keyword.ReplaceAllString(c, "")
			n := 0
			for _, re := range res {
				if re.MatchString(c) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the context of %s has the step %q, which %d steps match", d.Pattern, c, n)
			}
		}
	}
}

// reference renders the step reference, as pacsim conform --steps prints it.
func reference() string { return features.StepReference() }

// TestStepReference: STEPS.md is the reference generated from the
// vocabulary, the one pacsim conform --steps prints; -update rewrites it.
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
