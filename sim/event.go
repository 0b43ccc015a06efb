package sim

import (
	"fmt"
	"time"
)

// EventType is the numeric type of a journal event. The numbers follow the
// EntraPass database (FkObjectMessage) where the reference names them: 82
// door forced open, 84 door open too long, 202 access granted, 204–232 the
// access-denied family. The other numbers are our reading: the reference
// lists them without names, so they are chosen here and kept stable.
type EventType uint16

// Door events.
const (
	EventDoorForcedOpen     EventType = 82
	EventDoorOpened         EventType = 83
	EventDoorOpenTooLong    EventType = 84
	EventDoorOpenPrealarm   EventType = 85
	EventDoorClosed         EventType = 86
	EventDoorLocked         EventType = 96
	EventDoorUnlocked       EventType = 97  // by an operator, until told otherwise
	EventDoorUnlockedTempo  EventType = 101 // by an operator for Value seconds
	EventDoorUnlockSchedule EventType = 102 // by its unlock schedule
	EventDoorOneTimeAccess  EventType = 103
	EventRequestToExit      EventType = 115
)

// Access events.
const (
	EventAccessGranted EventType = 202
	// EventAccessDenied is the first of the denial family: the event of a
	// denial is EventAccessDenied + its Reason - 1 (204 unknown card … 215
	// controller offline).
	EventAccessDenied EventType = 204
)

// Reader, input, output, controller and gateway events.
const (
	EventReaderEnabled          EventType = 500
	EventReaderDisabled         EventType = 501
	EventReaderFault            EventType = 502
	EventReaderFaultRestore     EventType = 503
	EventInputAlarm             EventType = 510
	EventInputRestore           EventType = 511
	EventInputTamper            EventType = 512
	EventInputTamperRestore     EventType = 513
	EventInputTrouble           EventType = 514
	EventInputTroubleRestore    EventType = 515
	EventInputShunted           EventType = 516
	EventInputNormal            EventType = 517
	EventOutputActivated        EventType = 566
	EventOutputDeactivated      EventType = 567
	EventOutputFault            EventType = 568
	EventOutputFaultRestore     EventType = 569
	EventOutputTrouble          EventType = 570
	EventOutputTroubleRestore   EventType = 571
	EventControllerCommFailure  EventType = 909
	EventControllerCommRestored EventType = 910
	EventControllerFault        EventType = 911
	EventControllerFaultRestore EventType = 912
	EventGatewayDisconnected    EventType = 920
	EventGatewayConnected       EventType = 921
)

// Simulator events: what happened to the simulator, not in the site. No
// head-end shows them (EventType.OfSite is false); the control API does,
// so that every client sees the faults change. Detail holds the fault in
// its JSON form (with its id), Source the component a hardware fault acts
// on (0 for a transport fault).
const (
	EventFaultAdded   EventType = 990
	EventFaultRemoved EventType = 991
)

// DeniedEvent returns the event type of a denial for reason r.
func DeniedEvent(r Reason) EventType {
	if r == ReasonNone {
		return EventAccessGranted
	}
	return EventAccessDenied + EventType(r) - 1
}

// Denial reports whether t is in the access-denied family, and its reason.
func (t EventType) Denial() (Reason, bool) {
	if t >= EventAccessDenied && t < EventAccessDenied+EventType(reasonCount)-1 {
		return Reason(t-EventAccessDenied) + 1, true
	}
	return ReasonNone, false
}

// IsAccess reports whether t is an access granted or denied event.
func (t EventType) IsAccess() bool {
	_, denied := t.Denial()
	return denied || t == EventAccessGranted
}

// OfSite reports whether t is an event of the simulated site, which
// head-ends report, rather than of the simulator itself (a fault added or
// removed), which only the control API shows.
func (t EventType) OfSite() bool {
	return t != EventFaultAdded && t != EventFaultRemoved
}

