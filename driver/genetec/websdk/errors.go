package websdk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrTooLarge is wrapped by the *ProtocolError of an answer longer than
// Config.MaxBody, or of an event-stream line longer than 1 MiB.
var ErrTooLarge = errors.New("websdk: answer too large")

// ErrStreamIdle is what Stream.Next returns (wrapped) when the event stream
// stayed silent, keep-alives included, for longer than Stream.IdleTimeout:
// the connection is presumed dead and the stream is closed.
var ErrStreamIdle = errors.New("websdk: event stream idle")

// ErrStreamClosed is what Stream.Next returns once Stream.Close was called.
var ErrStreamClosed = errors.New("websdk: event stream closed")

// ErrPartial is returned by ReportAll, beside the rows it got, when Security
// Center answered Partial: the rows are not the whole report.
var ErrPartial = errors.New("websdk: Security Center answered a partial report")

// clipLen bounds the server text an error repeats: enough to recognise an
// HTML error page or a proxy's message, not enough to flood a log.
const clipLen = 200

// messageLen bounds Security Center's own failure message: longer than a
// body clip, as it is written for people and names what was wrong.
const messageLen = 1000

// AuthError is Security Center refusing the credentials: HTTP 401 (unknown
// user, wrong password, user not allowed to log on with the SDK) or HTTP
// 403 (the application ID is unknown or its licence part is not in the
// licence).
type AuthError struct {
	// Status is the HTTP status, 401 or 403.
	Status int
	// Forbidden is true for a 403: the credentials may be right, but the
	// application is not licensed.
	Forbidden bool
	// User and AppID are who asked (never the password).
	User  string
	AppID string
}

// Error says who was refused and why, in words an operator can act on.
func (e *AuthError) Error() string {
	if e.Forbidden {
		return fmt.Sprintf("Security Center refused application %s (HTTP %d): its licence part is not in the licence", e.AppID, e.Status)
	}
	return fmt.Sprintf("Security Center refused user %s (HTTP %d): wrong user name or password, or the user may not log on with the SDK", e.User, e.Status)
}

// HTTPError is an HTTP answer other than 200, 401 and 403: a proxy's error
// page, a 503 while the role restarts, a 400 for a path the Web SDK does
// not have.
type HTTPError struct {
	// Status is the HTTP status code.
	Status int
	// Body is the start of the answer's body (at most 200 bytes).
	Body string
	// Host is the server (host:port), Op the request ("GET /WebSdk/entity").
	Host, Op string
}

// Error names the status, the request and what the body said.
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("Security Center at %s answered HTTP %d %s to %s", e.Host, e.Status, http.StatusText(e.Status), e.Op)
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// ProtocolError is an HTTP 200 whose body is not a Web SDK answer: not
// JSON, no {"Rsp":…} envelope, an unknown status, a result of the wrong
// shape, a body over the size bound, a broken event stream.
type ProtocolError struct {
	// What says what was wrong.
	What string
	// Body is the start of the offending text (at most 200 bytes).
	Body string
	// Host is the server (host:port), Op the request.
	Host, Op string
	// Err is the underlying error, if any (ErrTooLarge, a JSON error).
	Err error
}

// Error names the request, what was wrong and the offending text.
func (e *ProtocolError) Error() string {
	s := fmt.Sprintf("Security Center at %s: %s: not a Web SDK answer: %s", e.Host, e.Op, e.What)
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ProtocolError) Unwrap() error { return e.Err }

// SdkError is an application failure: HTTP 200 with "Status":"Fail" and
// Result {"SdkErrorCode":…,"Message":…}, for example UnableToRetrieveEntity
// for an unknown GUID or InvalidOperation for a query Security Center
// cannot run.
type SdkError struct {
	// Code is the SdkErrorCode ("" if Security Center gave none).
	Code string
	// Message is Security Center's sentence.
	Message string
	// Op is the request ("POST /WebSdk/entity").
	Op string
}

// Error is Security Center's own code and message.
func (e *SdkError) Error() string {
	code := e.Code
	if code == "" {
		code = "Fail"
	}
	if e.Message == "" {
		return "Security Center: " + code
	}
	return "Security Center: " + code + ": " + e.Message
}

// NetError is a request that got no answer: the host did not resolve or
// refused the connection, TLS failed, the connection was reset, the request
// timed out or its context ended.
type NetError struct {
	// Host is the server (host:port), Op the request.
	Host, Op string
	// Timeout is the per-request timeout, set when it is what ended the
	// request.
	Timeout time.Duration
	// Err is the cause, without the request URL.
	Err error
}

// Error names the server and the cause.
func (e *NetError) Error() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("Security Center at %s did not answer %s within %v: %v", e.Host, e.Op, e.Timeout, e.Err)
	}
	return fmt.Sprintf("Security Center at %s: %s: %v", e.Host, e.Op, e.Err)
}

// Unwrap returns the cause, so that errors.Is(err,
// context.DeadlineExceeded) and the like work.
func (e *NetError) Unwrap() error { return e.Err }

// IsTimeout reports whether the request ran out of time.
func (e *NetError) IsTimeout() bool {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// clip shortens server text for an error: at most clipLen bytes, cut on a
// rune boundary, one line, control characters replaced, so that a binary
// or multi-line body cannot garble a log.
func clip(b []byte) string { return clipN(b, clipLen) }

// clipN is clip with a bound of max bytes.
func clipN(b []byte, max int) string {
	s := strings.TrimSpace(string(b))
	cut := false
	if len(s) > max {
		n := max
		for n > 0 && !utf8.RuneStart(s[n]) {
			n-- // do not split a character
		}
		s, cut = s[:n], true
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	if cut {
		s += "…"
	}
	return s
}
