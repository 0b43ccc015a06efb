package scenarios

import (
	"errors"
	"fmt"
	"time"
)

// FormatName and Version identify a recording: the header's "format" and
// "version". Readers refuse any other version (ErrVersion).
const (
	FormatName = "pacsim-recording"
	Version    = 1
)

// The systems a recording is of.
const (
	SystemEntraPass = "entrapass"
	SystemGenetec   = "genetec"
)

// Sentinel errors; a *LineError wraps them with the line at fault.
var (
	// ErrFormat: a line is not what the format says (bad JSON, a field of
	// the wrong type, a missing field, not a recording at all).
	ErrFormat = errors.New("not a valid pacsim recording")
	// ErrVersion: the header's version is not one this build reads.
	ErrVersion = errors.New("unknown recording version")
	// ErrTruncated: the last line ends without its newline (a recording cut
	// in the middle of a write).
	ErrTruncated = errors.New("truncated recording")
)

// LineError is an error of one line of a recording (1 is the header).
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error (ErrFormat, ErrVersion, ErrTruncated).
func (e *LineError) Unwrap() error { return e.Err }

// Header is a recording's first line:
//
//	{"format":"pacsim-recording","version":1,"system":"entrapass",
//	 "recorded_at":"2026-12-03T10:00:00Z","upstream":"http://10.0.0.5:8801","redacted":true}
type Header struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	System     string    `json:"system"`
	RecordedAt time.Time `json:"recorded_at"`
	Upstream   string    `json:"upstream"`
	Redacted   bool      `json:"redacted"`
}

// Exchange is one request and what answered it.
type Exchange struct {
	// Seq numbers exchanges from 1 in the order their requests arrived.
	Seq int `json:"seq"`
	// OffsetMS is when the request arrived, in milliseconds since the
	// recording started.
	OffsetMS int64 `json:"offset_ms"`
	// DurationMS is how long the answer took, to its last byte.
	DurationMS int64    `json:"duration_ms"`
	Request    Request  `json:"request"`
	Response   Response `json:"response"`
	// Error says why the upstream gave no (complete) answer: "connection
	// refused", "connection reset", "timeout", "stream ended by the client"…
	// An exchange with an error is kept, never dropped.
	Error string `json:"error,omitempty"`
}

// Request is what the client sent. Headers keep only what matters to the
// head-ends (Accept, Content-Type, Authorization, SOAPAction…), redacted.
type Request struct {
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  string              `json:"query,omitempty"` // raw, as sent
	Header map[string][]string `json:"header,omitempty"`
	Body   string              `json:"body,omitempty"`     // when UTF-8
	Body64 string              `json:"body_b64,omitempty"` // else, base64
}

// Response is what the upstream answered. A streamed answer has Chunks (in
// the order and at the times they came) instead of Body.
type Response struct {
	Status int                 `json:"status"`
	Header map[string][]string `json:"header,omitempty"`
	Body   string              `json:"body,omitempty"`
	Body64 string              `json:"body_b64,omitempty"`
	Chunks []Chunk             `json:"chunks,omitempty"`
}

// Chunk is a piece of a streamed answer.
type Chunk struct {
	// OffsetMS is when it came, in milliseconds since the answer started.
	OffsetMS int64  `json:"offset_ms"`
	Data     string `json:"data,omitempty"`
	Data64   string `json:"data_b64,omitempty"`
}
