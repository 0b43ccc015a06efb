package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
)

// StepDoc is one step of the vocabulary: its pattern, what it does, an
// example as a scenario writes it, and its group in the reference.
type StepDoc struct {
	Group   string
	Pattern string
	Doc     string
	Example string
	// bind returns the step function for one scenario's World.
	bind func(w *World) any
}

// Phrase renders the pattern for a reader: "…" for a quoted value, N for
// a number, alternatives as a|b, without the regexp anchors.
func (d StepDoc) Phrase() string {
	r := strings.NewReplacer(
		`"([^"]*)"`, `"…"`,
		`(-?\d+)`, "N",
		`(\d+)`, "N",
		`(?:es)?`, "[es]",
		`s?`, "[s]",
		`(?:was|were)`, "was|were",
		`an?`, "a[n]",
		`(`, "", `)`, "",
	)
	return r.Replace(strings.TrimSuffix(strings.TrimPrefix(d.Pattern, "^"), "$"))
}

// Named patterns, so that every step spells an asset or a card the same way.
const (
	q     = `"([^"]*)"`
	typ   = `(door|reader|output|input)`
	num   = `(\d+)`
	snum  = `(-?\d+)`
	onoff = `(reports|clears)`
)

// Steps returns the vocabulary, in the order of the reference.
func Steps() []StepDoc { return vocabulary }

