package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
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
	// The counts follow the suite; what must hold is that every selected
	// scenario ran and passed, and the report says the same number.
	m := regexp.MustCompile(`scenarios: (\d+) passed, 0 failed, \d+ skipped\nran: (\d+) \((\d+) passed, 0 failed\)\n`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	require.Equal(t, m[1], m[2])
	require.Equal(t, m[1], m[3])
	require.NotEqual(t, "0", m[1])
	md := reportFiles(t, dir)
	require.Contains(t, md, "Target: the simulator. Tags: `~@known-issue && @EP-DOOR-C-PASS`.")
	require.Regexp(t, `\| EP-DOOR-C-PASS \| ✅ passed \| `+m[1]+` / 0 / 0 \|`, md)
	require.Regexp(t, `\| EP-DOOR-S-MASKED \| ⏭ skipped \|`, md, "a requirement whose scenarios were not selected is skipped")
	// Every requirement of the catalogue has a scenario now (GV and RP
	// included): none is untested.
	require.Regexp(t, `Requirements: [1-9]\d* passed, 0 failed, \d+ skipped, 0 untested`, md)
	require.Regexp(t, `\| Door \| [1-9]\d* \| 0 \| \d+ \| 0 \|`, md)
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
	require.Contains(t, stdout, "scenarios: 1 passed, 0 failed, 0 skipped")
	md := reportFiles(t, out)
	require.Regexp(t, `\| EP-DOOR-S-UNSECURE \| ✅ passed \| 1 / 0 / 0 \|`, md)

	// --tags selects among the user's scenarios as usual; selecting none
	// is a failed run (exit 1) that says why.
	_, _, err = conform(t, "--features", filepath.Join(dir, "front.feature"), "--tags", "@EP-DOOR-C-LOCK", "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "no scenario ran: of 1, 1 not selected by --tags")
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
	t.Setenv("PACSIM_GENETEC_PASSWORD", "")
	for _, args := range [][]string{
		{"--genetec-user", "admin"},
		{"--genetec-app-id", "pacsim-visitors"},
		{"--genetec-insecure"},
		{"--genetec-url", "ftp://127.0.0.1:4590/WebSdk/", "--genetec-user", "admin"},
		{"--genetec-url", "https://127.0.0.1:4590/WebSdk/"},
		{"--genetec-url", "https://127.0.0.1:4590/WebSdk/", "--genetec-user", "admin"}, // no $PACSIM_GENETEC_PASSWORD
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

// startServeGenetec runs `pacsim serve` in process on ephemeral ports and
// returns its Web SDK's URL (HTTPS, a certificate generated at start;
// genetecLine is serve_test.go's).
func startServeGenetec(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--control", "127.0.0.1:0", "--entrapass", "off", "--genetec", "127.0.0.1:0"}, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := genetecLine.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1]
		}
	}
	t.Fatal("serve printed no Genetec Web SDK address")
	return ""
}

// TestConformGenetec points the visitor connector at a served Security
// Center (the simulator standing in for a real one, over HTTPS with its
// self-signed certificate): the @genetec scenarios that need no simulator
// run against the URL, the @sim-only, @fault and site-variant ones are
// skipped, and the @entrapass ones are left out.
func TestConformGenetec(t *testing.T) {
	gURL := startServeGenetec(t)
	t.Setenv("PACSIM_GENETEC_PASSWORD", "pacsim")
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"--genetec-url", gURL, "--genetec-user", "admin", "--genetec-insecure", "--out", out}

	stdout, stderr, err := conform(t, append(args, "--tags", "@GV-PROVISION,@GV-COMPAT-VERSION,@EP-SYS-C-CANCEL")...)
	require.NoError(t, err, stdout+stderr)
	md := reportFiles(t, out)
	require.Contains(t, md, "Target: "+gURL+".")
	require.Contains(t, md, "~@entrapass", "the EntraPass scenarios are left out")
	require.Regexp(t, `\| GV-PROVISION \| ✅ passed \| 1 / 0 / 1 \|`, md, "one scenario against the URL, the @sim-only one skipped")
	require.Regexp(t, `\| GV-COMPAT-VERSION \| ⏭ skipped \|`, md, "site variants are the simulator's")
	require.Regexp(t, `\| EP-SYS-C-CANCEL \| ⏭ skipped \|`, md)
	require.Contains(t, md, "@sim-only: drives the simulated hardware, not run against a real server")
	require.Contains(t, md, "@entrapass: no --entrapass-url, not run against a real server")

	// Without --genetec-insecure the self-signed certificate is refused:
	// by the connection check, before any scenario (none runs, no report).
	stdout, _, err = conform(t, "--genetec-url", gURL, "--genetec-user", "admin", "--tags", "@GV-PROVIDER-ADD", "--out", out)
	require.Error(t, err)
	require.False(t, errors.Is(err, errUsage))
	require.Contains(t, err.Error(), "cannot connect to the Security Center Web SDK at "+gURL)
	require.Regexp(t, `(?i)certificate`, err.Error(), "the connection test says why")
	require.NotContains(t, stdout, "scenarios:")
	_, statErr := os.Stat(filepath.Join(out, "report.md"))
	require.True(t, os.IsNotExist(statErr), "the earlier run's reports are gone")

	// Every @genetec scenario that needs no simulator passes, one after the
	// other on the same Security Center.
	stdout, stderr, err = conform(t, append(args, "--tags", "@genetec")...)
	require.NoError(t, err, stdout+stderr)
	require.Regexp(t, `scenarios: [1-9]\d* passed, 0 failed`, stdout)
	require.Regexp(t, `\| GV-BADGE-ID-DIGITS \| ✅ passed \|`, reportFiles(t, out))
}

