package entrapass

import (
	"errors"
	"fmt"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Fault codes of our own. The reference names no code for these cases, so
// they are chosen here, in the style of COMPONENT_NOT_EXIST, and kept
// stable: a driver may branch on them.
const (
	// CodeComponentNotReachable: a command to a component whose controller
	// is cut off or whose gateway is disconnected (sim.ErrUnreachable).
	CodeComponentNotReachable = "COMPONENT_NOT_REACHABLE"
	// CodeComponentInFault: a command to a component whose controller, or
	// output, is in hardware fault (sim.ErrFault).
	CodeComponentInFault = "COMPONENT_IN_FAULT"
	// CodeEndpointNotFound: no SmartService operation has that path (HTTP
	// 404, as WCF answers "Endpoint not found").
	CodeEndpointNotFound = "ENDPOINT_NOT_FOUND"
	// CodeMethodNotAllowed: the operation exists with another HTTP method
	// (HTTP 405).
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	// CodeInternalError: the last-resort answer of the recover middleware.
	CodeInternalError = "INTERNAL_ERROR"
)

// newFault builds a fault whose descriptions repeat the visible sentence,
// as wire's constructors do (the simulated site has one language).
func newFault(code, visible string) *wire.Fault {
	return &wire.Fault{
		Message:                        code,
		FirstLanguageErrorDescription:  visible,
		SecondLanguageErrorDescription: visible,
		VisibleMessage:                 visible,
	}
}

// notExist is COMPONENT_NOT_EXIST with a sentence of ours, for the cases
// where the id exists but is not of the kind the operation takes.
func notExist(visible string) *wire.Fault {
	return newFault(wire.CodeComponentNotExist, visible)
}

// worldFault turns an error of a world command into the fault to answer.
func worldFault(id sim.ID, err error) *wire.Fault {
	switch {
	case errors.Is(err, sim.ErrUnknownID):
		return wire.ComponentNotExist(fmt.Sprint(id))
	case errors.Is(err, sim.ErrUnreachable):
		return newFault(CodeComponentNotReachable, fmt.Sprintf("Component %d cannot be reached: %v.", id, err))
	case errors.Is(err, sim.ErrFault):
		return newFault(CodeComponentInFault, fmt.Sprintf("Component %d is in fault: %v.", id, err))
	case errors.Is(err, sim.ErrOutOfRange):
		return wire.InvalidParameter("delay", err.Error())
	}
	return wire.InvalidParameter("id", err.Error())
}
