package asset

import (
	"fmt"
	"strings"
)

// Type is the type of an asset, in the words of the northbound paths
// (/assets/door/12).
type Type string

// The asset types of the document, in its order.
const (
	// System represents the connection state of the system; there is one, system/1.
	System Type = "system"
	// Door represents the state of a door; its required property is "Door ID".
	Door Type = "door"
	// Reader represents a keypad or card reader; its required property is the
	// "Door ID" of its door.
	Reader Type = "reader"
	// Output represents an output device (LED, buzzer); required "Output ID".
	Output Type = "output"
	// Input represents an input device (a button); required "Input ID".
	Input Type = "input"
)

// The required property grid fields of the document.
const (
	// PropDoorID is the Door and Reader assets' required property.
	PropDoorID = "Door ID"
	// PropOutputID is the Output asset's required property.
	PropOutputID = "Output ID"
	// PropInputID is the Input asset's required property.
	PropInputID = "Input ID"
)

// typeInfo is one asset type as the document describes it.
type typeInfo struct {
	typ      Type
	title    string        // the document's heading: "Door" for "Door Asset"
	required string        // the required property grid field, "" for System
	statuses []Status      // "Supported States", in the document's order
	commands []CommandName // "Supported Commands", in the document's order
	set      statusSet     // statuses as a set
}

// types is the document, asset by asset: the lists are copied from its
// "Supported States" and "Supported Commands" in its order, so that a
// difference from the document is a one-line diff here (and TestDocument
// compares them with the document itself when it is at hand).
var types = [...]typeInfo{
	{
		typ: System, title: "System",
		statuses: []Status{Normal, Masked, Fault, Acknowledged, NoCommunication},
		commands: []CommandName{Mask, Acknowledge, Reset, Cancel},
	},
	{
		typ: Door, title: "Door", required: PropDoorID,
		statuses: []Status{NoCommunication, Acknowledged, Fault, ForcedOpen, Masked, Secure, Unsecure, HeldOpen},
		commands: []CommandName{Acknowledge, Cancel, Mask, Reset, Lock, Unlock, Pass},
	},
	{
		typ: Reader, title: "Reader", required: PropDoorID,
		statuses: []Status{Normal, Fault, Masked, Acknowledged, NoCommunication, Enabled, Disabled},
		commands: []CommandName{Mask, Acknowledge, Reset, Cancel, DisableReader, EnableReader},
	},
	{
		typ: Output, title: "Output", required: PropOutputID,
		statuses: []Status{Normal, Fault, Masked, Acknowledged, NoCommunication, Present, ControllerFault},
		commands: []CommandName{Mask, Acknowledge, Reset, Cancel, ActivateOutput, DeactivateOutput, TimedActivation},
	},
	{
		typ: Input, title: "Input", required: PropInputID,
		statuses: []Status{Acknowledged, NoCommunication, Fault, Masked, Active, Inactive, Tamper},
		commands: []CommandName{Mask, Acknowledge, Reset, Cancel},
	},
}

func init() {
	for i := range types {
		types[i].set = setOf(types[i].statuses...)
	}
}

// info returns the description of t, or nil for an unknown type.
func (t Type) info() *typeInfo {
	for i := range types {
		if types[i].typ == t {
			return &types[i]
		}
	}
	return nil
}

// order is t's position in the document, which is the order of List and
// Selection (system, door, reader, output, input), or -1.
func (t Type) order() int {
	for i := range types {
		if types[i].typ == t {
			return i
		}
	}
	return -1
}

// Types returns every asset type in the document's order.
func Types() []Type {
	out := make([]Type, len(types))
	for i := range types {
		out[i] = types[i].typ
	}
	return out
}

// ParseType returns the type named s ("door", or the document's "Door").
func ParseType(s string) (Type, error) {
	for i := range types {
		if strings.EqualFold(string(types[i].typ), strings.TrimSpace(s)) {
			return types[i].typ, nil
		}
	}
	return "", fmt.Errorf("%w %q (the types are system, door, reader, output, input)", ErrUnknownType, s)
}

// UnmarshalText accepts a type by name (see ParseType), so that a JSON
// reference {"type":"Door","id":12} decodes and {"type":"gate"} does not.
func (t *Type) UnmarshalText(b []byte) error {
	ty, err := ParseType(string(b))
	if err != nil {
		return err
	}
	*t = ty
	return nil
}

// Valid reports whether t is one of the document's asset types.
func (t Type) Valid() bool { return t.info() != nil }

// Title returns the document's name of the type: "Door" for "Door Asset".
func (t Type) Title() string {
	if in := t.info(); in != nil {
		return in.title
	}
	return string(t)
}

// RequiredProperty returns the type's required property grid field ("Door
// ID", "Output ID", "Input ID"), or "" for System.
func (t Type) RequiredProperty() string {
	if in := t.info(); in != nil {
		return in.required
	}
	return ""
}

// Statuses returns the statuses the type supports, in the document's order.
func (t Type) Statuses() []Status {
	if in := t.info(); in != nil {
		return append([]Status(nil), in.statuses...)
	}
	return nil
}

// Commands returns the commands the type supports, in the document's order.
func (t Type) Commands() []CommandName {
	if in := t.info(); in != nil {
		return append([]CommandName(nil), in.commands...)
	}
	return nil
}

// Supports reports whether the type supports the status.
func (t Type) Supports(s Status) bool {
	in := t.info()
	return in != nil && in.set.has(s)
}

// SupportsCommand reports whether the type supports the command.
func (t Type) SupportsCommand(c CommandName) bool {
	if in := t.info(); in != nil {
		for _, x := range in.commands {
			if x == c {
				return true
			}
		}
	}
	return false
}