// visitorThensFail is a scenario per Then of the visitor vocabulary whose
// last step must fail (the others pass): each Then can see what it checks
// go wrong.
const visitorThensFail = `@genetec
Feature: Every visitor Then can fail

  Background:
    Given the default site
    And the visitor connector with a refreshed provider for location "HQ"
    And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created
    And user "rita@example.com" may assign cardholder group "Visitors - Office"

  @GV-PROVIDER-ADD
  Scenario: the connection test succeeds, with a wrong password
    When the provider's connection is tested with password "wrong"
    Then the connection test succeeds

  @GV-PROVIDER-ADD
  Scenario: the connection test fails, with the right password
    When the provider's connection is tested
    Then the connection test fails with "401"

  @GV-PROVIDER-ADD
  Scenario: the connection test fails with another message
    When the provider's connection is tested with password "wrong"
    Then the connection test fails with "licence"

  @GV-WEBSDK-URL
  Scenario: the provider is refused, but it was saved
    When a provider for location "HQ" is added with URL "https://127.0.0.1:1/WebSdk/"
    Then the provider is refused with "http(s)"

  @GV-PROVIDER-EDIT-DELETE
  Scenario: the provider's name, another one
    Then the provider's name is "Annex"

  @GV-PROVIDER-EDIT-DELETE
  Scenario: the provider is gone, not deleted
    Then the provider is gone

  @GV-REFRESH
  Scenario: the refresh fails, but it succeeded
    When the provider is refreshed
    Then the refresh fails with "503"

  @GV-REFRESH
  Scenario: the synced list includes a name it lacks
    Then the synced access rules include "Visitors - Office"

  @GV-REFRESH
  Scenario: the synced list does not include a name it has
    Then the synced badge types do not include "Standard 26 bits"

  @GV-BADGE-ID-DIGITS
  Scenario: a valid badge is refused
    Then creating badge "Good" with unique ID "5002" of type "Standard 26 bits" is refused with "digits only"

  @GV-BADGE-CREATE
  Scenario: the badge has another type
    Then the provider has badge "Badge 1" with unique ID "5001" of type "HID H10306 34 Bits"

  @GV-USER-GROUPS
  Scenario: the sign-in is refused, but it succeeded
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the sign-in is refused with status 403 and "Visitors - Office"

  @GV-PROVISION
  Scenario: the visit is ended, but it is active
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the visit of "Grace Hopper" is "ended"

  @GV-USER-GROUPS-DENY
  Scenario: the visit is active, but the sign-in was refused
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "bob@example.com"
    Then the visit of "Grace Hopper" is "active"

  @GV-DEACTIVATE-MANUAL
  Scenario: the visit ended with another reason
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And visitor "Grace Hopper" signs out
    Then the visit of "Grace Hopper" ended with reason "deactivated"

  @GV-ONE-VISITOR
  Scenario: no active visit, but there is one
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then the active visits are "none"

  @GV-PROVISION @sim-only
  Scenario: an access granted at a door that refused it
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Shop Front entry"
    Then the visit of "Grace Hopper" has an access at door "Shop Front" granted

  @GV-PROVISION @sim-only
  Scenario: an access refused for another reason
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Shop Front entry"
    Then the visit of "Grace Hopper" has an access at door "Shop Front" refused with reason "InactiveCredential"

  @GV-PROVISION @sim-only
  Scenario: the accesses, one doubled
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Front Door entry"
    Then the accesses of the visit of "Grace Hopper" are "Front Door granted, Front Door granted"

  @GV-PROVISION @sim-only
  Scenario: the accesses, one lost
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And card "200:5001" is presented at reader "Front Door entry"
    And 1 second passes
    And card "200:5001" is presented at reader "Front Door entry"
    Then the accesses of the visit of "Grace Hopper" are "Front Door granted"

  @GV-ACTIVE-ONLY-ONSITE
  Scenario: Security Center shows the visitor active, after the sign-out
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    And visitor "Grace Hopper" signs out
    Then Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Office" holding badge "Badge 1"

  @GV-PROVISION
  Scenario: Security Center shows the visitor in another group
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then Security Center shows visitor "Grace Hopper" active in cardholder group "Visitors - Shop" holding badge "Badge 1"

  @GV-ACTIVE-ONLY-ONSITE
  Scenario: Security Center shows the badge free, while the visitor is on site
    When visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"
    Then Security Center shows badge "Badge 1" inactive and assigned to nobody

  @FT-STREAM-CUT @fault @sim-only
  Scenario: the stream opened again, but it was never cut
    Then the connector opens the Genetec event stream again and subscribes
`

