package genetec

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// Error is a refusal of the connector, with the HTTP status its API
// answers: 400 validation, 403 not allowed, 404 unknown, 409 conflict, 502
// Security Center failed.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func badRequest(format string, args ...any) *Error {
	return &Error{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *Error {
	return &Error{http.StatusForbidden, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *Error {
	return &Error{http.StatusConflict, fmt.Sprintf(format, args...)}
}

// upstream wraps a Security Center failure: 502 with its own message.
func upstream(what string, err error) *Error {
	return &Error{http.StatusBadGateway, "Security Center: " + what + ": " + describe(err)}
}

// describe says in words why Security Center failed, for the message of
// a test connection, a refresh or a 502.
func describe(err error) string {
	var ae *websdk.AuthError
	var se *websdk.SdkError
	switch {
	case errors.As(err, &ae) && ae.Forbidden:
		// The document's integration needs one add-on module: name it, so
		// the operator knows what to ask the Security Center admin for.
		return ae.Error() + " (this integration needs the licence part " + LicencePart + ")"
	case errors.As(err, &ae):
		return ae.Error()
	case errors.As(err, &se):
		return se.Error()
	}
	return err.Error()
}

// StatusOf is the HTTP status the API answers for err.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return http.StatusInternalServerError
}
