package fault

import "errors"

// Sentinel errors. Every error this package returns wraps one of them (and,
// for a hardware fault refused by the world, the world's own sentinel too:
// sim.ErrUnknownID, sim.ErrState, …), so callers test with errors.Is.
var (
	// ErrInvalid: the fault is malformed — an unknown target, kind,
	// parameter or when key, a value of the wrong type or out of range, a
	// transport kind aimed at the site or a hardware kind at a head-end,
	// an id that names no component of the right kind. The message names
	// what is wrong. Nothing was applied.
	ErrInvalid = errors.New("invalid fault")
	// ErrNotFound: no fault of the plan has the id.
	ErrNotFound = errors.New("no such fault")
	// ErrNotWired: the fault needs something the plan was not given — a
	// world for a hardware fault, a SessionExpirer for expire-sessions.
	ErrNotWired = errors.New("not wired")
	// ErrApply: the world refused to apply a hardware fault (the controller
	// is already cut off, the door is already open, …). It wraps the
	// world's error. Nothing was applied.
	ErrApply = errors.New("cannot apply fault")
	// ErrFull: the plan already holds MaxFaults faults; remove some (or
	// reset) before adding more. Nothing was applied.
	ErrFull = errors.New("too many faults")
	// ErrStreamCut is what a response writer returns to the handler once a
	// stream-cut fault has cut its connection.
	ErrStreamCut = errors.New("fault: stream cut")
)
