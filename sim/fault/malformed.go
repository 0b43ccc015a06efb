package fault

import (
	"bytes"
	"net/http"
	"strconv"
)

// The modes of a malformed fault.
const (
	// ModeTruncate cuts the body short, inside an element.
	ModeTruncate = "truncate"
	// ModeGarble scrambles the middle third of the body and puts a NUL
	// byte in it, which neither XML nor JSON allows.
	ModeGarble = "garble"
)

func init() {
	register(&kindSpec{kind: KindMalformed, params: []string{"mode", "at"}, primary: "mode",
		check: func(p *Params) error {
			switch p.Mode {
			case "", ModeTruncate, ModeGarble:
			default:
				return invalidf("params.mode %q is not truncate or garble", p.Mode)
			}
			switch {
			case p.At < 0:
				return invalidf("params.at %d is negative", p.At)
			case p.At > 0 && p.Mode == ModeGarble:
				return invalidf("params.at applies to mode truncate, not garble")
			}
			return nil
		}})
}

// malformedWriter holds the head-end's whole answer, then writes it broken
// with its own status and a Content-Length that fits the broken body: the
// client gets a well-framed answer with a body it cannot parse.
type malformedWriter struct {
	wrapper
	ru     *rule
	status int
	buf    []byte
}

func newMalformedWriter(w http.ResponseWriter, ru *rule) *malformedWriter {
	return &malformedWriter{wrapper: wrapper{under: w}, ru: ru}
}

// WriteHeader keeps the status for the end.
func (m *malformedWriter) WriteHeader(code int) {
	if m.status == 0 && code >= 200 {
		m.status = code
	}
}

// Write keeps the body for the end.
func (m *malformedWriter) Write(p []byte) (int, error) {
	if m.status == 0 {
		m.status = http.StatusOK
	}
	m.buf = append(m.buf, p...)
	return len(p), nil
}

// Flush does nothing: the body goes out broken, at the end.
func (m *malformedWriter) Flush() {}

func (m *malformedWriter) finish() {
	body := breakBody(m.ru.params, m.buf)
	if m.status == 0 {
		m.status = http.StatusOK
	}
	m.under.Header().Set("Content-Length", strconv.Itoa(len(body)))
	m.under.WriteHeader(m.status)
	_, _ = m.under.Write(body)
}

// breakBody returns body truncated or garbled as the params say.
func breakBody(p Params, body []byte) []byte {
	if p.Mode == ModeGarble {
		return garble(body)
	}
	return truncate(body, p.At)
}

// truncate cuts body after at bytes or, when at is 0 or beyond the body,
// just inside the first tag that starts in its second half ("…<Descr"), or
// in its middle when none does.
func truncate(body []byte, at int) []byte {
	if len(body) < 2 {
		return []byte("<")
	}
	if at > 0 && at < len(body) {
		return body[:at]
	}
	mid := len(body) / 2
	if i := bytes.IndexByte(body[mid:], '<'); i >= 0 && mid+i+3 < len(body) {
		return body[:mid+i+3]
	}
	return body[:mid]
}

// garble flips the bits of the middle third of body and puts a NUL byte in
// its middle.
func garble(body []byte) []byte {
	if len(body) == 0 {
		return []byte{0}
	}
	b := bytes.Clone(body)
	lo, hi := len(b)/3, max(2*len(b)/3, len(b)/3+1)
	for i := lo; i < hi && i < len(b); i++ {
		b[i] ^= 0x5A
	}
	b[len(b)/2] = 0
	return b
}
