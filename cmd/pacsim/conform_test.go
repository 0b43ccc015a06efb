package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// conform runs `pacsim conform args…` in process.
func conform(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), append([]string{"conform"}, args...), &o, &e)
	return o.String(), e.String(), err
}

// reportFiles checks the four reports of a run in dir and returns report.md.
func reportFiles(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "cucumber.json"))
	require.NoError(t, err)
	var cuke []map[string]any
	require.NoError(t, json.Unmarshal(b, &cuke), "cucumber.json is JSON")
	require.NotEmpty(t, cuke)
	b, err = os.ReadFile(filepath.Join(dir, "junit.xml"))
	require.NoError(t, err)
	var junit struct {
		XMLName xml.Name `xml:"testsuites"`
		Tests   int      `xml:"tests,attr"`
	}
	require.NoError(t, xml.Unmarshal(b, &junit), "junit.xml is XML")
	require.Positive(t, junit.Tests)
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	require.Contains(t, string(page), "<style>")
	require.NotRegexp(t, `(?i)<link|<script|src=|url\(|href="(https?:)?//`, string(page), "report.html is self-contained")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	return string(md)
}

// TestConformTagged runs one requirement of the built-in suite against the
// simulator and reads its reports.
func TestConformTagged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout, _, err := conform(t, "--tags", "@EP-DOOR-C-PASS", "--out", dir)
	require.NoError(t, err, stdout)
	require.Contains(t, stdout, "3 scenarios (3 passed)")
	md := reportFiles(t, dir)
	require.Contains(t, md, "Target: the simulator. Tags: `~@known-issue && @EP-DOOR-C-PASS`.")
	require.Regexp(t, `\| EP-DOOR-C-PASS \| ✅ passed \| 3 / 0 / 0 \|`, md)
	require.Regexp(t, `\| EP-DOOR-S-SECURE \| ⏭ skipped \|`, md, "a requirement whose scenarios were not selected is skipped")
	require.Regexp(t, `\| GV-[A-Z-]+ \| ◌ untested \|`, md, "a requirement without a scenario is untested")
	require.Contains(t, md, "| Door | 1 | 0 | 18 | 0 |")
	require.Contains(t, md, "not selected by --tags")
}

// stepRef is the step reference, read once.
func stepRef(t *testing.T) string {
	t.Helper()
	stdout, _, err := conform(t, "--steps")
	require.NoError(t, err)
	return stdout
}

// TestConformSteps: --steps prints the reference that STEPS.md holds.
func TestConformSteps(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "features", "STEPS.md"))
	require.NoError(t, err)
	require.Equal(t, string(want), stepRef(t))
}

