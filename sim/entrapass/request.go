package entrapass

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// xmlDeclaration is what .NET's XmlSerializer writes before a document.
const xmlDeclaration = `<?xml version="1.0" encoding="utf-8"?>`

// query holds a request's query parameters under lower-cased names: WCF
// binds them case-insensitively (clients send sdKey, SDKEY, Encrypted…).
type query map[string][]string

// parseQuery reads a raw query string. A malformed pair is skipped, as the
// rest of the query still binds; the parameter then counts as missing.
func parseQuery(raw string) query {
	vals, _ := url.ParseQuery(raw)
	q := make(query, len(vals))
	for k, v := range vals {
		lk := strings.ToLower(k)
		q[lk] = append(q[lk], v...)
	}
	return q
}

// get returns the first value of a parameter (name lower-case).
func (q query) get(name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// call is one request being answered.
type call struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	q    query
	now  time.Time
	sess *session
	// list marks an ArrayOf… answer, which WithXMLDeclaration prefixes.
	list bool
	rw   *wire.RowWriter
	buf  []byte
	// streamed marks an answer the handler wrote itself (stream).
	streamed bool
}

// rows returns a pooled RowWriter with the document begun; the call hands
// it back once the answer is written.
func (c *call) rows() *wire.RowWriter {
	if c.rw == nil {
		c.rw = c.s.rowPool.Get().(*wire.RowWriter)
		c.rw.Reset()
	}
	c.list = true
	c.rw.Begin()
	return c.rw
}

// scratch returns a pooled buffer for a document the handler appends.
func (c *call) scratch() []byte {
	if c.buf == nil {
		if p, ok := c.s.bufPool.Get().(*[]byte); ok {
			c.buf = (*p)[:0]
		} else {
			c.buf = make([]byte, 0, 4096)
		}
	}
	return c.buf[:0]
}

func (c *call) release() {
	if c.rw != nil {
		c.s.rowPool.Put(c.rw)
		c.rw = nil
	}
	if c.buf != nil && cap(c.buf) <= 1<<20 {
		b := c.buf[:0]
		c.s.bufPool.Put(&b)
	}
	c.buf = nil
}

// var returns a path variable.
func (c *call) pathVar(name string) string { return mux.Vars(c.r)[name] }

// parseID reads a component or card user id: a .NET Int32. Numbers out of
// that range and non-numbers are INVALID_PARAMETER naming the parameter.
func parseID(name, s string) (int, *wire.Fault) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, wire.InvalidParameter(name, "a number is required")
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, wire.InvalidParameter(name, fmt.Sprintf("%q is not a number", clip(t)))
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, wire.InvalidParameter(name, fmt.Sprintf("%d is out of range", v))
	}
	return int(v), nil
}

// pathID reads the {id} of the path.
func (c *call) pathID() (int, *wire.Fault) {
	return parseID("id", c.pathVar("id"))
}

// componentID reads the id= query parameter of a command or a per-door
// read: required, a number, positive.
func (c *call) componentID() (int, *wire.Fault) {
	s, ok := c.q.get("id")
	if !ok {
		return 0, wire.InvalidParameter("id", "is required")
	}
	id, f := parseID("id", s)
	if f != nil {
		return 0, f
	}
	if id <= 0 {
		return 0, wire.InvalidParameter("id", fmt.Sprintf("%d is out of range (component ids are positive)", id))
	}
	return id, nil
}

// flag reads a 0/1 (or false/true) parameter; absent or empty is false.
func (c *call) flag(name, display string) (bool, *wire.Fault) {
	s, _ := c.q.get(name)
	switch t := strings.TrimSpace(s); {
	case t == "", t == "0", strings.EqualFold(t, "false"):
		return false, nil
	case t == "1", strings.EqualFold(t, "true"):
		return true, nil
	default:
		return false, wire.InvalidParameter(display, fmt.Sprintf("%q is not 0 or 1", clip(t)))
	}
}

