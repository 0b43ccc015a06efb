package entrapass

import (
	"errors"
	"fmt"
	"strings"
)

// The fault codes (StandardFault Message) the driver branches on. They are
// the real service's strings (reference §2.5 and SPEC §2's fault texts).
const (
	CodeErrorLogin        = "Error Login"
	CodeInvalidSessionKey = "Invalid SessionKey"
	CodeError72           = "Error 72"
	CodeUnknownWebSDKID   = "SMARTLINK_UNKNOWN_WEB_SDK_ID"
	CodeComponentNotExist = "COMPONENT_NOT_EXIST"
	CodeInvalidParameter  = "INVALID_PARAMETER"
	// CodeRightDenied: the operator lacks the right the request needs
	// (the simulator's code; the reference gives none, see rights.go).
	CodeRightDenied = "OPERATOR_RIGHT_DENIED"
)

// Errors of the driver. Every error it returns wraps the ones that apply, so
// a caller chooses with errors.Is while the message says what happened.
var (
	// ErrBadLogin: the server refused the operator's credentials ("Error
	// Login"): wrong user name or password, operator disabled, password
	// expired (EP-CONF-BAD-LOGIN, UM-OPERATOR-HYGIENE).
	ErrBadLogin = errors.New("login refused")
	// ErrLicence: the server refused the integration
	// (SMARTLINK_UNKNOWN_WEB_SDK_ID): no E-GLOB-CONNECT / E-COR-CONNECT for
	// the integration id, or the ConnectedProgram was refused (EP-LIC-CONNECT).
	ErrLicence = errors.New("integration not licensed")
	// ErrVersion: the server is older than EntraPass 7.50, or its version
	// cannot be read (EP-COMPAT-VERSION).
	ErrVersion = errors.New("unsupported EntraPass version")
	// ErrSessionLimit: the operator has as many sessions open as allowed
	// ("Error 72").
	ErrSessionLimit = errors.New("session limit reached")
	// ErrSessionExpired: the session key is unknown, expired or logged out
	// (a fault whose body mentions "SessionKey").
	ErrSessionExpired = errors.New("session expired")
	// ErrNotLoggedIn: a request that needs a session before any login.
	ErrNotLoggedIn = errors.New("not logged in")
	// ErrUnreachable: no answer from the server: connection refused or
	// reset, timeout, TLS failure.
	ErrUnreachable = errors.New("server unreachable")
	// ErrHTTPStatus: an HTTP status other than 200.
	ErrHTTPStatus = errors.New("unexpected HTTP status")
	// ErrMalformed: an answer that is not the document expected.
	ErrMalformed = errors.New("malformed answer")
	// ErrCommandFailed: a command answered something other than OK.
	ErrCommandFailed = errors.New("command failed")
	// ErrNotRunning: the driver was stopped or never started.
	ErrNotRunning = errors.New("driver not running")
)

// Fault is a SmartService StandardFault, the body of every application error
// (sent with HTTP 200). Code is its Message element (the code programs test,
// e.g. "Error Login"); Message is its VisibleMessage (the sentence for an
// operator), or the first language description when that is empty.
type Fault struct {
	Code    string
	Message string
}

func (f *Fault) Error() string {
	if f.Message == "" || f.Message == f.Code {
		return "SmartService fault " + f.Code
	}
	return "SmartService fault " + f.Code + ": " + f.Message
}

// Is maps the fault codes to the driver's errors: errors.Is(err, ErrBadLogin)
// holds for an "Error Login" fault, and so on.
func (f *Fault) Is(target error) bool {
	switch target {
	case ErrBadLogin:
		return strings.EqualFold(f.Code, CodeErrorLogin)
	case ErrLicence:
		return strings.EqualFold(f.Code, CodeUnknownWebSDKID)
	case ErrSessionLimit:
		return strings.EqualFold(f.Code, CodeError72)
	case ErrSessionExpired:
		return isSessionFault(f)
	case ErrNoRight:
		return strings.EqualFold(f.Code, CodeRightDenied)
	}
	return false
}

// isSessionFault recognises a lost session as ropelletier's client does: a
// fault that mentions "SessionKey" (the exact text of the real service is
// not known; the simulator says "Invalid SessionKey").
func isSessionFault(f *Fault) bool {
	return strings.Contains(strings.ToLower(f.Code+" "+f.Message), "sessionkey")
}

// HTTPError is an answer with an HTTP status other than 200. Fault is the
// StandardFault of its body, if it had one.
type HTTPError struct {
	Method string
	URL    string // redacted
	Status int
	Fault  *Fault
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("entrapass: %s %s: HTTP status %d", e.Method, e.URL, e.Status)
	if e.Fault != nil {
		s += ": " + e.Fault.Error()
	}
	return s
}

// Unwrap gives ErrHTTPStatus and the fault, if any; 401 and 403 also give
// ErrSessionExpired (ropelletier's client re-logs in on them too).
func (e *HTTPError) Unwrap() []error {
	errs := []error{ErrHTTPStatus}
	if e.Fault != nil {
		errs = append(errs, e.Fault)
	}
	if e.Status == 401 || e.Status == 403 {
		errs = append(errs, ErrSessionExpired)
	}
	return errs
}

// LoginError is a login the server refused or the driver could not accept.
// It wraps the cause (a *Fault, ErrVersion …) and says what to check.
type LoginError struct {
	User string
	Err  error
	Hint string
}

func (e *LoginError) Error() string {
	s := fmt.Sprintf("entrapass: login as %q: %v", e.User, e.Err)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *LoginError) Unwrap() error { return e.Err }

// VersionError is a server older than MinServerVersion, or whose
// ServerVersion cannot be read.
type VersionError struct {
	Got string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("EntraPass server version %q is not supported: the integration requires EntraPass Global or Corporate %s or later", e.Got, MinServerVersion)
}

func (e *VersionError) Unwrap() error { return ErrVersion }
