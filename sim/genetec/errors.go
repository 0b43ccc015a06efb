package genetec

import (
	"fmt"
	"strings"
)

// The SdkErrorCode values the simulated Web SDK answers (the .NET SdkError
// names the real one passes through).
const (
	CodeUnableToRetrieveEntity = "UnableToRetrieveEntity"
	CodeInvalidOperation       = "InvalidOperation"
	CodeInvalidValue           = "InvalidValue"
	CodeCannotSetProperty      = "CannotSetProperty"
)

// sdkError is an application failure: HTTP 200 with Status Fail.
type sdkError struct {
	code string
	msg  string
}

func (e *sdkError) Error() string { return e.code + ": " + e.msg }

func invalidOp(format string, args ...any) *sdkError {
	return &sdkError{code: CodeInvalidOperation, msg: fmt.Sprintf(format, args...)}
}

func invalidValue(format string, args ...any) *sdkError {
	return &sdkError{code: CodeInvalidValue, msg: fmt.Sprintf(format, args...)}
}

// notFound is the real server's message for an entity that does not exist
// (reference §6, from a Postman capture).
func notFound(id string) *sdkError {
	return &sdkError{code: CodeUnableToRetrieveEntity, msg: "Could not get the entity, does it exists? Guid: " + clip(id)}
}

// clip quotes at most 60 bytes of client input in a message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 60
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// xmlText escapes s for an XML text node.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
