package features_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/features/steps"
)

// TestStepsFailWhenTheyShould runs scenarios that must fail, each with the
// words its failure must say: a step that could not fail would pass them.
// Each new step of the vocabulary has a case here beside the scenario of
// the suite that uses it.
func TestStepsFailWhenTheyShould(t *testing.T) {
	cases := []struct {
		name, steps, says string
	}{
		{"Description containing a text it does not contain", `
    Given the default site
    And the driver is connected
    When card "100:1033" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has "Description" containing "granted"`,
			`"Access denied - card lost or stolen", which does not contain "granted"`},
		{"a non-empty BadgeTemplateID of an unknown card", `
    Given the default site
    And the driver is connected
    When card "100:9999" is presented at reader "Front Door entry"
    Then the last access event of door "Front Door" has a non-empty "BadgeTemplateID"`,
			`has no "BadgeTemplateID"`},
		{"a Port of 0 accepted", `
    Given the default site
    When the driver is configured with "Port" set to "0"
    Then the configuration is accepted`,
			`Port: 0 is out of range (1–65535)`},
		{"letters in Port accepted", `
    Given the default site
    When the driver is configured with "Port" set to "http"
    Then the configuration is accepted`,
			`Port: "http" is not a number`},
		{"a door on its unlock schedule shown Secure", `
    Given the default site where door "Office Door" unlocks on schedule "Business hours"
    And the driver is connected
    Then door "Office Door" shows "Secure"`,
			`"Unsecure"`},
		{"an unlock schedule the site does not have", `
    Given the default site where door "Office Door" unlocks on schedule "Weekends"`,
			`the site has no schedule "Weekends" (it has "Always", "Business hours")`},
		{"presented N times counted as one", `
    Given the default site
    And the driver is connected
    When card "100:1001" is presented 3 times at reader "Front Door entry"
    Then 1 Last Access Event was published for door "Front Door"`,
			`3 Last Access Event(s) were published`},
		{"an event batch of 0", `
    Given the default site with an event batch of 0`,
			`an event batch of 0: it must be at least 1`},
		{"a driver started again while it runs", `
    Given the default site
    And the driver is connected
    When the driver is started again`,
			`the driver is running: stop it first`},
		{"the events of the gap expected without a restart", `
    Given the default site
    And the driver is connected
    When the driver is stopped
    And card "100:1001" is presented at reader "Front Door entry"
    Then 1 Last Access Event was published for door "Front Door"`,
			`0 Last Access Event(s) were published`},
		{"a log line left out that the log has, in other case", `
    Given the default site
    And the driver is connected
    Then the driver log does not show "SYNCHRONISED"`,
			`the driver's log shows "SYNCHRONISED" (ignoring case)`},
		{"a log line left out of a log that has nothing", `
    Given the default site
    Then the driver log does not show "password"`,
			`no driver log`},
		{"the Debug Tools client reading elsewhere than the port named", `
    Then the Debug Tools port is 9628`,
			`the Debug Tools address is 127.0.0.1:9629, expected port 9628`},
		{"the Dataserver's default port misnamed", `
    Then the dataserver port defaults to 9629`,
			`expected port 9629`},
		{"a grant at a reader where nothing was presented", `
    Given the default site
    And the driver is connected
    When card "100:1001" is presented at reader "Front Door entry"
    Then reader "Shop Front entry" grants access`,
			`no card was presented at reader "Shop Front entry"`},
		{"a grant at the reader that denied", `
    Given the default site
    And the driver is connected
    When card "100:9999" is presented at reader "Front Door entry"
    And card "100:1001" is presented at reader "Shop Front entry"
    Then reader "Front Door entry" grants access`,
			`reader "Front Door entry" denied card 100:9999 (unknown-card), expected a grant`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			feature := "Feature: must fail\n  Scenario: " + tc.name + "\n" + strings.TrimPrefix(tc.steps, "\n") + "\n"
			var out bytes.Buffer
			status := godog.TestSuite{
				Name:                "must-fail",
				ScenarioInitializer: steps.Register,
				Options: &godog.Options{
					Format:   "progress",
					Output:   &out,
					NoColors: true,
					Paths:    []string{"."},
					FS:       fstest.MapFS{"must-fail.feature": {Data: []byte(feature)}},
					Strict:   true,
				},
			}.Run()
			if status == 0 {
				t.Fatalf("the scenario passed; it must fail saying %q:\n%s", tc.says, feature)
			}
			if !strings.Contains(out.String(), tc.says) {
				t.Fatalf("the scenario failed, but not saying %q:\n%s", tc.says, out.String())
			}
		})
	}
}
