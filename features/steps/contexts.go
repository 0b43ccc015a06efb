package steps

import "strings"

// The context of each step's example: the steps a scenario runs before it,
// so that context and example together are a scenario that passes against
// the built-in simulator (TestStepExamplesRun runs every one, and
// STEPS.md shows them, so a QA engineer can copy them). They live beside
// the vocabulary, keyed by pattern, rather than as fields of StepDoc: the
// table of steps is written positionally, and a new field would touch
// every entry. A step not listed in exampleContexts needs the default site
// and a connected driver; a step that builds the site, nothing.

// lines joins steps into a context, one a line.
func lines(steps ...string) string { return strings.Join(steps, "\n") }

// Contexts several steps share.
var (
	site = "Given the default site"
	// siteAndDriver is the usual context: a site and a connected driver.
	siteAndDriver = lines(site, `And the driver is connected`)
	// withRecorder is record.feature's Background.
	withRecorder = lines(site, `And pacsim record is between the driver and the server`, `And the driver is connected`)
	// withUser: Dana Lee holds card 100:5001.
	withUser = lines(siteAndDriver,
		`And card user "Dana Lee" is added under ticket "T-100":`,
		`  | card         | 100:5001    |`,
		`  | card type    | Employee    |`,
		`  | access level | Office only |`,
		`  | site         | Office      |`)
	// withBatch: a batch load at the Back Door has read two new cards.
	withBatch = lines(siteAndDriver,
		`When a batch load is started at door "Back Door"`,
		`And card "100:7001" is presented at reader "Back Door entry"`,
		`And card "100:7002" is presented at reader "Back Door entry"`)
	// withClerk: the driver logged in as an operator without CardRight.
	withClerk = lines(`Given the default site with operator "clerk" of password "clerk-pw" lacking the right "CardRight"`,
		`And the driver is configured with username "clerk" and password "clerk-pw"`)
	withConnector = lines(site, `And the visitor connector is running`)
	withProvider  = lines(site, `And the visitor connector with a provider for location "HQ"`)
	withRefreshed = lines(site, `And the visitor connector with a refreshed provider for location "HQ"`)
	withBadge     = lines(withRefreshed, `And badge "Badge 1" with unique ID "5001" of type "Standard 26 bits" is created`)
	withAssigner  = lines(withBadge, `And user "rita@example.com" may assign cardholder group "Visitors - Office"`)
	// signIn: Grace Hopper signs in with badge 5001 (card "200:5001"),
	// which opens the Office doors in business hours.
	signIn      = `And visitor "Grace Hopper" signs in with badge "Badge 1" and cardholder group "Visitors - Office" by "rita@example.com"`
	withVisitor = lines(withAssigner, signIn)
)

