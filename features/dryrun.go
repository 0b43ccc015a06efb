package features

import (
	"regexp"

	"github.com/pacsim/pacsim/features/report"
	"github.com/pacsim/pacsim/features/steps"
)

// DryResult is what a dry run found.
type DryResult struct {
	// Scenarios and Steps count the selected scenarios (an outline's rows
	// each) and their steps.
	Scenarios, Steps int
	// Undefined are the steps that match no phrase of the vocabulary, each
	// once (file, line and text).
	Undefined []report.StepRef
	// NotSelected counts the scenarios left out, by why.
	NotSelected []report.Reason
}

// DryRun selects the scenarios as Run would (Paths, Names, Tags, Target)
// and checks each step of them against the step vocabulary, running
// nothing: no site, no server, no report. Its errors are Run's.
func DryRun(o Options) (*DryResult, error) {
	if err := o.Target.Validate(); err != nil {
		return nil, err
	}
	sel, err := selectFor(o)
	if err != nil {
		return nil, err
	}
	var patterns []*regexp.Regexp
	for _, d := range steps.Steps() {
		patterns = append(patterns, regexp.MustCompile(d.Pattern))
	}
	defined := func(text string) bool {
		for _, re := range patterns {
			if re.MatchString(text) {
				return true
			}
		}
		return false
	}
	res := &DryResult{}
	seen := map[report.StepRef]bool{}
	skipped := map[string]int{}
	var order []string
	for _, p := range sel.pickles() {
		if why := sel.why[p]; why != "" {
			if skipped[why] == 0 {
				order = append(order, why)
			}
			skipped[why]++
			continue
		}
		res.Scenarios++
		for _, st := range p.steps {
			res.Steps++
			if !defined(st.Text) && !seen[st] {
				seen[st] = true
				res.Undefined = append(res.Undefined, st)
			}
		}
	}
	for _, why := range order {
		res.NotSelected = append(res.NotSelected, report.Reason{Why: why, Count: skipped[why]})
	}
	return res, nil
}
