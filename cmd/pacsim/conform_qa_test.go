package main

import (
	"encoding/xml"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/features/report"
)

// qaFeature is the fixture of the selection flags: an outline of two rows
// (lines 12 and 13, the outline at line 5), a passing scenario (line 16)
// and two that fail on purpose (lines 23 and 29).
const qaFeature = "testdata/qa.feature"

// ran lists the scenarios of a run's cucumber.json as "line status".
func ran(t *testing.T, dir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "cucumber.json"))
	require.NoError(t, err)
	defer f.Close()
	scens, err := report.ParseCucumber(f)
	require.NoError(t, err)
	var out []string
	for _, s := range scens {
		out = append(out, strconv.Itoa(s.Line)+" "+s.Status)
	}
	sort.Strings(out)
	return out
}

// TestConformNothingSelected: --tags that selects nothing exits 1 (not 0
// with a green line), saying that nothing ran and why.
func TestConformNothingSelected(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--features", qaFeature, "--tags", "@EP-DOOR-C-LOCK", "--out", out)
	require.Error(t, err, stdout+stderr)
	require.False(t, errors.Is(err, errUsage), "nothing ran: exit 1, not 2")
	require.Contains(t, err.Error(), "no scenario ran")
	require.Contains(t, err.Error(), "5 not selected by --tags")
	require.Contains(t, stdout, "scenarios: 0 passed, 0 failed, 5 skipped\n", "the summary agrees with the reports")
}

// TestConformRealAllSkipped: against a real server, a run whose every
// selected scenario is skipped (@sim-only) exits 1 and says why.
func TestConformRealAllSkipped(t *testing.T) {
	_, ep, stop := startServe(t, "--clock", "virtual")
	defer stop()
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--entrapass-url", ep, "--username", "pacsim", "--password", "pacsim",
		"--tags", "@EP-DOOR-C-PASS", "--out", out)
	require.Error(t, err, stdout+stderr)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "no scenario ran")
	require.Regexp(t, `; (\d+) @sim-only: drives the simulated hardware, not run against a real server`, err.Error())
	require.Regexp(t, `\| EP-DOOR-C-PASS \| ⏭ skipped \| 0 / 0 / \d+ \|`, reportFiles0(t, out), "the reports are still written")
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// TestConformUnreachable: an unreachable or wrongly configured server is
// checked once before anything runs: one message, no scenario, exit 1.
func TestConformUnreachable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	addr := closedPort(t)
	stdout, stderr, err := conform(t, "--entrapass-url", "http://"+addr, "--username", "pacsim", "--password", "pacsim", "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "cannot log in to the EntraPass SmartService at http://"+addr+" as \"pacsim\"")
	require.Contains(t, err.Error(), "connection refused")
	require.Equal(t, 1, strings.Count(err.Error(), "connection refused"), "one message: %s", err)
	require.NotContains(t, err.Error(), "8801", "the hint is for the default port only")
	require.NotContains(t, stdout, "scenarios:", "nothing ran")
	require.NotContains(t, stdout+stderr, "failed")
	_, statErr := os.Stat(filepath.Join(out, "cucumber.json"))
	require.True(t, os.IsNotExist(statErr), "no report of a run that did not happen")

	// Wrong credentials: the same, with the server's refusal.
	_, ep, stop := startServe(t, "--clock", "virtual")
	defer stop()
	_, _, err = conform(t, "--entrapass-url", ep, "--username", "pacsim", "--password", "wrong", "--out", out)
	require.Error(t, err)
	require.Contains(t, err.Error(), "cannot log in to the EntraPass SmartService at "+ep)
	require.Contains(t, err.Error(), "check Username and Password")

	// The Genetec Web SDK with a wrong password: one check, one message.
	gURL := startServeGenetec(t)
	t.Setenv("PACSIM_GENETEC_PASSWORD", "wrong")
	stdout, _, err = conform(t, "--genetec-url", gURL, "--genetec-user", "admin", "--genetec-insecure", "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "cannot connect to the Security Center Web SDK at "+gURL+" as \"admin\"")
	require.Contains(t, err.Error(), "401")
	require.NotContains(t, stdout, "scenarios:")
}