// exampleContexts holds the contexts that are not the default, by pattern:
// the steps before the example, one a line, with their keywords.
var exampleContexts = map[string]string{
	// Editing and removing cards (Dana Lee holds 100:5001 and gets 100:5002).
	`^card ` + q + ` is removed from its card user under ticket ` + q + `$`: lines(withUser,
		`And the card user of card "100:5001" is edited under ticket "T-101":`,
		`  | add card | 100:5002 |`),
	`^the card user of card ` + q + ` holds the cards ` + q + `$`: lines(withUser,
		`And the card user of card "100:5001" is edited under ticket "T-101":`,
		`  | add card | 100:5002 |`,
		`And card "100:5001" is removed from its card user under ticket "T-102"`),
	// Operator rights: a clerk without CardRight.
	`^adding card user ` + q + ` under ticket ` + q + ` is refused for want of the right ` + q + `:$`:                                                        withClerk,
	`^editing the card user of card ` + q + ` under ticket ` + q + ` is refused for want of the right ` + q + `:$`:                                           withClerk,
	`^(disabling|deleting|removing the access levels of) the card user of card ` + q + ` under ticket ` + q + ` is refused for want of the right ` + q + `$`: withClerk,
	// Site and driver.
	`^the driver is connected$`: site,
	`^the driver is connected with a request timeout of ` + num + ` milliseconds$`: site,
	`^the driver is configured with username ` + q + ` and password ` + q + `$`:    site,
	`^the driver is configured with ` + q + ` set to ` + q + `$`:                   site,
	`^the configuration is refused naming the field ` + q + `$`:                    lines(site, `When the driver is configured with "Port" set to "70000"`),
	`^the configuration is refused with ` + q + `$`:                                lines(site, `When the driver is configured with "Port" set to "70000"`),
	`^the configuration is accepted$`:                                              lines(site, `When the driver is configured with "Host" set to "127.0.0.1"`),
	`^the driver is started again$`:                                                lines(siteAndDriver, `When the driver is stopped`),
	`^the last poll failed with an error containing ` + q + `$`:                    lines(`Given the default site with EntraPass version "7.40.0.100"`, `When the driver is configured with username "pacsim" and password "pacsim"`),
	`^` + num + ` of the last ` + num + ` polls failed$`:                           lines(siteAndDriver, `When the fault "entrapass:status=503,first=1,path=/SmartService/ComponentsStatesByStatusId*" is injected`, `And the driver polls 3 times`),
	`^the driver log has a line containing ` + q + `$`:                             lines(siteAndDriver, `When the server goes down`),
	`^the server received an? ` + q + ` request$`:                                  lines(siteAndDriver, `When the driver is stopped`),
	`^GET ` + q + ` on the dataserver shows ` + q + `$`:                            lines(siteAndDriver, `When the dataserver is served on another port`),
	`^the Debug Tools client reads a line containing ` + q + `$`:                   lines(siteAndDriver, `And a Debug Tools client reads the log stream`, `When the server goes down`),

	// Hardware.
	`^reader ` + q + ` grants access$`:                       lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^reader ` + q + ` denies access with reason ` + q + `$`: lines(siteAndDriver, `When card "100:9999" is presented at reader "Front Door entry"`),
	`^the reader grants access$`:                             lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^the reader denies access with reason ` + q + `$`:       lines(siteAndDriver, `When the site clock reaches "18:30"`, `And card "100:1002" is presented at reader "Front Door entry"`),
	`^the reader reads nothing$`:                             lines(siteAndDriver, `When reader "Front Door entry" reports a fault`, `And card "100:1001" is presented at reader "Front Door entry"`),
	`^door ` + q + ` is closed$`:                             lines(siteAndDriver, `When door "Front Door" is opened`),
	`^input ` + q + ` returns to rest$`:                      lines(siteAndDriver, `When input "Office Motion" goes into alarm`),
	`^the tamper of input ` + q + ` is restored$`:            lines(siteAndDriver, `When input "Office Window" is tampered with`),
	`^controller ` + q + ` is restored$`:                     lines(siteAndDriver, `When controller "Office Controller" is cut off`),
	`^gateway ` + q + ` is connected$`:                       lines(siteAndDriver, `When gateway "Main Gateway" is disconnected`),
	`^the simulated reader ` + q + ` is (enabled|disabled)$`: lines(siteAndDriver, `When the operator sends "Disable Reader" to reader "Front Door entry"`),
	`^the simulated output ` + q + ` is (active|inactive)$`:  lines(siteAndDriver, `When the operator sends "Activate Output" to output "Office Siren"`),

	// Asset status: shows is the highest status held, also holds any of them.
	`^` + typ + ` ` + q + ` shows ` + q + `$`:         lines(siteAndDriver, `When the operator sends "Unlock" to door "Front Door"`),
	`^` + typ + ` ` + q + ` also holds ` + q + `$`:    lines(siteAndDriver, `When door "Front Door" is opened`, `Then door "Front Door" shows "Forced Open"`),
	`^` + typ + ` ` + q + ` does not hold ` + q + `$`: lines(siteAndDriver, `When the operator sends "Disable Reader" to reader "Front Door entry"`),
	`^every asset shows ` + q + `$`:                   lines(siteAndDriver, `When the server goes down`),

	// Commands.
	`^the command is refused with ` + q + `$`:         lines(siteAndDriver, `When the operator tries to send "Pass" with 256 seconds to door "Front Door"`),
	`^no command reached the server$`:                 lines(siteAndDriver, `When the operator tries to send "Pass" with 256 seconds to door "Front Door"`),
	`^the server received the command ` + q + `$`:     lines(siteAndDriver, `When the operator sends "Pass" with 5 seconds to door "Front Door"`),
	`^the selection holds ` + num + ` assets?$`:       lines(siteAndDriver, `When the operator selects door "Front Door"`, `And the operator selects door "Back Door"`),
	`^the operator sends ` + q + ` to the selection$`: lines(siteAndDriver, `When the operator selects door "Front Door"`),

	// Workflow events.
	`^the last access event of (door|reader) ` + q + ` has ` + q + ` = ` + q + `$`:          lines(siteAndDriver, `When card "100:9999" is presented at reader "Front Door entry"`),
	`^the last access event of (door|reader) ` + q + ` has:$`:                               lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^the last access event of (door|reader) ` + q + ` has ` + q + ` containing ` + q + `$`: lines(siteAndDriver, `When card "100:9999" is presented at reader "Front Door entry"`),
	`^the last access event of (door|reader) ` + q + ` has a non-empty ` + q + `$`:          lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^` + num + ` Last Access Events? (?:was|were) published for (door|reader) ` + q + `$`:  lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^a Gateway Connection Changed event says gateway ` + q + ` is (online|offline)$`:       lines(siteAndDriver, `When gateway "Main Gateway" is disconnected`),
	`^` + num + ` Gateway Connection Changed events? (?:was|were) published$`:               lines(siteAndDriver, `When gateway "Main Gateway" is disconnected`, `And gateway "Main Gateway" is connected`),
	`^the events so far are forgotten$`:                                                     lines(siteAndDriver, `When card "100:1001" is presented at reader "Front Door entry"`),

	// Card users.
	`^the card user of card ` + q + ` is disabled under ticket ` + q + `$`:                                               withUser,
	`^the access levels of the card user of card ` + q + ` are removed under ticket ` + q + `$`:                          withUser,
	`^the card user of card ` + q + ` is deleted under ticket ` + q + `$`:                                                withUser,
	`^a photo is stored for the card user of card ` + q + ` under ticket ` + q + `$`:                                     withUser,
	`^the card user of card ` + q + ` is ` + q + `$`:                                                                     lines(withUser, `When the card user of card "100:5001" is disabled under ticket "T-103"`),
	`^the card user of card ` + q + ` holds no access level$`:                                                            lines(withUser, `When the access levels of the card user of card "100:5001" are removed under ticket "T-104"`),
	`^no card user holds card ` + q + `$`:                                                                                lines(withUser, `When the card user of card "100:5001" is deleted under ticket "T-105"`),
	`^the batch load is saved with card type ` + q + ` under ticket ` + q + `$`:                                          withBatch,
	`^the batch load captured the cards ` + q + `$`:                                                                      lines(withBatch, `And the batch load is saved with card type "Employee" under ticket "T-107"`),
	`^the batch card ` + q + ` is named ` + q + ` with access level ` + q + ` of site ` + q + ` under ticket ` + q + `$`: lines(withBatch, `And the batch load is saved with card type "Employee" under ticket "T-107"`),
	`^the audit trail has an? ` + q + ` record of card ` + q + ` by ` + q + ` under ticket ` + q + `$`:                   withUser,
	`^the audit trail has ` + num + ` records?$`:                                                                         lines(withUser, `And the card user of card "100:5001" is disabled under ticket "T-103"`, `And the card user of card "100:5001" is deleted under ticket "T-105"`),

	// Genetec visitor badges.
	`^the visitor connector is running$`:                                                                     site,
	`^the visitor connector with a provider for location ` + q + `$`:                                         site,
	`^the visitor connector with a refreshed provider for location ` + q + `$`:                               site,
	`^a provider for location ` + q + ` is added$`:                                                           withConnector,
	`^a provider for location ` + q + ` is added without a URL$`:                                             withConnector,
	`^a provider for location ` + q + ` is added with URL ` + q + `$`:                                        withConnector,
	`^the provider is refused with ` + q + `$`:                                                               lines(withConnector, `When a provider for location "HQ" is added with URL "ftp://localhost:4590/WebSdk/"`),
	`^the provider's (name|URL|username|application ID) is ` + q + `$`:                                       lines(withConnector, `When a provider for location "HQ" is added without a URL`),
	`^the provider's password is not shown$`:                                                                 withProvider,
	`^the provider's connection is tested$`:                                                                  withProvider,
	`^the provider's connection is tested with password ` + q + `$`:                                          withProvider,
	`^the connection test succeeds$`:                                                                         lines(withProvider, `When the provider's connection is tested`),
	`^the connection test fails with ` + q + `$`:                                                             lines(withProvider, `When the provider's connection is tested with password "wrong"`),
	`^the provider is edited with (name|URL|username|password) ` + q + `$`:                                   withProvider,
	`^the provider is deleted$`:                                                                              withProvider,
	`^the provider is gone$`:                                                                                 lines(withProvider, `When the provider is deleted`),
	`^the provider is refreshed$`:                                                                            withProvider,
	`^the refresh fails with ` + q + `$`:                                                                     lines(withProvider, `When the fault "genetec:status=503" is injected`, `And the provider is refreshed`),
	`^the synced (cardholder groups|access rules|badge types) include ` + q + `$`:                            withRefreshed,
	`^the synced (cardholder groups|access rules|badge types) do not include ` + q + `$`:                     withRefreshed,
	`^badge ` + q + ` with unique ID ` + q + ` of type ` + q + ` is created$`:                                withRefreshed,
	`^creating badge ` + q + ` with unique ID ` + q + ` of type ` + q + ` is refused with ` + q + `$`:        withRefreshed,
	`^the provider has badge ` + q + ` with unique ID ` + q + ` of type ` + q + `$`:                          withBadge,
	`^user ` + q + ` may assign cardholder group ` + q + `$`:                                                 withRefreshed,
	`^visitor ` + q + ` signs in with badge ` + q + ` and cardholder group ` + q + ` by ` + q + `$`:          withAssigner,
	`^the sign-in is refused with status ` + num + ` and ` + q + `$`:                                         lines(withAssigner, `When visitor "Alan Turing" signs in with badge "Badge 1" and cardholder group "Visitors - Shop" by "rita@example.com"`),
	`^the visit of ` + q + ` is ` + q + `$`:                                                                  withVisitor,
	`^the visit of ` + q + ` ended with reason ` + q + `$`:                                                   lines(withVisitor, `When "rita@example.com" deactivates the badge of "Grace Hopper"`),
	`^the active visits are ` + q + `$`:                                                                      withVisitor,
	`^visitor ` + q + ` signs out$`:                                                                          withVisitor,
	`^` + q + ` deactivates the badge of ` + q + `$`:                                                         withVisitor,
	`^the end of the day is run for location ` + q + `$`:                                                     withVisitor,
	`^the visit of ` + q + ` has an access at door ` + q + ` granted$`:                                       lines(withVisitor, `When card "200:5001" is presented at reader "Front Door entry"`),
	`^the visit of ` + q + ` has an access at door ` + q + ` refused with reason ` + q + `$`:                 lines(withVisitor, `When card "200:5001" is presented at reader "Shop Front entry"`),
	`^the accesses of the visit of ` + q + ` are ` + q + `$`:                                                 lines(withVisitor, `When card "200:5001" is presented at reader "Front Door entry"`, `And 1 second passes`, `And card "200:5001" is presented at reader "Shop Front entry"`),
	`^Security Center shows visitor ` + q + ` active in cardholder group ` + q + ` holding badge ` + q + `$`: withVisitor,
	`^Security Center shows badge ` + q + ` inactive and assigned to nobody$`:                                lines(withVisitor, `When visitor "Grace Hopper" signs out`),
	`^the connection to the Web SDK over (http|https) on a port other than 4590 is tested$`:                  withConnector,
	`^Security Center gets a new cardholder group ` + q + `$`:                                                withRefreshed,
	`^the connector's clock reaches ` + q + `$`:                                                              withVisitor,

	// Faults.
	`^the fault is removed$`:                                                                  lines(siteAndDriver, `When the fault "entrapass:reset" is injected`),
	`^the server comes back$`:                                                                 lines(siteAndDriver, `When the server goes down`),
	`^` + num + ` requests are sent to the server$`:                                           lines(siteAndDriver, `When the fault "entrapass:status=503,every=3" is injected`),
	`^` + num + ` of them were answered with HTTP ` + num + `$`:                               lines(siteAndDriver, `When the fault "entrapass:status=503,every=3" is injected`, `And 30 requests are sent to the server`),
	`^between ` + num + ` and ` + num + ` of them were answered with HTTP ` + num + `$`:       lines(siteAndDriver, `When the fault "entrapass:status=503,probability=0.25,seed=7" is injected`, `And 100 requests are sent to the server`),
	`^a fresh site with the same faults answers the same requests the same way$`:              lines(siteAndDriver, `When the fault "entrapass:status=503,every=3" is injected`, `And 30 requests are sent to the server`),
	`^the Genetec event stream is cut$`:                                                       withVisitor,
	`^the Genetec event stream is cut while card ` + q + ` is presented at reader ` + q + `$`: withVisitor,
	`^the connector opens the Genetec event stream again and subscribes$`: lines(site,
		`And the fault "genetec:stream-cut,events=2,path=/WebSdk/events,first=1" is injected`,
		strings.TrimPrefix(withVisitor, site+"\n"),
		`When card "200:5001" is presented at reader "Front Door entry"`),

	// Record and replay.
	`^pacsim record is between the driver and the server$`:                          site,
	`^the recording holds every exchange the server answered, in order$`:            lines(withRecorder, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^the recording (does not contain|contains) ` + q + `$`:                         lines(withRecorder, `When card "100:1001" is presented at reader "Front Door entry"`),
	`^the recording's session keys are pseudonyms that still match one another$`:    withRecorder,
	`^the recording is served by pacsim replay$`:                                    withRecorder,
	`^a second driver runs against the replay$`:                                     lines(withRecorder, `When the recording is served by pacsim replay`),
	`^"(GET|PUT|POST|DELETE) ([^"]*)" is sent to the replay (\d+) times?$`:          lines(withRecorder, `When the recording is served by pacsim replay`),
	`^the replay answered them in recorded order, the last answer repeating$`:       lines(withRecorder, `When card "100:1001" is presented at reader "Front Door entry"`, `And the recording is served by pacsim replay`, `And "GET /SmartService/Events?sdKey=SDKEY" is sent to the replay 3 times`),
	`^the replay answered 404 naming the nearest exchange and the field ` + q + `$`: lines(withRecorder, `When the recording is served by pacsim replay`, `And "GET /SmartService/Doors/99?sdKey=SDKEY" is sent to the replay 1 time`),
	`^the recording is compared with the server$`:                                   withRecorder,
	`^the comparison reports no difference$`:                                        lines(withRecorder, `When the recording is compared with the server`),
	`^the comparison reports a difference for ` + q + `$`:                           lines(withRecorder, `When the fault "entrapass:app-fault,path=/SmartService/GatewaysSites" is injected`, `And the recording is compared with the server`),
	`^a recording whose header says version (\d+) is read$`:                         withRecorder,
	`^it is refused with ` + q + `$`:                                                lines(withRecorder, `When a recording whose header says version 2 is read`),
}

// Given returns the steps a scenario runs before the step's example, one
// per line with their keywords: none for a step that builds the site, the
// default site and a connected driver unless the step needs more.
func (d StepDoc) Given() string {
	if g, ok := exampleContexts[d.Pattern]; ok {
		return g
	}
	if strings.HasPrefix(d.Pattern, "^the default site") {
		return ""
	}
	return siteAndDriver
}

// StepMarker is the comment line that, in an example with a context,
// stands between the context and the step documented.
const StepMarker = "# the step:"

// Fragment returns the example as a scenario fragment that passes as it
// stands: Given's lines, StepMarker, then the example (only the example
// for a step that needs no context).
func (d StepDoc) Fragment() string {
	if g := d.Given(); g != "" {
		return g + "\n" + StepMarker + "\n" + d.Example
	}
	return d.Example
}
