package sim

import "errors"

// Sentinel errors of world operations; errors returned wrap one of them with
// the component and what was wrong, so callers test with errors.Is.
var (
	// ErrUnknownID: no component has that id, or not of the kind asked.
	ErrUnknownID = errors.New("unknown component")
	// ErrOutOfRange: a duration or value outside what the hardware takes.
	ErrOutOfRange = errors.New("out of range")
	// ErrUnreachable: the component's controller is cut off or its gateway
	// disconnected, so a command cannot reach it.
	ErrUnreachable = errors.New("controller unreachable")
	// ErrFault: the hardware is in fault and cannot carry out the command.
	ErrFault = errors.New("hardware fault")
	// ErrState: the stimulus contradicts the current state (opening an
	// open door, say).
	ErrState = errors.New("invalid in current state")
)