var vocabulary = []StepDoc{
	// Site and driver.
	{"Site and driver", `^the default site$`,
		"Builds the embedded default site (sim/sites/default.yaml) on its own manual clock, starting Monday 2026-01-05 09:00:00 UTC, and serves its simulated EntraPass SmartService on 127.0.0.1:0 behind a fault plan.",
		`Given the default site`, func(w *World) any { return w.defaultSite }},
	{"Site and driver", `^the default site with EntraPass version ` + q + `$`,
		"The default site, its server reporting another ServerVersion.",
		`Given the default site with EntraPass version "7.40.0.100"`, func(w *World) any { return w.siteWithVersion }},
	{"Site and driver", `^the default site as an EntraPass ` + q + ` edition without a connect licence$`,
		"The default site of another edition (Global, Corporate, Special) holding neither E-GLOB-CONNECT nor E-COR-CONNECT.",
		`Given the default site as an EntraPass "Special" edition without a connect licence`, func(w *World) any { return w.siteWithEdition }},
	{"Site and driver", `^the default site as an EntraPass Corporate edition licensed E-COR-CONNECT for integration ` + num + `$`,
		"The default site of the Corporate edition whose only licence is E-COR-CONNECT for the given integration id.",
		`Given the default site as an EntraPass Corporate edition licensed E-COR-CONNECT for integration 77`, func(w *World) any { return w.siteWithCorporateLicence }},
	{"Site and driver", `^the default site where access level ` + q + ` of site ` + q + ` admits only card type ` + q + `$`,
		"The default site with one access level restricted to one card type (for wrong-card-type denials).",
		`Given the default site where access level "Full Access" of site "Office" admits only card type "Employee"`, func(w *World) any { return w.siteWithLevelCardType }},
	{"Site and driver", `^the driver is connected$`,
		"Configures the EntraPass driver for the site as operator pacsim/pacsim (poll interval 100 ms) and runs its first cycle, which must succeed: login, discovery, every state read.",
		`And the driver is connected`, func(w *World) any { return w.driverConnected }},
	{"Site and driver", `^the driver is connected with a request timeout of ` + num + ` milliseconds$`,
		"As \"the driver is connected\", with a shorter request timeout (for hangs).",
		`And the driver is connected with a request timeout of 300 milliseconds`, func(w *World) any { return w.driverConnectedWithTimeout }},
	{"Site and driver", `^the driver is configured with username ` + q + ` and password ` + q + `$`,
		"Configures the driver with another operator and polls once; the poll may fail (see \"the last poll failed with …\").",
		`When the driver is configured with username "pacsim" and password "wrong"`, func(w *World) any { return w.driverConfiguredAs }},
	{"Site and driver", `^the driver is configured with ` + q + ` set to ` + q + `$`,
		"Configures the driver for the site with one Communication Settings field changed (Host, Port, Username, Password, Poll, RequestTimeout, IntegrationID); a refused configuration is kept, an accepted one polls once.",
		`When the driver is configured with "Port" set to "70000"`, func(w *World) any { return w.driverConfiguredWith }},
	{"Site and driver", `^the configuration is refused naming the field ` + q + `$`,
		"The last configuration was refused with an error naming the field, and no request reached the server.",
		`Then the configuration is refused naming the field "Port"`, func(w *World) any { return w.configRefused }},
	{"Site and driver", `^the configuration is accepted$`,
		"The last configuration was accepted.",
		`Then the configuration is accepted`, func(w *World) any { return w.configAccepted }},
	{"Site and driver", `^a configuration without a port uses port ` + num + `$`,
		"A configuration that gives no port is valid and connects to that port.",
		`Then a configuration without a port uses port 8080`, func(w *World) any { return w.defaultPort }},
	{"Site and driver", `^the driver polls$`,
		"Runs one driver cycle (PollOnce); its error is kept.",
		`When the driver polls`, func(w *World) any { return w.driverPolls }},
	{"Site and driver", `^the driver polls ` + num + ` times$`,
		"Runs that many driver cycles, counting their failures afresh.",
		`When the driver polls 3 times`, func(w *World) any { return w.driverPollsN }},
	{"Site and driver", `^the last poll failed with an error containing ` + q + `$`,
		"The last driver cycle failed, its error containing the text (case-insensitive).",
		`Then the last poll failed with an error containing "version"`, func(w *World) any { return w.pollFailedWith }},
	{"Site and driver", `^the last poll succeeded$`,
		"The last driver cycle succeeded.",
		`Then the last poll succeeded`, func(w *World) any { return w.pollSucceeded }},
	{"Site and driver", `^` + num + ` of the last ` + num + ` polls failed$`,
		"Counts the failures among the cycles of \"the driver polls N times\".",
		`Then 2 of the last 3 polls failed`, func(w *World) any { return w.pollsFailed }},
	{"Site and driver", `^the driver log has a line containing ` + q + `$`,
		"The driver's log (every level) contains the text.",
		`Then the driver log has a line containing "communication lost"`, func(w *World) any { return w.logContains }},
	{"Site and driver", `^the driver log does not show ` + q + `$`,
		"The text (a password, say) appears nowhere in the driver's log.",
		`Then the driver log does not show "wrong-password"`, func(w *World) any { return w.logOmits }},
	{"Site and driver", `^the server received a ` + q + ` request$`,
		"The simulated SmartService received a request whose path ends with that segment.",
		`Then the server received a "Logout" request`, func(w *World) any { return w.requestSent }},
	{"Site and driver", `^the dataserver port defaults to ` + num + `$`,
		"The driver's northbound API (dataserver) listens on that port by default.",
		`Then the dataserver port defaults to 9628`, func(w *World) any { return w.dataserverDefault }},
	{"Site and driver", `^the Debug Tools port is ` + num + `$`,
		"The driver's debug log stream (Debug Tools) listens on that port.",
		`Then the Debug Tools port is 9629`, func(w *World) any { return w.debugDefault }},
	{"Site and driver", `^the dataserver is served on another port$`,
		"Serves the driver's northbound API on an ephemeral 127.0.0.1 port (not 9628).",
		`When the dataserver is served on another port`, func(w *World) any { return w.dataserverServed }},
	{"Site and driver", `^GET ` + q + ` on the dataserver shows ` + q + `$`,
		"The northbound GET of an asset answers that status.",
		`Then GET "/assets/door/20" on the dataserver shows "Secure"`, func(w *World) any { return w.dataserverShows }},
	{"Site and driver", `^a Debug Tools client reads the log stream$`,
		"Connects a client to the driver's GET /logs stream (text).",
		`Given a Debug Tools client reads the log stream`, func(w *World) any { return w.debugClientReading }},
	{"Site and driver", `^the Debug Tools client reads a line containing ` + q + `$`,
		"A line containing the text comes on the log stream (within 10 s of wall clock).",
		`Then the Debug Tools client reads a line containing "communication lost"`, func(w *World) any { return w.debugClientReads }},
	{"Site and driver", `^every door, reader, input and output of the site is an asset with its ID$`,
		"Discovery made one asset per door, per door's reader (reader/<door id>), per input and per output, each with its required property (Door ID, Input ID, Output ID).",
		`Then every door, reader, input and output of the site is an asset with its ID`, func(w *World) any { return w.everyDiscovered }},
	{"Site and driver", `^a ` + typ + ` asset ` + q + ` with ` + q + ` = ` + q + ` is added$`,
		"Adds an asset by hand, as a PSIM's property grid does, under a name later steps use.",
		`When a door asset "Ghost Door" with "Door ID" = "999" is added`, func(w *World) any { return w.assetAdded }},
	{"Site and driver", `^adding a ` + typ + ` asset with ` + q + ` = ` + q + ` is refused with ` + q + `$`,
		"Adding an asset by hand with that property (an empty value: without it) is refused, the error containing the text.",
		`Then adding a door asset with "Door ID" = "" is refused with "Door ID"`, func(w *World) any { return w.assetRefused }},
	{"Site and driver", `^` + typ + ` ` + q + ` has the property ` + q + ` = ` + q + `$`,
		"An asset's property as the driver shows it.",
		`Then reader "Front Door entry" has the property "Door ID" = "20"`, func(w *World) any { return w.assetProperty }},

	// Hardware stimuli (@sim-only).
	{"Hardware (@sim-only)", `^card ` + q + ` is presented at reader ` + q + `$`,
		"A card is presented at a reader of the simulated site; the head-end decides; the driver polls.",
		`When card "100:1001" is presented at reader "Front Door entry"`, func(w *World) any { return w.presentCard }},
	{"Hardware (@sim-only)", `^card ` + q + ` is presented at reader ` + q + ` with PIN ` + q + `$`,
		"A card and the PIN typed on the reader's keypad.",
		`When card "100:1002" is presented at reader "Office Door entry" with PIN "12345"`, func(w *World) any { return w.presentCardPIN }},
	{"Hardware (@sim-only)", `^card ` + q + ` is presented at reader ` + q + ` before the driver polls again$`,
		"A card is presented, and the driver does not poll after it (the event waits in the server's queue).",
		`When card "100:1001" is presented at reader "Shop Front entry" before the driver polls again`, func(w *World) any { return w.presentCardNoPoll }},
	{"Hardware (@sim-only)", `^the reader grants access$`,
		"The last card presented was granted by the simulated site.",
		`Then the reader grants access`, func(w *World) any { return w.simGranted }},
	{"Hardware (@sim-only)", `^the reader denies access with reason ` + q + `$`,
		"The last card presented was denied, for that reason (unknown-card, card-invalid, card-lost-stolen, card-expired, card-not-yet-valid, no-access-level, outside-schedule, reader-disabled, wrong-card-type, pin-required, pin-wrong, controller-offline).",
		`Then the reader denies access with reason "outside-schedule"`, func(w *World) any { return w.simDenied }},
	{"Hardware (@sim-only)", `^the reader reads nothing$`,
		"The last card presented was not read at all (a reader in fault).",
		`Then the reader reads nothing`, func(w *World) any { return w.simReadNothing }},
	{"Hardware (@sim-only)", `^door ` + q + ` is opened$`,
		"Someone opens the door (forced if it is locked and nothing granted).",
		`When door "Front Door" is opened`, func(w *World) any { return w.doorOpened }},
	{"Hardware (@sim-only)", `^door ` + q + ` is closed$`,
		"Someone closes the door.",
		`When door "Front Door" is closed`, func(w *World) any { return w.doorClosed }},
	{"Hardware (@sim-only)", `^the request-to-exit of door ` + q + ` is pressed$`,
		"Someone presses the door's request-to-exit.",
		`When the request-to-exit of door "Front Door" is pressed`, func(w *World) any { return w.rexPressed }},
	{"Hardware (@sim-only)", `^input ` + q + ` goes into alarm$`,
		"The input leaves its rest state.",
		`When input "Office Motion" goes into alarm`, func(w *World) any { return w.inputAlarm }},
	{"Hardware (@sim-only)", `^input ` + q + ` returns to rest$`,
		"The input returns to its rest state.",
		`When input "Office Motion" returns to rest`, func(w *World) any { return w.inputRest }},
	{"Hardware (@sim-only)", `^input ` + q + ` is tampered with$`,
		"Someone tampers with the input.",
		`When input "Office Window" is tampered with`, func(w *World) any { return w.inputTampered }},
	{"Hardware (@sim-only)", `^the tamper of input ` + q + ` is restored$`,
		"The input's tamper is restored.",
		`When the tamper of input "Office Window" is restored`, func(w *World) any { return w.inputTamperRestored }},
	{"Hardware (@sim-only)", `^input ` + q + ` ` + onoff + ` trouble$`,
		"The input's supervision reports, or clears, trouble.",
		`When input "Server Room Smoke" reports trouble`, func(w *World) any { return w.inputTrouble }},
	{"Hardware (@sim-only)", `^reader ` + q + ` ` + onoff + ` a fault$`,
		"The reader reports, or clears, a fault.",
		`When reader "Front Door entry" reports a fault`, func(w *World) any { return w.readerFault }},
	{"Hardware (@sim-only)", `^output ` + q + ` ` + onoff + ` a controller fault$`,
		"The output's controller reports, or clears, an output controller fault.",
		`When output "Office Siren" reports a controller fault`, func(w *World) any { return w.outputControllerFault }},
	{"Hardware (@sim-only)", `^output ` + q + ` ` + onoff + ` trouble$`,
		"The output itself (not its controller) reports, or clears, trouble.",
		`When output "Office Siren" reports trouble`, func(w *World) any { return w.outputTrouble }},
	{"Hardware (@sim-only)", `^controller ` + q + ` is cut off$`,
		"The controller's communication fails; it holds its events.",
		`When controller "Office Controller" is cut off`, func(w *World) any { return w.controllerCut }},
	{"Hardware (@sim-only)", `^controller ` + q + ` is restored$`,
		"The controller's communication is restored; its held events are delivered.",
		`When controller "Office Controller" is restored`, func(w *World) any { return w.controllerRestored }},
	{"Hardware (@sim-only)", `^controller ` + q + ` ` + onoff + ` a fault$`,
		"The controller reports, or clears, a hardware fault.",
		`When controller "Shop Controller" reports a fault`, func(w *World) any { return w.controllerFault }},
	{"Hardware (@sim-only)", `^gateway ` + q + ` is disconnected$`,
		"The gateway is cut off; the controllers behind it hold their events.",
		`When gateway "Main Gateway" is disconnected`, func(w *World) any { return w.gatewayDisconnected }},
	{"Hardware (@sim-only)", `^gateway ` + q + ` is connected$`,
		"The gateway is connected again.",
		`When gateway "Main Gateway" is connected`, func(w *World) any { return w.gatewayConnected }},
	{"Hardware (@sim-only)", `^` + num + ` seconds? pass(?:es)?$`,
		"Moves the site's manual clock (timers fire in order), then the driver polls.",
		`And 5 seconds pass`, func(w *World) any { return w.secondsPass }},
	{"Hardware (@sim-only)", `^` + num + ` minutes? pass(?:es)?$`,
		"Moves the site's manual clock by minutes, then the driver polls.",
		`And 31 minutes pass`, func(w *World) any { return w.minutesPass }},
	{"Hardware (@sim-only)", `^the site clock reaches ` + q + `$`,
		"Moves the site clock forward to that time of the day (HH:MM), then the driver polls.",
		`When the site clock reaches "18:30"`, func(w *World) any { return w.clockAt }},
	{"Hardware (@sim-only)", `^the simulated door ` + q + ` is ` + q + `$`,
		"The simulated door's lock (locked, unlocked-operator, unlocked-temporary, unlocked-access, …) or contact (closed, open, open-prealarm, open-too-long, forced) state.",
		`Then the simulated door "Front Door" is "locked"`, func(w *World) any { return w.simDoorIs }},
	{"Hardware (@sim-only)", `^the simulated reader ` + q + ` is (enabled|disabled)$`,
		"The simulated reader is enabled or disabled.",
		`Then the simulated reader "Front Door entry" is disabled`, func(w *World) any { return w.simReaderIs }},
	{"Hardware (@sim-only)", `^the simulated output ` + q + ` is (active|inactive)$`,
		"The simulated output (relay) is active or inactive.",
		`Then the simulated output "Office Siren" is active`, func(w *World) any { return w.simOutputIs }},

	// What the driver shows.
	{"Asset status", `^` + typ + ` ` + q + ` shows ` + q + `$`,
		"The status the driver's asset shows (the highest of its statuses in its status table). A reader is named by its reader: the driver's Reader asset is the first reader of its door.",
		`Then door "Front Door" shows "Unsecure"`, func(w *World) any { return w.shows }},
	{"Asset status", `^the system shows ` + q + `$`,
		"The status the System asset (system/1) shows.",
		`Then the system shows "Normal"`, func(w *World) any { return w.systemShows }},
	{"Asset status", `^` + typ + ` ` + q + ` also holds ` + q + `$`,
		"The asset's visible statuses include that one.",
		`Then door "Front Door" also holds "Unsecure"`, func(w *World) any { return w.holds }},
	{"Asset status", `^` + typ + ` ` + q + ` does not hold ` + q + `$`,
		"The asset's visible statuses do not include that one.",
		`Then reader "Front Door entry" does not hold "Normal"`, func(w *World) any { return w.holdsNot }},
	{"Asset status", `^every asset shows ` + q + `$`,
		"Every asset of the driver, the System included, shows that status.",
		`Then every asset shows "No Communication"`, func(w *World) any { return w.everyAssetShows }},
	{"Asset status", `^every (door|reader|output|input) shows ` + q + `$`,
		"Every asset of one type shows that status.",
		`Then every door shows "Secure"`, func(w *World) any { return w.everyAssetOfShows }},

	// Operator commands.
	{"Commands", `^the operator sends ` + q + ` to ` + typ + ` ` + q + `$`,
		"Gives an asset a command as the northbound API does (Mask, Acknowledge, Reset, Cancel, Lock, Unlock, Disable Reader, Enable Reader, Activate Output, Deactivate Output); it must succeed. The driver polls after.",
		`When the operator sends "Lock" to door "Front Door"`, func(w *World) any { return w.sends }},
	{"Commands", `^the operator sends ` + q + ` with ` + num + ` seconds to ` + typ + ` ` + q + `$`,
		"A command with its seconds (Pass: Seconds Unlocked; Timed Activation: Seconds Active); it must succeed.",
		`When the operator sends "Pass" with 5 seconds to door "Front Door"`, func(w *World) any { return w.sendsSeconds }},
	{"Commands", `^the operator sends ` + q + ` to the system$`,
		"Gives the System asset a command; it must succeed.",
		`When the operator sends "Mask" to the system`, func(w *World) any { return w.sendsSystem }},
	{"Commands", `^the operator tries to send ` + q + ` to ` + typ + ` ` + q + `$`,
		"Gives an asset a command that may be refused; the outcome is kept for the next step.",
		`When the operator tries to send "Acknowledge" to door "Front Door"`, func(w *World) any { return w.tries }},
	{"Commands", `^the operator tries to send ` + q + ` with ` + snum + ` seconds to ` + typ + ` ` + q + `$`,
		"A command with seconds that may be refused.",
		`When the operator tries to send "Pass" with 256 seconds to door "Front Door"`, func(w *World) any { return w.triesSeconds }},
	{"Commands", `^the operator tries to send ` + q + ` to the system$`,
		"A command to the System asset that may be refused.",
		`When the operator tries to send "Acknowledge" to the system`, func(w *World) any { return w.triesSystem }},
	{"Commands", `^the command is refused with ` + q + `$`,
		"The last command tried was refused, the message containing the text (case-insensitive).",
		`Then the command is refused with "1–255"`, func(w *World) any { return w.refused }},
	{"Commands", `^no command reached the server$`,
		"No SmartService command (a PUT other than ComponentsStates) was sent since the last command tried.",
		`Then no command reached the server`, func(w *World) any { return w.nothingSent }},
	{"Commands", `^the server received the command ` + q + `$`,
		"The SmartService received PUT <command> since the last command was given.",
		`Then the server received the command "TemporarilyUnlockDoor"`, func(w *World) any { return w.serverReceived }},
	{"Commands", `^the operator selects ` + typ + ` ` + q + `$`,
		"Adds an asset to the selection.",
		`When the operator selects door "Front Door"`, func(w *World) any { return w.selects }},
	{"Commands", `^the selection holds ` + num + ` assets?$`,
		"The number of selected assets.",
		`Then the selection holds 2 assets`, func(w *World) any { return w.selectionHolds }},
	{"Commands", `^the operator sends ` + q + ` to the selection$`,
		"Gives every selected asset the command; each must succeed.",
		`When the operator sends "Lock" to the selection`, func(w *World) any { return w.sendsToSelection }},

	// Workflow events.
	{"Workflow events", `^the last access event of (door|reader) ` + q + ` has ` + q + ` = ` + q + `$`,
		"A property of the asset's Last Access Event, named as Tables 1 and 2 name them: Username, BadgeTemplateID, DateTime (yyyy-MM-dd HH:mm:ss UTC), CardId, Access Granted (True/False), Description, Card Status, Parent Id, Parent Type.",
		`Then the last access event of door "Front Door" has "Access Granted" = "False"`, func(w *World) any { return w.lastAccessHas }},
	{"Workflow events", `^the last access event of (door|reader) ` + q + ` has:$`,
		"Several properties of the Last Access Event at once, as a | property | value | table.",
		"Then the last access event of door \"Front Door\" has:\n  | Username | Alice Martin |\n  | CardId   | 100:1001     |", func(w *World) any {
			return func(typ, name string, t *godog.Table) error {
				rows, err := keyValues(t)
				if err != nil {
					return err
				}
				return w.lastAccessTable(typ, name, rows)
			}
		}},
	{"Workflow events", `^` + num + ` Last Access Events? (?:was|were) published for (door|reader) ` + q + `$`,
		"Counts the Last Access Events published on the driver's bus for the asset since the scenario began (or since the events were forgotten).",
		`Then 1 Last Access Event was published for door "Front Door"`, func(w *World) any { return w.accessPublished }},
	{"Workflow events", `^a Gateway Connection Changed event says gateway ` + q + ` is (online|offline)$`,
		"The last Gateway Connection Changed event, on the System asset, carries the gateway's Gateway ID, Gateway Name and Gateway Connected State.",
		`Then a Gateway Connection Changed event says gateway "Main Gateway" is offline`, func(w *World) any { return w.gatewayEvent }},
	{"Workflow events", `^` + num + ` Gateway Connection Changed events? (?:was|were) published$`,
		"Counts the Gateway Connection Changed events published.",
		`Then 2 Gateway Connection Changed events were published`, func(w *World) any { return w.gatewayEventCount }},
	{"Workflow events", `^the events so far are forgotten$`,
		"Forgets the workflow events collected so far, so that later counts start at zero.",
		`And the events so far are forgotten`, func(w *World) any { return w.eventsForgotten }},

	// Card users.
	{"Card users", `^card user ` + q + ` is added under ticket ` + q + `:$`,
		"Adds a card user through the driver's card-user administration, from a | field | value | table: card, card type, access level and site (one pair per site, repeatable), PIN (optional), email (optional). It must succeed.",
		"When card user \"Dana Lee\" is added under ticket \"T-100\":\n  | card         | 100:5001    |\n  | card type    | Employee    |\n  | access level | Office only |\n  | site         | Office      |", func(w *World) any { return w.userAdded }},
	{"Card users", `^temporary card user ` + q + ` ending in ` + num + ` days? is added under ticket ` + q + `:$`,
		"Adds a card user with an end date that many days ahead on the site clock.",
		"When temporary card user \"Tom Temp\" ending in 1 day is added under ticket \"T-101\":\n  | card         | 100:5002    |\n  | card type    | Contractor  |\n  | access level | Full Access |\n  | site         | Office      |", func(w *World) any { return w.tempUserAdded }},
	{"Card users", `^adding card user ` + q + ` under ticket ` + q + ` is refused naming the field ` + q + `:$`,
		"Adding the card user is refused before anything is sent, the error naming the field.",
		"Then adding card user \"Bad Pin\" under ticket \"T-102\" is refused naming the field \"PIN\":\n  | card | 100:5003 |\n  | PIN  | 1234     |", func(w *World) any { return w.userRefused }},
	{"Card users", `^the card user of card ` + q + ` is disabled under ticket ` + q + `$`,
		"Disables the card user holding the card.",
		`When the card user of card "100:5001" is disabled under ticket "T-103"`, func(w *World) any { return w.userDisabled }},
	{"Card users", `^the access levels of the card user of card ` + q + ` are removed under ticket ` + q + `$`,
		"Clears every access level of the card user holding the card.",
		`When the access levels of the card user of card "100:5001" are removed under ticket "T-104"`, func(w *World) any { return w.userLevelsRemoved }},
	{"Card users", `^the card user of card ` + q + ` is deleted under ticket ` + q + `$`,
		"Deletes the card user holding the card.",
		`When the card user of card "100:5001" is deleted under ticket "T-105"`, func(w *World) any { return w.userDeleted }},
	{"Card users", `^a photo is stored for the card user of card ` + q + ` under ticket ` + q + `$`,
		"Stores a photo (a small JPEG) with the card user holding the card, then reads it back: it must be the same. Audited as \"photo\" (size and SHA-256, not the picture).",
		`When a photo is stored for the card user of card "100:5001" under ticket "T-106"`, func(w *World) any { return w.photoStored }},
	{"Card users", `^the card user of card ` + q + ` is ` + q + `$`,
		"The card user's state as the server shows it (Valid, Invalid, StolenLost, Expired, …).",
		`Then the card user of card "100:5001" is "Invalid"`, func(w *World) any { return w.userState }},
	{"Card users", `^the card user of card ` + q + ` holds no access level$`,
		"The card user has no access level left on any site.",
		`Then the card user of card "100:5001" holds no access level`, func(w *World) any { return w.userNoLevel }},
	{"Card users", `^no card user holds card ` + q + `$`,
		"No card user on the server holds the card.",
		`Then no card user holds card "100:5001"`, func(w *World) any { return w.noUserHolds }},
	{"Card users", `^the doors of the card user of card ` + q + ` are ` + q + `$`,
		"The doors the card user's access levels open, by name, comma-separated, in door id order.",
		`Then the doors of the card user of card "100:1002" are "Front Door, Office Door, Back Door"`, func(w *World) any { return w.userDoors }},
	{"Card users", `^a batch load is started at door ` + q + `$`,
		"Starts a batch load at the door: the cards presented from now on are captured.",
		`When a batch load is started at door "Back Door"`, func(w *World) any { return w.batchStarted }},
	{"Card users", `^the batch load is saved with card type ` + q + ` under ticket ` + q + `$`,
		"Saves the cards presented at the door since the batch load started as new card users of that type.",
		`When the batch load is saved with card type "Employee" under ticket "T-107"`, func(w *World) any { return w.batchSaved }},
	{"Card users", `^the batch load captured the cards ` + q + `$`,
		"The cards the batch load created, in the order first presented, comma-separated.",
		`Then the batch load captured the cards "100:7001, 100:7002"`, func(w *World) any { return w.batchCaptured }},
	{"Card users", `^the batch card ` + q + ` is named ` + q + ` with access level ` + q + ` of site ` + q + ` under ticket ` + q + `$`,
		"Completes a card captured by a batch load: its name and access level.",
		`When the batch card "100:7001" is named "Eve Batch" with access level "Office only" of site "Office" under ticket "T-108"`, func(w *World) any { return w.batchCompleted }},
	{"Card users", `^the audit trail has an? ` + q + ` record of card ` + q + ` by ` + q + ` under ticket ` + q + `$`,
		"The audit trail (append-only JSON Lines) holds a successful record of that action (add, add-temporary, batch-capture, batch-complete, disable, remove-access-levels, delete) with its time, who and the ticket.",
		`Then the audit trail has an "add" record of card "100:5001" by "jane.admin" under ticket "T-100"`, func(w *World) any { return w.auditHas }},
	{"Card users", `^the audit trail has ` + num + ` records?$`,
		"The number of lines of the audit trail.",
		`Then the audit trail has 3 records`, func(w *World) any { return w.auditCount }},

	// Faults.
	{"Faults (@fault)", `^the fault ` + q + ` is injected$`,
		"Adds a fault to the site's plan in the flag form of `pacsim serve --fault` (TARGET:KIND[=VALUE][,KEY=VALUE]…): transport faults on the SmartService traffic, hardware faults on the site.",
		`When the fault "entrapass:status=503,first=2" is injected`, func(w *World) any { return w.faultInjected }},
	{"Faults (@fault)", `^the fault is removed$`,
		"Removes the fault injected last, then the driver polls.",
		`When the fault is removed`, func(w *World) any { return w.faultRemoved }},
	{"Faults (@fault)", `^the server goes down$`,
		"The SmartService stops listening (connections refused); the driver polls.",
		`When the server goes down`, func(w *World) any { return w.serverDown }},
	{"Faults (@fault)", `^the server comes back$`,
		"The SmartService listens again on the same address; the driver polls.",
		`When the server comes back`, func(w *World) any { return w.serverBack }},
	{"Faults (@fault)", `^` + num + ` requests are sent to the server$`,
		"Sends that many plain requests (GET CardTypes) and keeps their HTTP statuses.",
		`When 30 requests are sent to the server`, func(w *World) any { return w.requestsSent }},
	{"Faults (@fault)", `^` + num + ` of them were answered with HTTP ` + num + `$`,
		"Counts the requests answered with that HTTP status.",
		`Then 10 of them were answered with HTTP 503`, func(w *World) any { return w.requestsAnswered }},
	{"Faults (@fault)", `^between ` + num + ` and ` + num + ` of them were answered with HTTP ` + num + `$`,
		"Bounds the number of requests answered with that HTTP status.",
		`Then between 10 and 40 of them were answered with HTTP 503`, func(w *World) any { return w.requestsAnsweredBetween }},
	{"Faults (@fault)", `^a fresh site with the same faults answers the same requests the same way$`,
		"Builds a second site with the same faults (same seeds) and sends it the same requests: the answers must be the same, in order.",
		`Then a fresh site with the same faults answers the same requests the same way`, func(w *World) any { return w.sameOnFreshSite }},
	{"Faults (@fault)", `^the Genetec event stream is cut$`,
		"Cuts the Genetec Web SDK event stream. There is no Genetec connector yet: the step fails.",
		`When the Genetec event stream is cut`, func(w *World) any { return w.genetecStreamCut }},
}

type scenarioKey struct{}

// Register binds the vocabulary to a scenario: a fresh World per scenario,
// closed after it, and every step error prefixed with the scenario and the
// step, so a failure says where it happened.
func Register(sc *godog.ScenarioContext) {
	w := newWorld()
	for _, d := range vocabulary {
		sc.Step(d.Pattern, d.bind(w))
	}
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		return context.WithValue(ctx, scenarioKey{}, s), nil
	})
	sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if err == nil || status != godog.StepFailed {
			return ctx, err
		}
		name, uri := "", ""
		if s, ok := ctx.Value(scenarioKey{}).(*godog.Scenario); ok {
			name, uri = s.Name, s.Uri
		}
		// godog joins this error with the step's: "<this>, <step error>".
		return ctx, fmt.Errorf("%s: scenario %q: step %q failed", uri, name, strings.TrimSpace(st.Text))
	})
	sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
		w.Close()
		return ctx, nil
	})
}