// body reads the request body, at most wire.MaxBodySize bytes: parsers hold
// the whole document, so an unbounded body is a memory hazard. name is the
// document the fault names.
//
// The buffer is sized from Content-Length when it is sent (within the cap),
// so that a body is held once, not in the two or three copies of a
// growing buffer.
func (c *call) body(name string) ([]byte, *wire.Fault) {
	size := int64(bytes.MinRead)
	if n := c.r.ContentLength; n > 0 {
		size += min(n, wire.MaxBodySize+1)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(http.MaxBytesReader(c.w, c.r.Body, wire.MaxBodySize))
	data := buf.Bytes()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, wire.InvalidParameter(name, fmt.Sprintf("the body is larger than %d bytes", wire.MaxBodySize))
		}
		return nil, wire.InvalidParameter(name, "the body could not be read: "+err.Error())
	}
	return data, nil
}

// writeXML answers 200 with an XML document.
func writeXML(w http.ResponseWriter, status int, decl bool, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	n := len(body)
	if decl {
		n += len(xmlDeclaration)
	}
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	if decl {
		io.WriteString(w, xmlDeclaration)
	}
	w.Write(body)
}

// stream answers 200 with an XML document of n bytes that write writes to
// out in parts, for an answer too large to hold whole (a full state poll):
// the headers are writeXML's, Content-Length included, so a client sees
// the same answer either way. A write that gives other than n bytes is a
// bug; the connection is then aborted, so that the client sees a failed
// request rather than a document cut short or run over.
func (c *call) stream(n int, write func(out io.Writer) error) {
	c.streamed = true
	decl := c.list && c.s.decl
	if decl {
		n += len(xmlDeclaration)
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(n))
	c.w.WriteHeader(http.StatusOK)
	out := &countingWriter{w: c.w}
	if decl {
		io.WriteString(out, xmlDeclaration)
	}
	// A write error (the client gone, a fault cutting the stream) ends
	// the answer as writeXML's would; net/http closes a connection whose
	// answer fell short of its Content-Length.
	if err := write(out); err == nil && out.n != n {
		panic(http.ErrAbortHandler)
	}
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += n
	return n, err
}

// writeFault answers a StandardFault. Every application error is HTTP 200,
// as the real service answers (ropelletier: "SmartService returns 200 even
// on errors").
func writeFault(w http.ResponseWriter, f *wire.Fault) {
	writeXML(w, http.StatusOK, false, f.Marshal())
}

// appendElem appends <name>value</name> with value escaped. wire keeps its
// element writer unexported, so documents it has no writer for (Operator,
// Door, AccessLevel, CardPicture, line statuses) are written with this one.
// An empty value gives an open and a close tag, never <name/>, because
// regex clients look for the pair.
func appendElem(buf []byte, name, value string) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = appendText(buf, value)
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// appendIntElem appends <name>v</name>.
func appendIntElem(buf []byte, name string, v int64) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = strconv.AppendInt(buf, v, 10)
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// appendBoolElem appends <name>True|False</name>, .NET's Boolean form.
func appendBoolElem(buf []byte, name string, v bool) []byte {
	s := "False"
	if v {
		s = "True"
	}
	return appendElem(buf, name, s)
}

// appendText appends s as XML character data, escaped as wire escapes
// (its escaper is unexported): &, < and > as entities, quotes as they are
// (as .NET's XmlWriter leaves them in text), CR as &#xD; so it survives
// parsing, and characters XML cannot carry as U+FFFD.
func appendText(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				buf = append(buf, "&amp;"...)
			case c == '<':
				buf = append(buf, "&lt;"...)
			case c == '>':
				buf = append(buf, "&gt;"...)
			case c == '\r':
				buf = append(buf, "&#xD;"...)
			case c < 0x20 && c != '\t' && c != '\n':
				buf = append(buf, "\uFFFD"...)
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !xmlChar(r) {
			buf = append(buf, "\uFFFD"...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return buf
}

// xmlChar reports whether a non-ASCII rune may appear in XML 1.0.
func xmlChar(r rune) bool {
	return r <= 0xD7FF || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= utf8.MaxRune)
}

// clip shortens s for a fault message, so a hostile request cannot make one
// arbitrarily long.
func clip(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