// TestConformRefusedDefaultPortHint: a refused connection on port 8080
// (the document's default, where nothing listens here) says that the
// simulator serves SmartService on 8801.
func TestConformRefusedDefaultPortHint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err != nil {
		t.Skipf("port 8080 is in use here: %v", err)
	}
	require.NoError(t, ln.Close())
	_, _, err = conform(t, "--entrapass-url", "http://127.0.0.1", "--username", "pacsim", "--password", "pacsim",
		"--out", filepath.Join(t.TempDir(), "out"))
	require.Error(t, err)
	require.Contains(t, err.Error(), "connection refused")
	require.Contains(t, err.Error(), "pacsim serve serves SmartService on 127.0.0.1:8801")
	require.Contains(t, err.Error(), "--entrapass-url http://127.0.0.1:8801")
}

// TestConformOneSummary: the output has one summary, pacsim's, whose
// counts are those of the reports (godog's would count a scenario skipped
// by its first step as passed).
func TestConformOneSummary(t *testing.T) {
	gURL := startServeGenetec(t)
	t.Setenv("PACSIM_GENETEC_PASSWORD", "pacsim")
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--genetec-url", gURL, "--genetec-user", "admin", "--genetec-insecure",
		"--tags", "@GV-PROVISION,@GV-COMPAT-VERSION", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.NotRegexp(t, `\d+ scenarios \(`, stdout, "no godog summary")
	require.NotRegexp(t, `\d+ steps \(`, stdout, "no godog summary")
	m := regexp.MustCompile(`(?m)^scenarios: (\d+) passed, (\d+) failed, (\d+) skipped$`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	require.Equal(t, 1, strings.Count(stdout, "scenarios: "), "one summary")
	md := reportFiles(t, out)
	require.Contains(t, md, "Scenarios: "+m[1]+" passed, "+m[2]+" failed, "+m[3]+" skipped.")
	passed, _ := strconv.Atoi(m[1])
	require.Positive(t, passed)
	var skippedByStep int
	for _, s := range ran(t, out) {
		if strings.HasSuffix(s, " skipped") {
			skippedByStep++
		}
	}
	require.Positive(t, skippedByStep, "a site variant is skipped by its first step")
	b, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	require.NoError(t, err)
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	require.NoError(t, xml.Unmarshal(b, &junit))
	require.Contains(t, stdout, "ran: "+strconv.Itoa(junit.Tests)+" ("+m[1]+" passed, "+m[2]+" failed, "+strconv.Itoa(skippedByStep)+" skipped by their first step)")
}

// TestConformFeatureLine: --features FILE:LINE runs the scenario at LINE
// (an outline's line: its rows; a row's line: that row).
func TestConformFeatureLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--features", qaFeature + ":16"}, []string{"16 passed"}},
		{[]string{"--features", qaFeature + ":19"}, []string{"16 passed"}}, // a step of it
		{[]string{"--features", qaFeature + ":13"}, []string{"13 passed"}},
		{[]string{"--features", qaFeature + ":5"}, []string{"12 passed", "13 passed"}},
		{[]string{"--features", qaFeature + ":12", "--features", qaFeature + ":16"}, []string{"12 passed", "16 passed"}},
		{[]string{"--features", qaFeature + ":12:16"}, []string{"12 passed", "16 passed"}},
		{[]string{"--features", qaFeature, "--name", "^door .* starts secure$"}, []string{"12 passed", "13 passed"}},
		{[]string{"--features", qaFeature, "--name", "Back Door"}, []string{"13 passed"}},
		{[]string{"--features", qaFeature + ":5", "--name", "Front"}, []string{"12 passed"}},
	} {
		stdout, stderr, err := conform(t, append(c.args, "--out", out)...)
		require.NoError(t, err, "%q: %s", c.args, stdout+stderr)
		require.Equal(t, c.want, ran(t, out), "%q", c.args)
	}
	md := reportFiles(t, out)
	require.Contains(t, md, "not selected by --name")

	// A line in no scenario, a line past the end, a folder with a line,
	// a bad regexp: usage errors, before anything runs.
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--features", qaFeature + ":3"}, qaFeature + ":3: no scenario at line 3 (scenarios at lines 5, 16, 23, 29)"},
		{[]string{"--features", qaFeature + ":99"}, qaFeature + ":99: no scenario at line 99"},
		{[]string{"--features", "testdata:4"}, "testdata:4: a line number needs a .feature file, not a folder"},
		{[]string{"--features", qaFeature, "--name", "door ("}, `--name "door (": error parsing regexp`},
	} {
		_, _, err := conform(t, append(c.args, "--out", dir)...)
		require.ErrorIs(t, err, errUsage, "%q", c.args)
		require.Contains(t, err.Error(), c.want, "%q", c.args)
	}
}

