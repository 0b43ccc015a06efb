package features

import (
	"fmt"
	"strings"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/features/steps"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The step reference (STEPS.md, and `pacsim conform --steps`): every step
// with its doc string and an example that runs, and, beside the steps that
// need them, the values a scenario compares with — each table rendered from
// the code that makes the values, so the reference cannot drift from them.

// StepReference is the step reference (STEPS.md), generated from the
// vocabulary.
func StepReference() string {
	var b strings.Builder
	b.WriteString("# Step reference\n\n")
	b.WriteString("Generated from `features/steps` (`go test ./features -run TestStepReference -update`); do not edit.\n\n")
	b.WriteString("Doors, readers, inputs, outputs, controllers and gateways are named as the site names them\n")
	b.WriteString("(`sim/sites/default.yaml`: door \"Front Door\", reader \"Front Door entry\", output \"Office Siren\", …);\n")
	b.WriteString("cards by number (`100:1001`); times in seconds on the site's manual clock. Each scenario has its\n")
	b.WriteString("own site, server and driver; after every step that changes the world the driver polls once.\n")
	b.WriteString("Steps marked @sim-only drive the simulated hardware and cannot run against a real server.\n\n")
	fmt.Fprintf(&b, "Every example is a scenario fragment that passes as it stands against the built-in simulator\n")
	fmt.Fprintf(&b, "(`TestStepExamplesRun` runs each one): the lines above `%s` are the context the step needs,\n", steps.StepMarker)
	fmt.Fprintf(&b, "the line below it is the step documented. Copy the whole block into a `Scenario:`.\n")
	fmt.Fprintf(&b, "The values the steps compare with are listed beside them: [Status precedence](#status-precedence),\n")
	fmt.Fprintf(&b, "[Last Access Event values](#last-access-event-values); the default site's cards, users, readers,\n")
	fmt.Fprintf(&b, "schedules and access levels are at the end: [Test data](#test-data-the-default-site).\n")
	group := ""
	for _, d := range steps.Steps() {
		if d.Group != group {
			group = d.Group
			fmt.Fprintf(&b, "\n## %s\n", group)
			if intro, ok := groupIntros[group]; ok {
				b.WriteString(intro())
			}
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n```gherkin\n%s\n```\n\nPattern: `%s`\n", d.Phrase(), d.Doc, d.Fragment(), d.Pattern)
	}
	b.WriteString(testData())
	return b.String()
}

// groupIntros are the sections that open a group of steps.
var groupIntros = map[string]func() string{
	"Asset status":    statusPrecedence,
	"Workflow events": accessValues,
}

// Example is a scenario the reference shows outside the steps' own
// examples.
type Example struct {
	Name  string
	Steps string // the steps, one a line, with their keywords
}

// ReferenceExamples returns the scenarios the reference's sections show,
// so that a test runs them as it runs the steps' examples: a value listed
// wrongly fails it.
func ReferenceExamples() []Example {
	return []Example{precedenceExample, grantedExample, unknownCardExample, lostCardExample}
}

func fenced(e Example) string { return "\n```gherkin\n" + e.Steps + "\n```\n" }

var precedenceExample = Example{"a forced door acknowledged, then masked", `Given the default site
And the driver is connected
When door "Front Door" is opened
Then door "Front Door" shows "Forced Open"
And door "Front Door" also holds "Unsecure"
When the operator sends "Acknowledge" to door "Front Door"
Then door "Front Door" shows "Acknowledged"
And door "Front Door" also holds "Forced Open"
When the operator sends "Mask" to door "Front Door"
Then door "Front Door" shows "Masked"
And door "Front Door" does not hold "Forced Open"`}

// statusPrecedence renders the driver's status table, type by type.
func statusPrecedence() string {
	var b strings.Builder
	b.WriteString("\n### Status precedence\n\n")
	b.WriteString("An asset holds a set of statuses at once. `… shows \"…\"` is the one status it shows: the highest\n")
	b.WriteString("of those it holds in its type's status table. `… also holds \"…\"` and `… does not hold \"…\"` look\n")
	b.WriteString("at every status it holds. The scenarios' driver uses the default status table (`asset.DefaultTable`,\n")
	b.WriteString("SPEC §6; a PSIM's configuration may reorder it), highest first:\n\n")
	b.WriteString("| Rank | Status |\n|---|---|\n")
	for i, s := range asset.DefaultTable().Statuses() {
		fmt.Fprintf(&b, "| %d | %s |\n", i+1, s)
	}
	b.WriteString("\nThe statuses each asset can hold, highest first:\n\n")
	b.WriteString("| Asset | Statuses |\n|---|---|\n")
	for _, t := range asset.Types() {
		var held []string
		for _, s := range asset.DefaultTable().Statuses() {
			if t.Supports(s) {
				held = append(held, string(s))
			}
		}
		fmt.Fprintf(&b, "| %s | %s |\n", t.Title(), strings.Join(held, " > "))
	}
	b.WriteString("\nWhat an asset holds (`driver/asset`): No Communication while it is lost (and a door or input whose\n")
	b.WriteString("state was never read); Masked, after Mask and until Reset, hides every other status but No\n")
	b.WriteString("Communication; Acknowledged holds beside the alarms (Fault, Forced Open,\n")
	b.WriteString("Held Open, Tamper, Controller Fault) while every alarm it holds has been acknowledged; Normal holds,\n")
	b.WriteString("for the types that have it, while nothing but Enabled, Secure, Inactive or Present holds (so a\n")
	b.WriteString("disabled reader never holds Normal). For example:\n")
	b.WriteString(fenced(precedenceExample))
	return b.String()
}

var grantedExample = Example{"a granted access: every property", `Given the default site
And the driver is connected
When card "100:1001" is presented at reader "Front Door entry"
Then the last access event of door "Front Door" has:
  | Username        | Alice Martin        |
  | BadgeTemplateID | 1                   |
  | DateTime        | 2026-01-05 09:00:00 |
  | CardId          | 100:1001            |
  | Access Granted  | True                |
  | Description     | Access granted      |
  | Card Status     | Valid               |
  | Parent Id       | 20                  |
  | Parent Type     | reader              |
And the last access event of reader "Front Door entry" has:
  | Description     | Access granted      |
  | Parent Id       | 20                  |
  | Parent Type     | door                |`}

var unknownCardExample = Example{"an unknown card", `Given the default site
And the driver is connected
When card "100:9999" is presented at reader "Shop Front entry"
Then the reader denies access with reason "unknown-card"
And the last access event of door "Shop Front" has:
  | Username        |                              |
  | BadgeTemplateID | 0                            |
  | Access Granted  | False                        |
  | Description     | Access denied - unknown card |
  | Card Status     | Unknown                      |
  | Parent Id       | 24                           |`}

var lostCardExample = Example{"a lost card", `Given the default site
And the driver is connected
When card "100:1033" is presented at reader "Front Door entry"
Then the reader denies access with reason "card-lost-stolen"
And the last access event of door "Front Door" has:
  | Username    | Grace Michel                        |
  | Description | Access denied - card lost or stolen |
  | Card Status | StolenLost                          |`}

// accessValues renders the values of a Last Access Event's properties:
// the descriptions from the simulator's event texts, the card states from
// SmartService's.
func accessValues() string {
	var b strings.Builder
	b.WriteString("\n### Last Access Event values\n\n")
	b.WriteString("For every access, granted or denied, the driver publishes a Last Access Event on the door and one\n")
	b.WriteString("on the door's reader (the Reader asset, `reader/<door id>`), with the properties of the integration\n")
	b.WriteString("document's Tables 1 and 2. The steps compare them as this text:\n\n")
	b.WriteString("| Property | Value |\n|---|---|\n")
	b.WriteString("| Username | the card user's name; empty for a card no user holds |\n")
	b.WriteString("| BadgeTemplateID | the card user's badge layout id (EntraPass Badging: 1 for most users of the default site); 0 for a card no user holds |\n")
	b.WriteString("| DateTime | `yyyy-MM-dd HH:mm:ss`, UTC: the site time of the access (the site clock starts at 2026-01-05 09:00:00) |\n")
	b.WriteString("| CardId | the card as presented: `100:1001` |\n")
	b.WriteString("| Access Granted | `True` or `False` |\n")
	b.WriteString("| Description | the event's text: by reason, below |\n")
	b.WriteString("| Card Status | the card's state: below |\n")
	fmt.Fprintf(&b, "| Parent Id | the door's id (its Door ID) on both events: on the door's, the id of the reader asset used (`reader/<door id>`); on the reader's, its door's |\n")
	fmt.Fprintf(&b, "| Parent Type | `%s` on the door's event; `%s` on the reader's |\n", asset.Reader, asset.Door)
	b.WriteString("\nDescription, by the reason `the reader denies access with reason \"…\"` names (the simulated\n")
	b.WriteString("SmartService's event texts; a real EntraPass's wording may differ):\n\n")
	b.WriteString("| Reason | Description |\n|---|---|\n")
	fmt.Fprintf(&b, "| (granted) | %s |\n", sim.DeniedEvent(sim.ReasonNone))
	for _, r := range sim.Reasons() {
		fmt.Fprintf(&b, "| %s | %s |\n", r, sim.DeniedEvent(r))
	}
	b.WriteString("\nCard Status: the card user's state as SmartService gives it, or the card's own state when the\n")
	b.WriteString("user is Valid and the card is not; `Unknown` for a card no user holds; empty when the driver could\n")
	b.WriteString("not look the card up (it logs a warning). The states:")
	for i := wire.CardValid; i.Valid(); i++ {
		sep := ","
		if i == wire.CardValid {
			sep = ""
		}
		fmt.Fprintf(&b, "%s `%s`", sep, i)
	}
	b.WriteString(", `Unknown`.\n\nFor example (every property of a grant, then two denials):\n")
	for _, e := range []Example{grantedExample, unknownCardExample, lostCardExample} {
		b.WriteString(fenced(e))
	}
	return b.String()
}