var eventTexts = map[EventType]string{
	EventDoorForcedOpen:         "Door forced open",
	EventDoorOpened:             "Door opened",
	EventDoorOpenTooLong:        "Door open too long",
	EventDoorOpenPrealarm:       "Door open too long pre-alarm",
	EventDoorClosed:             "Door closed",
	EventDoorLocked:             "Door locked",
	EventDoorUnlocked:           "Door unlocked",
	EventDoorUnlockedTempo:      "Door temporarily unlocked",
	EventDoorUnlockSchedule:     "Door unlocked by schedule",
	EventDoorOneTimeAccess:      "One time access",
	EventRequestToExit:          "Request to exit",
	EventAccessGranted:          "Access granted",
	EventReaderEnabled:          "Reader enabled",
	EventReaderDisabled:         "Reader disabled",
	EventReaderFault:            "Reader fault",
	EventReaderFaultRestore:     "Reader fault restore",
	EventInputAlarm:             "Input in alarm",
	EventInputRestore:           "Input restore",
	EventInputTamper:            "Input tamper",
	EventInputTamperRestore:     "Input tamper restore",
	EventInputTrouble:           "Input trouble",
	EventInputTroubleRestore:    "Input trouble restore",
	EventInputShunted:           "Input not supervised",
	EventInputNormal:            "Input normal",
	EventOutputActivated:        "Relay activated",
	EventOutputDeactivated:      "Relay deactivated",
	EventOutputFault:            "Output controller fault",
	EventOutputFaultRestore:     "Output controller fault restore",
	EventOutputTrouble:          "Output trouble",
	EventOutputTroubleRestore:   "Output trouble restore",
	EventControllerCommFailure:  "Controller communication failure",
	EventControllerCommRestored: "Controller communication restored",
	EventControllerFault:        "Controller fault",
	EventControllerFaultRestore: "Controller fault restore",
	EventGatewayDisconnected:    "Gateway disconnected",
	EventGatewayConnected:       "Gateway connected",
	EventFaultAdded:             "Fault added",
	EventFaultRemoved:           "Fault removed",
}

var deniedTexts [reasonCount]string

func init() {
	for r := ReasonUnknownCard; r < reasonCount; r++ {
		deniedTexts[r] = "Access denied - " + r.Text()
	}
}

// String returns the event's text as EntraPass shows it in ETXT, e.g.
// "Access denied - outside schedule". It does not allocate.
func (t EventType) String() string {
	if r, ok := t.Denial(); ok {
		return deniedTexts[r]
	}
	if s, ok := eventTexts[t]; ok {
		return s
	}
	return fmt.Sprintf("Event %d", uint16(t))
}

// Event is one entry of the journal: something that happened in the world.
// It is a plain value (no pointers but strings already held elsewhere), so
// appending it to the journal does not allocate.
type Event struct {
	// Seq is the journal sequence number, assigned on delivery; 1 is first.
	Seq uint64 `json:"seq"`
	// Time is when it happened on the site clock. An event held while its
	// controller was cut off keeps the time it happened, not of delivery.
	Time time.Time `json:"time"`
	// Type is the numeric event type.
	Type EventType `json:"type"`
	// Source is the component the event is about: the door of a door event,
	// the reader of an access event, the input, output, controller or
	// gateway otherwise.
	Source ID   `json:"source"`
	Kind   Kind `json:"-"`
	// Door is the door of a door, reader or access event.
	Door ID `json:"door,omitempty"`
	// Controller is the controller the source hangs off (0 for a gateway).
	Controller ID `json:"controller,omitempty"`
	// Card is the card number as presented, normalised ("100:1001").
	Card string `json:"card,omitempty"`
	// User is the card user's name, when the card is known.
	User string `json:"user,omitempty"`
	// UserID is the card user's id, when the card is known.
	UserID int `json:"user_id,omitempty"`
	// Reason is why access was denied (access events only).
	Reason Reason `json:"reason,omitempty"`
	// Holder and Credential are the GUIDs of the Genetec cardholder and
	// credential of an access event Security Center decided; Detail is the
	// head-end's own reason for a denial, or the fault (JSON) of a fault
	// event.
	Holder     string `json:"holder,omitempty"`
	Credential string `json:"credential,omitempty"`
	Detail     string `json:"detail,omitempty"`
	// Value carries a number the event needs: the seconds of a temporary
	// unlock or activation.
	Value int `json:"value,omitempty"`
}

// Granted reports whether the event is an access granted event.
func (e *Event) Granted() bool { return e.Type == EventAccessGranted }

// Text is the event's type in words.
func (e *Event) Text() string { return e.Type.String() }
