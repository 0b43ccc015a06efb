package features

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What godog v0.15.1 writes when a failed step is stored before a passed
// one, and for a scenario skipped by its first step.
const godogJUnit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pacsim" tests="4" skipped="0" failures="0" errors="0" time="1.5">
  <testsuite name="Doors" tests="3" skipped="0" failures="0" errors="0" time="1">
    <testcase name="unlock" status="passed" time="0.5"></testcase>
    <testcase name="held open" status="passed" time="0.25">
      <failure message="Step the door is held open: want HeldOpen, got Closed"></failure>
    </testcase>
    <testcase name="not on this site" status="" time="0">
      <error message="Step the site has a keypad reader" type="skipped"></error>
    </testcase>
  </testsuite>
  <testsuite name="Cards" tests="1" skipped="0" failures="0" errors="0" time="0.5">
    <testcase name="new step" status="passed" time="0.5">
      <error message="Step a step nobody wrote" type="undefined"></error>
    </testcase>
  </testsuite>
</testsuites>`

func TestFixJUnitCountsWhatTheCasesCarry(t *testing.T) {
	b, err := fixJUnitBytes([]byte(godogJUnit))
	require.NoError(t, err)
	var s junitSuites
	require.NoError(t, xml.Unmarshal(b, &s))
	assert.Equal(t, []int{4, 1, 1, 1}, []int{s.Tests, s.Failures, s.Skipped, s.Errors}, "tests, failures, skipped, errors")
	doors := s.TestSuites[0]
	assert.Equal(t, []int{3, 1, 1, 0}, []int{doors.Tests, doors.Failures, doors.Skipped, doors.Errors})
	var status []string
	for _, tc := range append(doors.TestCases, s.TestSuites[1].TestCases...) {
		status = append(status, tc.Status)
	}
	assert.Equal(t, []string{"passed", "failed", "skipped", "undefined"}, status)
	assert.Equal(t, "Step the door is held open: want HeldOpen, got Closed", doors.TestCases[1].Failure.Message, "the failure is kept")
	assert.Contains(t, string(b), `<?xml version="1.0" encoding="UTF-8"?>`)
}