// TestConformVisitorThensCanFail: every Then of the Genetec visitor
// vocabulary fails when what it checks is not so (against the simulator).
func TestConformVisitorThensCanFail(t *testing.T) {
	dir := t.TempDir()
	writeFeature(t, dir, "fail.feature", visitorThensFail)
	out := filepath.Join(dir, "report")
	_, _, err := conform(t, "--features", dir, "--out", out, "--concurrency", "8")
	require.Error(t, err)
	b, err := os.ReadFile(filepath.Join(out, "cucumber.json"))
	require.NoError(t, err)
	var cuke []struct {
		Elements []struct {
			Name  string
			Type  string
			Steps []struct {
				Name   string
				Result struct {
					Status string
					Error  string `json:"error_message"`
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(b, &cuke))
	n := 0
	for _, f := range cuke {
		for _, e := range f.Elements {
			if e.Type != "scenario" {
				continue
			}
			n++
			last := len(e.Steps) - 1
			for i, st := range e.Steps[:last] {
				require.Equal(t, "passed", st.Result.Status, "%s: step %d %q: %s", e.Name, i, st.Name, st.Result.Error)
			}
			require.Equal(t, "failed", e.Steps[last].Result.Status, "%s: its last step %q passed", e.Name, e.Steps[last].Name)
		}
	}
	require.Equal(t, strings.Count(visitorThensFail, "  Scenario:"), n)
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
	require.Contains(t, stdout, "ran: 1 (1 passed, 0 failed)")
	md := reportFiles(t, out)
	require.Contains(t, md, "Target: "+ep+".")
	require.Regexp(t, `\| EP-SYS-C-CANCEL \| ✅ passed \|`, md)
	require.Regexp(t, `\| EP-DOOR-C-PASS \| ⏭ skipped \| 0 / 0 / \d+ \|`, md)
	require.Contains(t, md, "@sim-only: drives the simulated hardware, not run against a real server")

	// Every scenario a real server can run passes, one after the other on
	// the same server: each starts from the server returned to its defaults.
	stdout, stderr, err = conform(t, "--entrapass-url", ep, "--username", "pacsim", "--password", "pacsim", "--out", out)
	require.NoError(t, err, stdout+stderr)
	require.Regexp(t, `scenarios: \d+ passed, 0 failed`, stdout)
}
