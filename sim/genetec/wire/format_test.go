package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

func TestNegotiate(t *testing.T) {
	cases := []struct {
		accept string
		want   wire.Format
	}{
		{"", wire.LegacyXML},
		{"*/*", wire.LegacyXML},
		{"application/xml", wire.LegacyXML},
		{"text/json", wire.TextJSON},
		{"text/xml", wire.TextXML},
		{"application/jsonrequest", wire.LegacyJSON},
		{"text/json, */*;q=0.5", wire.TextJSON},
		{"text/json; charset=utf-8", wire.TextJSON},
		{"TEXT/JSON", wire.TextJSON},
		{"Application/JsonRequest;charset=UTF-8;q=0.8", wire.LegacyJSON},
		{" text/xml ;q=0.9 , text/json", wire.TextXML},
		// Listing order wins over q-values…
		{"text/xml;q=0.1, text/json;q=1", wire.TextXML},
		// …but q=0 means "not this one".
		{"text/json;q=0, text/xml", wire.TextXML},
		{"text/json; Q=0.000, application/jsonrequest", wire.LegacyJSON},
		{"text/json;q=0", wire.LegacyXML},
		{`text/json;q="0"`, wire.LegacyXML},
		{"text/json;q=0.001", wire.TextJSON},
		{"text/json;q=bogus", wire.TextJSON},
		// */* is a fallback, not a choice: a later specific type still wins.
		{"*/*, text/json", wire.TextJSON},
		{"*/*;q=0.1", wire.LegacyXML},
		{",, text/xml", wire.TextXML},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", wire.LegacyXML},
		{"image/png", wire.LegacyXML},
		{"application/json", wire.LegacyXML},
		{"text/jsonx, text/json", wire.TextJSON},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, wire.Negotiate(c.accept), "Accept: %q", c.accept)
	}
}

func TestNegotiateDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		wire.Negotiate("text/html, application/jsonrequest;q=0, Text/Json; charset=utf-8, */*;q=0.5")
	})
	assert.LessOrEqual(t, allocs, 0.0)
}

func TestFormatNames(t *testing.T) {
	want := map[wire.Format][2]string{
		wire.TextJSON:   {"text/json", "text/json; charset=utf-8"},
		wire.TextXML:    {"text/xml", "text/xml; charset=utf-8"},
		wire.LegacyXML:  {"application/xml", "application/xml; charset=utf-8"},
		wire.LegacyJSON: {"application/jsonrequest", "application/jsonrequest; charset=utf-8"},
	}
	for f, w := range want {
		assert.Equal(t, w[0], f.String())
		assert.Equal(t, w[1], f.ContentType())
		assert.Equal(t, f, wire.Negotiate(f.String()), "a format's name negotiates to itself")
	}
	assert.Equal(t, "Format(0)", wire.Format(0).String())
	assert.Equal(t, "Format(9)", wire.Format(9).String())
}

func TestStatusString(t *testing.T) {
	assert.Equal(t, "Ok", wire.Ok.String())
	assert.Equal(t, "Fail", wire.Fail.String())
	assert.Equal(t, "TooManyResults", wire.TooManyResults.String())
	assert.Equal(t, "Partial", wire.Partial.String())
	assert.Equal(t, "Status(0)", wire.Status(0).String())
	assert.Equal(t, `<rsp status="fail"></rsp>`, string(wire.Append(nil, wire.LegacyXML, wire.Fail, nil)))
	assert.Equal(t, `{"rsp":{"status":"status(7)"}}`, string(wire.Append(nil, wire.LegacyJSON, 7, nil)))
}
