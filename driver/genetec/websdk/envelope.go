package websdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The statuses of a successful answer, as Security Center spells them.
const (
	StatusOk             = "Ok"
	StatusTooManyResults = "TooManyResults"
	StatusPartial        = "Partial"
)

// rsp is the inside of {"Rsp":…}. Keys match case-insensitively, so the
// legacy lower-case form {"rsp":{"status":…,"error":…}} of a server that
// ignored Accept reads too.
type rsp struct {
	Status *string
	Result json.RawMessage
	// Error is where the legacy JSON puts a failure.
	Error json.RawMessage
}

// envelope reads a text/json answer: {"Rsp":{"Status":…,"Result":…}}. It
// returns the status and the result (nil when absent or null); a Fail is an
// *SdkError, anything that is not such an envelope a *ProtocolError.
func (c *Client) envelope(op, ctype string, body []byte) (string, json.RawMessage, error) {
	perr := func(what string, err error) error {
		return &ProtocolError{What: what, Body: c.clip(body), Host: c.host, Op: op, Err: err}
	}
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))) // .NET may start with a BOM
	if len(b) == 0 {
		return "", nil, perr("the body is empty", nil)
	}
	if b[0] != '{' {
		if ctype == "" {
			ctype = "none"
		}
		return "", nil, perr(fmt.Sprintf("the body is not JSON (Content-Type %s)", clip([]byte(ctype))), nil)
	}
	var env struct{ Rsp *rsp }
	if err := json.Unmarshal(b, &env); err != nil {
		return "", nil, perr("invalid JSON: "+err.Error(), err)
	}
	if env.Rsp == nil {
		return "", nil, perr(`no {"Rsp":…} envelope`, nil)
	}
	if env.Rsp.Status == nil {
		return "", nil, perr("Rsp has no Status", nil)
	}
	res := env.Rsp.Result
	if bytes.Equal(bytes.TrimSpace(res), []byte("null")) {
		res = nil
	}
	switch strings.ToLower(*env.Rsp.Status) {
	case "ok":
		return StatusOk, res, nil
	case "toomanyresults":
		return StatusTooManyResults, res, nil
	case "partial":
		return StatusPartial, res, nil
	case "fail":
		detail := res
		if len(detail) == 0 {
			detail = env.Rsp.Error
		}
		return "", nil, c.sdkError(op, detail)
	}
	return "", nil, perr(fmt.Sprintf("unknown Rsp.Status %q", clip([]byte(*env.Rsp.Status))), nil)
}

// sdkError reads a Fail's result: {"SdkErrorCode":…,"Message":…} (legacy:
// {"code":…,"message":…}); a bare string is taken as the message.
func (c *Client) sdkError(op string, detail json.RawMessage) *SdkError {
	var f struct {
		SdkErrorCode string
		Code         string
		Message      string
	}
	e := &SdkError{Op: op}
	var s string
	switch {
	case len(detail) == 0:
	case json.Unmarshal(detail, &f) == nil:
		e.Code, e.Message = f.SdkErrorCode, f.Message
		if e.Code == "" {
			e.Code = f.Code
		}
	case json.Unmarshal(detail, &s) == nil:
		e.Message = s
	default:
		e.Message = string(detail)
	}
	// The message is Security Center's, and can repeat the request: scrub
	// and bound it like any server text.
	e.Code = clip([]byte(e.Code))
	e.Message = clipN([]byte(c.redact(e.Message)), messageLen)
	return e
}
