package wire

import (
	"strconv"
	"strings"
)

// Format is one of the four serialisations of the Web SDK. The zero Format is
// not a serialisation; everything that renders treats it, and any other
// unknown value, as LegacyXML, the server's default, so that a forgotten
// negotiation still yields a body that matches its Content-Type.
type Format uint8

// The serialisations, named after the Accept value that selects them.
const (
	// TextJSON is "text/json": {"Rsp":{"Status":"Ok","Result":…}}.
	TextJSON Format = iota + 1
	// TextXML is "text/xml": <WebSdk><Rsp><Status>Ok</Status><Result>…</Result></Rsp></WebSdk>.
	TextXML
	// LegacyXML is "application/xml", also what */* and a missing Accept get:
	// <rsp status="ok">…</rsp>.
	LegacyXML
	// LegacyJSON is "application/jsonrequest": {"rsp":{"status":"ok","result":…}}.
	LegacyJSON
)

var formatNames = [...]string{
	TextJSON:   "text/json",
	TextXML:    "text/xml",
	LegacyXML:  "application/xml",
	LegacyJSON: "application/jsonrequest",
}

var contentTypes = [...]string{
	TextJSON:   "text/json; charset=utf-8",
	TextXML:    "text/xml; charset=utf-8",
	LegacyXML:  "application/xml; charset=utf-8",
	LegacyJSON: "application/jsonrequest; charset=utf-8",
}

// valid maps unknown formats to the default so every renderer agrees with
// ContentType on what an unknown format means.
func (f Format) valid() Format {
	if f < TextJSON || f > LegacyJSON {
		return LegacyXML
	}
	return f
}

// ContentType is the Content-Type header value answered for f.
func (f Format) ContentType() string {
	return contentTypes[f.valid()]
}

// String is the bare media type of f ("text/json", …), which is also the
// Content-type line of an event part. An unknown value prints as Format(n)
// rather than as the default, so that logs show the bug.
func (f Format) String() string {
	if f < TextJSON || f > LegacyJSON {
		return "Format(" + strconv.Itoa(int(f)) + ")"
	}
	return formatNames[f]
}

// Negotiate picks the serialisation for an Accept header value.
//
// The first media range, in the order the client lists them, that names one
// of the four serialisations wins; q-values do not reorder (the server
// ignores them) but q=0 still means "not this one". Types compare
// case-insensitively and parameters other than q are ignored. Anything else,
// including */*, no header, or a header naming nothing we serve, gets legacy
// XML: */* is a fallback, so "*/*, text/json" still means JSON.
//
// Negotiate does not allocate; it runs on every request.
func Negotiate(accept string) Format {
	for accept != "" {
		var rng string
		rng, accept, _ = strings.Cut(accept, ",")
		mediaType, params, _ := strings.Cut(rng, ";")
		mediaType = strings.TrimSpace(mediaType)
		var f Format
		for candidate := TextJSON; candidate <= LegacyJSON; candidate++ {
			if strings.EqualFold(mediaType, formatNames[candidate]) {
				f = candidate
				break
			}
		}
		if f != 0 && !refused(params) {
			return f
		}
	}
	return LegacyXML
}

// refused reports whether a media range's parameters carry q=0.
func refused(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		return isZeroQ(strings.Trim(strings.TrimSpace(value), `"`))
	}
	return false
}

// isZeroQ recognises "0", "0.", "0.0", "0.000": a malformed q is read as
// acceptable, since refusing a type the client named is the worse mistake.
func isZeroQ(q string) bool {
	if q == "" || q[0] != '0' {
		return false
	}
	q = q[1:]
	if q == "" {
		return true
	}
	if q[0] != '.' {
		return false
	}
	return strings.Trim(q[1:], "0") == ""
}
