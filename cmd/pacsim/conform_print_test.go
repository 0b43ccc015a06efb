package main

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// junitSuites is the part of a JUnit report the tests read.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Tests   int      `xml:"tests,attr"`
}

func parseJUnit(t *testing.T, b []byte) junitSuites {
	t.Helper()
	var j junitSuites
	require.NoError(t, xml.Unmarshal(b, &j), "not JUnit XML:\n%s", b)
	return j
}

// TestConformPrintJUnit: with --print junit stdout is the JUnit report
// alone, the same as junit.xml in --out; the progress and the summary are
// on stderr.
func TestConformPrintJUnit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--tags", "@EP-DOOR-C-PASS", "--out", dir, "--print", "junit")
	require.NoError(t, err, stderr)
	file, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	require.NoError(t, err)
	printed := parseJUnit(t, []byte(stdout))
	require.Equal(t, parseJUnit(t, file).Tests, printed.Tests)
	require.Positive(t, printed.Tests)
	assert.Equal(t, string(file), stdout, "stdout is the report, nothing before or after it")

	m := regexp.MustCompile(`\nran: (\d+) \(`).FindStringSubmatch(stderr)
	require.NotNil(t, m, "the summary is on stderr:\n%s", stderr)
	assert.Equal(t, m[1], strconv.Itoa(printed.Tests), "the summary's ran counts the JUnit tests")
	assert.Contains(t, stderr, filepath.Join(dir, "junit.xml"), "the reports line, on stderr")
	reportFiles(t, dir) // --out still holds all four
}

// TestConformPrintFailed: a failed run prints its report too (the failure
// is in it), and still exits 1.
func TestConformPrintFailed(t *testing.T) {
	dir := t.TempDir()
	writeFeature(t, dir, "wrong.feature", strings.Replace(ownFeature, `shows "Unsecure"`, `shows "Secure"`, 1))
	stdout, stderr, err := conform(t, "--features", dir, "--out", filepath.Join(dir, "report"), "--print", "junit")
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "1 scenario(s) failed")
	assert.Equal(t, 1, parseJUnit(t, []byte(stdout)).Tests)
	// godog v0.15.1 may count a failed scenario passed (features/junit.go
	// counts again): what CI tools read says one failure.
	assert.Regexp(t, `<testsuites [^>]*failures="1"`, stdout)
	assert.Regexp(t, `<testcase name="[^"]*" status="failed"`, stdout)
	assert.Regexp(t, `<failure message="[^"]*expected &#34;Secure&#34;`, stdout, "the failure is in the printed report")
	assert.Contains(t, stderr, "failures:\n", "the failures list goes with the summary, to stderr")
}

// TestConformPrintMarkdown: --print takes any of the four reports.
func TestConformPrintMarkdown(t *testing.T) {
	dir := t.TempDir()
	writeFeature(t, dir, "front.feature", ownFeature)
	out := filepath.Join(dir, "report")
	stdout, stderr, err := conform(t, "--features", dir, "--out", out, "--print", "md")
	require.NoError(t, err, stderr)
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Equal(t, string(md), stdout)
	assert.Contains(t, stderr, "scenarios: 1 passed, 0 failed, 0 skipped")
}

// TestConformPrintDryRun: a dry run checks a command line with --print
// (as the chart's conform Job runs it) and prints no report.
func TestConformPrintDryRun(t *testing.T) {
	stdout, stderr, err := conform(t, "--tags", "@EP-DOOR-C-PASS", "--print", "junit", "--dry-run")
	require.NoError(t, err, stderr)
	assert.Empty(t, stdout)
	assert.Regexp(t, `^dry run: [1-9]\d* scenarios, \d+ steps, every step defined\n$`, stderr)
}

// TestConformPrintUsage: a wrong --print is a usage error naming the value.
func TestConformPrintUsage(t *testing.T) {
	for args, want := range map[string]string{
		"--print xml":           `pacsim conform: --print "xml": junit, cucumber, md or html`,
		"--print junit --steps": "pacsim conform: --print and --steps exclude each other (--steps prints the step reference)",
	} {
		stdout, stderr, err := conform(t, strings.Fields(args)...)
		require.ErrorIs(t, err, errUsage, args)
		assert.Empty(t, stdout, args)
		assert.Equal(t, want+"\nrun 'pacsim conform -h' for the flags\n", stderr, args)
	}
}
