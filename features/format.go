package features

import (
	"fmt"
	"io"
	"strings"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
)

// progressFormat is godog's progress formatter (a character per step)
// without its summary: godog counts a scenario whose steps were all
// skipped as passed, the reports as skipped, and two summaries that
// disagree are worse than one. `pacsim conform` prints its own, from the
// reports.
const progressFormat = "pacsim-progress"

func init() {
	godog.Format(progressFormat, "godog's progress, a character per step, without its summary", func(suite string, out io.Writer) formatters.Formatter {
		return &dotsOnly{ProgressFmt: godog.NewProgressFmt(suite, out), out: out}
	})
}

// dotsOnly ends the line of dots with the step count, as godog's progress
// formatter does, and prints nothing else.
type dotsOnly struct {
	*godog.ProgressFmt
	out io.Writer
}

// Summary ends the last line of dots.
func (f *dotsOnly) Summary() {
	n, per := *f.Steps, f.StepsPerRow
	if left := n % per; left != 0 {
		pad := 0
		if n > per {
			pad = per - left
		}
		fmt.Fprintf(f.out, "%s %d\n", strings.Repeat(" ", pad), n)
	}
}