// TestConformNameSelectsNothing: --name that matches nothing exits 1.
func TestConformNameSelectsNothing(t *testing.T) {
	_, _, err := conform(t, "--features", qaFeature, "--name", "no such scenario", "--out", filepath.Join(t.TempDir(), "out"))
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "no scenario ran")
	require.Contains(t, err.Error(), "5 not selected by --name")
}

// TestConformDryRun: --dry-run parses the features and reports the
// undefined steps without running anything (no report): exit 1 when one
// is undefined, 0 otherwise.
func TestConformDryRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--features", qaFeature, "--dry-run", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Contains(t, stdout, "dry run: 5 scenarios, 16 steps, every step defined")
	_, statErr := os.Stat(out)
	require.True(t, os.IsNotExist(statErr), "a dry run writes no report")

	// With the built-in suite and a real server: nothing is contacted.
	stdout, stderr, err = conform(t, "--dry-run", "--entrapass-url", "http://"+closedPort(t), "--username", "u", "--password", "p", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Contains(t, stdout, "every step defined")

	dir := t.TempDir()
	typo := writeFeature(t, dir, "typo.feature", strings.Replace(ownFeature, `Then door "Front Door" shows "Unsecure"`, `Then the door "Front Door" is showing "Unsecure"`, 1))
	stdout, stderr, err = conform(t, "--features", typo, "--dry-run", "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "1 undefined step")
	require.Contains(t, stderr, typo+`:9: undefined step "the door "Front Door" is showing "Unsecure""`)
	require.Contains(t, stderr, `e.g. door "Front Door" shows "Unsecure"`, "the nearest phrases")
	require.Contains(t, stdout, "dry run: 1 scenarios, 4 steps, 1 undefined")
	_, statErr = os.Stat(out)
	require.True(t, os.IsNotExist(statErr))
}

// TestConformStopOnFailure: --stop-on-failure runs no scenario after the
// first that fails; the rest are reported skipped, saying why.
func TestConformStopOnFailure(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err := conform(t, "--features", qaFeature, "--name", "wrong on purpose", "--stop-on-failure", "--concurrency", "1", "--out", out)
	require.Error(t, err, stdout+stderr)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "1 scenario(s) failed")
	require.Equal(t, []string{"23 failed", "29 skipped"}, ran(t, out))
	md := reportFiles(t, out)
	require.Contains(t, md, "not run: --stop-on-failure stopped the run at the first failure")
	require.Contains(t, stdout, "scenarios: 0 passed, 1 failed, 4 skipped")

	// Without it, both run.
	_, _, err = conform(t, "--features", qaFeature, "--name", "wrong on purpose", "--concurrency", "1", "--out", out)
	require.Error(t, err)
	require.Contains(t, err.Error(), "2 scenario(s) failed")
}

// TestConformUsageWrapped: a usage error is errUsage wrapped with its one
// line, which names the flag and the value.
func TestConformUsageWrapped(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--concurrency", "-1"}, "--concurrency: -1 is negative"},
		{[]string{"--tags", "@A || @B"}, `--tags "@A || @B"`},
		{[]string{"--features", "missing.feature"}, "--features missing.feature:"},
		{[]string{"extra"}, "takes no arguments"},
	} {
		_, _, err := conform(t, c.args...)
		require.ErrorIs(t, err, errUsage, "%q", c.args)
		require.NotEqual(t, errUsage, err, "%q: the error says what is wrong", c.args)
		require.Contains(t, err.Error(), c.want)
		require.True(t, strings.HasPrefix(err.Error(), "conform: "), "%q: %s", c.args, err)
		require.NotContains(t, err.Error(), "\n", "one line")
	}
}