// writeFeature writes a feature file into dir.
func writeFeature(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// A scenario written from the examples of the step reference only.
const ownFeature = `@entrapass
Feature: The front door, as QA sees it

  @sim-only @EP-DOOR-S-UNSECURE
  Scenario: a good card opens the front door
    Given the default site
    And the driver is connected
    When card "100:1001" is presented at reader "Front Door entry"
    Then door "Front Door" shows "Unsecure"
`

// TestConformOwnFeatures: a new scenario in an empty folder, its every step
// taken from the step reference, passes and is reported.
func TestConformOwnFeatures(t *testing.T) {
	ref := stepRef(t)
	for _, line := range strings.Split(ownFeature, "\n") {
		line = strings.TrimSpace(line)
		if regexp.MustCompile(`^(Given|When|Then|And) `).MatchString(line) {
			require.Contains(t, ref, "\n"+line+"\n", "the step is an example of the reference")
		}
	}
	dir := t.TempDir()
	writeFeature(t, dir, "front.feature", ownFeature)
	out := filepath.Join(dir, "report")
	stdout, stderr, err := conform(t, "--features", dir, "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Contains(t, stdout, "1 scenarios (1 passed)")
	md := reportFiles(t, out)
	require.Regexp(t, `\| EP-DOOR-S-UNSECURE \| ✅ passed \| 1 / 0 / 0 \|`, md)

	// --tags selects among the user's scenarios as usual.
	stdout, _, err = conform(t, "--features", filepath.Join(dir, "front.feature"), "--tags", "@EP-DOOR-C-LOCK", "--out", out)
	require.NoError(t, err)
	require.Contains(t, stdout, "No scenarios")
	require.Regexp(t, `\| EP-DOOR-S-UNSECURE \| ⏭ skipped \| 0 / 0 / 1 \|`, reportFiles0(t, out))
}

// reportFiles0 reads report.md alone (a run that selected no scenario
// writes an empty cucumber.json).
func reportFiles0(t *testing.T, dir string) string {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	return string(md)
}

// TestConformUndefinedStep: a step the vocabulary lacks fails the run,
// naming the file, the line and the nearest phrases, with no Go snippet.
func TestConformUndefinedStep(t *testing.T) {
	dir := t.TempDir()
	p := writeFeature(t, dir, "typo.feature", `@entrapass
Feature: A typo

  @EP-DOOR-S-SECURE
  Scenario: the front door is secure
    Given the default site
    And the driver is connected
    Then the door "Front Door" is showing "Secure"
`)
	out := filepath.Join(dir, "report")
	stdout, stderr, err := conform(t, "--features", p, "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage), "a failed run exits 1, not 2")
	require.Contains(t, err.Error(), "1 undefined step")
	require.Contains(t, stderr, p+`:8: undefined step "the door "Front Door" is showing "Secure""`)
	require.Contains(t, stderr, `door|reader|output|input "…" shows "…"`, "the nearest phrase")
	require.Contains(t, stderr, `e.g. door "Front Door" shows "Unsecure"`)
	require.Equal(t, 3, strings.Count(stderr, "e.g. "), "three phrases")
	require.NotContains(t, stdout+stderr, "func ", "no Go snippet")
	require.NotContains(t, stdout+stderr, "godog.ErrPending")
	md := reportFiles(t, out)
	require.Regexp(t, `\| EP-DOOR-S-SECURE \| ❌ failed \| 0 / 1 / 0 \|`, md)
	require.Contains(t, md, "undefined step")
}

// TestConformFailure: a scenario that fails exits 1 and the report says why.
func TestConformFailure(t *testing.T) {
	dir := t.TempDir()
	writeFeature(t, dir, "wrong.feature", strings.Replace(ownFeature, `shows "Unsecure"`, `shows "Secure"`, 1))
	out := filepath.Join(dir, "report")
	_, _, err := conform(t, "--features", dir, "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "1 scenario(s) failed")
	md := reportFiles(t, out)
	require.Contains(t, md, "## Failed scenarios")
	require.Contains(t, md, `expected "Secure"`)
}

// TestConformUsage: usage errors exit 2 (errUsage) before anything runs.
func TestConformUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--nope"},
		{"extra.feature"},
		{"--username", "u"},
		{"--entrapass-url", "ftp://x", "--username", "u"},
		{"--entrapass-url", "http://127.0.0.1:8080"},
		{"--features", filepath.Join(t.TempDir(), "missing")},
		{"--tags", "@A || @B"},
	} {
		_, _, err := conform(t, args...)
		require.ErrorIs(t, err, errUsage, "%q", args)
	}
}

// TestConformRealServer points the driver at a served SmartService (the
// simulator standing in for a real server): @sim-only and @fault
// scenarios are skipped, the others run against the URL.
func TestConformRealServer(t *testing.T) {
	_, ep, stop := startServe(t, "--clock", "virtual")
	defer stop()
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--entrapass-url", ep, "--username", "pacsim", "--password", "pacsim",
		"--tags", "@EP-SYS-C-CANCEL,@EP-DOOR-C-PASS", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Contains(t, stdout, "1 scenarios (1 passed)")
	md := reportFiles(t, out)
	require.Contains(t, md, "Target: "+ep+".")
	require.Regexp(t, `\| EP-SYS-C-CANCEL \| ✅ passed \|`, md)
	require.Regexp(t, `\| EP-DOOR-C-PASS \| ⏭ skipped \| 0 / 0 / 3 \|`, md)
	require.Contains(t, md, "@sim-only: drives the simulated hardware, not run against a real server")

	// Every scenario a real server can run passes, one after the other on
	// the same server: each starts from the server returned to its defaults.
	stdout, stderr, err = conform(t, "--entrapass-url", ep, "--username", "pacsim", "--password", "pacsim", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Regexp(t, `scenarios: \d+ passed, 0 failed`, stdout)
}
