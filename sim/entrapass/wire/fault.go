package wire

import "fmt"

// The Message codes of the StandardFaults the service answers with. Clients
// branch on these strings (kantech-gateway looks for "Error Login",
// ropelletier re-logs in on any body containing "SessionKey"), so they are
// reproduced exactly.
const (
	CodeErrorLogin        = "Error Login"
	CodeInvalidSessionKey = "Invalid SessionKey"
	CodeError72           = "Error 72"
	CodeUnknownWebSDKID   = "SMARTLINK_UNKNOWN_WEB_SDK_ID"
	CodeComponentNotExist = "COMPONENT_NOT_EXIST"
	CodeInvalidParameter  = "INVALID_PARAMETER"
)

// Fault is a SmartService StandardFault: the body of every application error,
// which the real service sends with HTTP status 200. Message is the code a
// program tests; VisibleMessage is the sentence shown to an operator.
//
// A *Fault is an error, so a request parser can return one and the handler
// can send it unchanged.
type Fault struct {
	// Message is the code (one of the Code… constants).
	Message string
	// FirstLanguageErrorDescription is the sentence in the site's first
	// language.
	FirstLanguageErrorDescription string
	// SecondLanguageErrorDescription is the sentence in the site's second
	// language.
	SecondLanguageErrorDescription string
	// VisibleMessage is the sentence a client shows.
	VisibleMessage string
}

// Error returns the code and the sentence.
func (f *Fault) Error() string {
	if f.VisibleMessage == "" {
		return f.Message
	}
	return f.Message + ": " + f.VisibleMessage
}

// standardFaultOpen is the root start tag exactly as the real service writes
// it; kantech-gateway strips it with a literal string Replace, so even the
// attribute order matters.
const standardFaultOpen = `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">`

// Marshal returns the StandardFault document.
//
// The members are in alphabetical order — FirstLanguageErrorDescription,
// Message, SecondLanguageErrorDescription, VisibleMessage — because that is
// the order WCF's DataContractSerializer uses for members without an explicit
// Order, and StandardFault is a DataContract (its namespace says so).
func (f *Fault) Marshal() []byte {
	return f.AppendTo(make([]byte, 0, 384))
}

// AppendTo appends the StandardFault document to buf.
func (f *Fault) AppendTo(buf []byte) []byte {
	buf = append(buf, standardFaultOpen...)
	buf = appendElem(buf, "FirstLanguageErrorDescription", f.FirstLanguageErrorDescription)
	buf = appendElem(buf, "Message", f.Message)
	buf = appendElem(buf, "SecondLanguageErrorDescription", f.SecondLanguageErrorDescription)
	buf = appendElem(buf, "VisibleMessage", f.VisibleMessage)
	return append(buf, "</StandardFault>"...)
}

// newFault builds a fault whose descriptions repeat the visible sentence.
// The simulated site has a single language; putting the sentence in both
// description slots keeps a client that displays the second-language text
// from showing a blank error.
func newFault(code, visible string) *Fault {
	return &Fault{
		Message:                        code,
		FirstLanguageErrorDescription:  visible,
		SecondLanguageErrorDescription: visible,
		VisibleMessage:                 visible,
	}
}

// ErrorLogin is the fault of a refused login. visible says why (bad name or
// password, operator disabled, password expired); empty gives the bad
// credentials sentence, which deliberately does not say which of the two was
// wrong.
func ErrorLogin(visible string) *Fault {
	if visible == "" {
		visible = "Invalid user name or password."
	}
	return newFault(CodeErrorLogin, visible)
}

// InvalidSessionKey is the fault of an unknown, expired or logged-out sdKey.
// The sentence contains "SessionKey" too, as a client keying re-login on that
// word in the body may look at either.
func InvalidSessionKey() *Fault {
	return newFault(CodeInvalidSessionKey, "The SessionKey is unknown, expired or logged out. Log in again.")
}

// Error72 is the fault of a login refused because the operator already has
// as many sessions open as allowed; clients of the real service see it when
// they re-login without logging out first.
func Error72() *Fault {
	return newFault(CodeError72, "The maximum number of concurrent sessions for this operator has been reached.")
}

// UnknownWebSDKID is the fault of a login whose ConnectedProgram is not
// licensed or reuses a GUID. visible says which.
func UnknownWebSDKID(visible string) *Fault {
	if visible == "" {
		visible = "The connected program is not licensed."
	}
	return newFault(CodeUnknownWebSDKID, visible)
}

// ComponentNotExist is the fault of a request naming an unknown component id.
// id is taken as a string so the caller can echo what was sent, number or not.
func ComponentNotExist(id string) *Fault {
	return newFault(CodeComponentNotExist, fmt.Sprintf("Component %s does not exist.", clip(id)))
}

// InvalidParameter is the fault of any other bad request: a missing or
// malformed parameter, a value out of range, malformed XML. name is the query
// parameter or XML element at fault and why the reason; both appear in
// VisibleMessage so an operator (or a test) can tell which input to fix.
func InvalidParameter(name, why string) *Fault {
	if why == "" {
		return newFault(CodeInvalidParameter, fmt.Sprintf("Invalid parameter %s.", name))
	}
	return newFault(CodeInvalidParameter, fmt.Sprintf("Invalid parameter %s: %s.", name, why))
}

// ParseFault reads a StandardFault. It reports false when data is not a
// well-formed StandardFault document, so a client can call it on every body
// and fall through to the expected document otherwise. Members are matched by
// name in any order and any namespace; unknown members are ignored.
func ParseFault(data []byte) (*Fault, bool) {
	r := newDocReader(data)
	root, err := r.root()
	if err != nil || root.Name.Local != "StandardFault" {
		return nil, false
	}
	f := &Fault{}
	for {
		el, ok, err := r.next()
		if err != nil {
			return nil, false
		}
		if !ok {
			break
		}
		var dst *string
		switch el.Name.Local {
		case "Message":
			dst = &f.Message
		case "FirstLanguageErrorDescription":
			dst = &f.FirstLanguageErrorDescription
		case "SecondLanguageErrorDescription":
			dst = &f.SecondLanguageErrorDescription
		case "VisibleMessage":
			dst = &f.VisibleMessage
		}
		if dst == nil {
			err = r.skip()
		} else {
			*dst, err = r.text(el)
		}
		if err != nil {
			return nil, false
		}
	}
	if r.end() != nil {
		return nil, false
	}
	return f, true
}
