package asset

import (
	"fmt"
	"strings"
)

// Status is one state an asset can be in, spelled exactly as the integration
// document's "Supported States" spell it.
type Status string

// The statuses of the document. Their declaration order is SPEC §6's default
// precedence, highest first (see DefaultTable).
const (
	// NoCommunication: communication has been lost with the driver or asset,
	// or the configuration is invalid. The document requires it in every
	// status table.
	NoCommunication Status = "No Communication"
	// Masked: the asset has been masked over its true state (Mask, until Reset).
	Masked Status = "Masked"
	// Acknowledged: an asset alarm has been acknowledged (until it clears or Reset).
	Acknowledged Status = "Acknowledged"
	// Fault: an issue has been detected in a connected asset.
	Fault Status = "Fault"
	// ForcedOpen: the door has been forcibly opened.
	ForcedOpen Status = "Forced Open"
	// HeldOpen: the door is unlocked and held open for an extended period.
	HeldOpen Status = "Held Open"
	// Tamper: the input has been tampered with.
	Tamper Status = "Tamper"
	// ControllerFault: the system has detected an issue with the output's controller.
	ControllerFault Status = "Controller Fault"
	// Disabled: the reader will not read cards and cannot be interacted with.
	Disabled Status = "Disabled"
	// Unsecure: the door is open or unlocked.
	Unsecure Status = "Unsecure"
	// Active: the input is online and can be interacted with (in alarm, on the wire).
	Active Status = "Active"
	// Enabled: the reader will read cards and can be interacted with.
	Enabled Status = "Enabled"
	// Secure: the door is closed and locked.
	Secure Status = "Secure"
	// Inactive: the input is online and cannot be interacted with (at rest, on the wire).
	Inactive Status = "Inactive"
	// Present: the system acknowledged the existence of this output.
	Present Status = "Present"
	// Normal: the asset is online and in its default state. Derived, never set:
	// it holds only while nothing but at-rest statuses holds.
	Normal Status = "Normal"
)

// allStatuses is every status in SPEC §6's default precedence, highest first.
// A status's position here is its bit in a statusSet.
var allStatuses = [...]Status{
	NoCommunication,
	Masked,
	Acknowledged,
	Fault, ForcedOpen, HeldOpen, Tamper, ControllerFault,
	Disabled, Unsecure, Active,
	Enabled, Secure, Inactive, Present,
	Normal,
}

// index returns a status's position in allStatuses, its bit in a
// statusSet. A switch rather than a map: the polling path looks statuses up
// by value on every read, and the compiler turns this into a few compares.
func index(s Status) (uint8, bool) {
	switch s {
	case NoCommunication:
		return 0, true
	case Masked:
		return 1, true
	case Acknowledged:
		return 2, true
	case Fault:
		return 3, true
	case ForcedOpen:
		return 4, true
	case HeldOpen:
		return 5, true
	case Tamper:
		return 6, true
	case ControllerFault:
		return 7, true
	case Disabled:
		return 8, true
	case Unsecure:
		return 9, true
	case Active:
		return 10, true
	case Enabled:
		return 11, true
	case Secure:
		return 12, true
	case Inactive:
		return 13, true
	case Present:
		return 14, true
	case Normal:
		return 15, true
	}
	return 0, false
}

// Statuses returns every status of the document in the default precedence,
// highest first.
func Statuses() []Status { return append([]Status(nil), allStatuses[:]...) }

// ParseStatus returns the status named s. The match ignores case so that
// configuration files and northbound clients need not reproduce the
// document's capitals; the result is always the document's spelling.
func ParseStatus(s string) (Status, error) {
	for _, st := range allStatuses {
		if strings.EqualFold(string(st), strings.TrimSpace(s)) {
			return st, nil
		}
	}
	return "", fmt.Errorf("%w %q (the statuses are %s)", ErrUnknownStatus, s, joinStatuses(allStatuses[:]))
}

// UnmarshalText accepts a status by name (see ParseStatus), so that JSON
// configuration and events refuse unknown statuses while decoding.
func (s *Status) UnmarshalText(b []byte) error {
	st, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = st
	return nil
}

// Valid reports whether s is one of the document's statuses.
func (s Status) Valid() bool { _, ok := index(s); return ok }

// IsAlarm reports whether s is an alarm: the statuses Acknowledge applies
// to (Fault, Forced Open, Held Open, Tamper, Controller Fault).
func (s Status) IsAlarm() bool { return alarmSet.has(s) }

// statusSet is a set of statuses as a bit mask (bit i = allStatuses[i]): the
// asset's status arithmetic is then a few machine instructions and never
// allocates, which keeps the event path cheap.
type statusSet uint32

// setOf returns the set of the given (valid) statuses.
func setOf(ss ...Status) statusSet {
	var s statusSet
	for _, st := range ss {
		s |= bit(st)
	}
	return s
}

// bit returns the set holding only s (empty for an unknown status).
func bit(s Status) statusSet {
	i, ok := index(s)
	if !ok {
		return 0
	}
	return 1 << i
}

func (s statusSet) has(st Status) bool { return s&bit(st) != 0 }

// list returns the set's statuses in the default precedence.
func (s statusSet) list() []Status {
	var out []Status
	for i, st := range allStatuses {
		if s&(1<<i) != 0 {
			out = append(out, st)
		}
	}
	return out
}

// The classes of statuses the rules of §6 speak of.
var (
	// alarmSet: what Acknowledge applies to.
	alarmSet = setOf(Fault, ForcedOpen, HeldOpen, Tamper, ControllerFault)
	// overlaySet: laid over the true state by the operator, never read from
	// the wire.
	overlaySet = setOf(Masked, Acknowledged)
	// atRestSet: the statuses Normal may hold beside ("Enabled … and Normal
	// while online", "Present, Normal"); anything else (No Communication, an
	// alarm, Disabled, Unsecure, Active) means the asset is not in its default
	// state, so Normal does not hold — which is why a disabled reader never
	// shows Normal, whatever the table's order.
	atRestSet = setOf(Enabled, Secure, Inactive, Present)
)

// oppositePairs pairs statuses that cannot hold together because they are
// two values of one thing: a door is secure or not, a reader enabled or not,
// an input active or not. Setting one clears the other.
var oppositePairs = [...][2]statusSet{
	{bit(Secure), bit(Unsecure)},
	{bit(Enabled), bit(Disabled)},
	{bit(Active), bit(Inactive)},
}

// oppositeOf returns the opposites of the statuses of s, as a set.
func oppositeOf(s statusSet) statusSet {
	var o statusSet
	for _, p := range oppositePairs {
		if s&p[0] != 0 {
			o |= p[1]
		}
		if s&p[1] != 0 {
			o |= p[0]
		}
	}
	return o
}

// joinStatuses renders statuses for messages: "Normal, Masked, Fault".
func joinStatuses(ss []Status) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}
