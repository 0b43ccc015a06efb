package wire_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

var allFormats = []wire.Format{wire.TextJSON, wire.TextXML, wire.LegacyXML, wire.LegacyJSON}

func isJSON(f wire.Format) bool { return f == wire.TextJSON || f == wire.LegacyJSON }

// decodeJSON checks b with encoding/json, the reference our hand-written
// encoder must agree with, and returns what it decodes to.
func decodeJSON(t testing.TB, b []byte) any {
	t.Helper()
	require.Truef(t, json.Valid(b), "invalid JSON: %q", b)
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%q", b)
	return v
}

// node is an element as encoding/xml reads it back.
type node struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*node
}

// find returns the first element named name, depth first.
func (n *node) find(name string) *node {
	if n.name == name {
		return n
	}
	for _, k := range n.kids {
		if f := k.find(name); f != nil {
			return f
		}
	}
	return nil
}

// parseXML checks that b is exactly one well-formed element, as a strict
// encoding/xml decoder sees it, and returns its tree.
func parseXML(t testing.TB, b []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "%q", b)
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			require.Empty(t, tok.Name.Space, "unexpected namespace in %q", b)
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				require.Nil(t, root, "more than one root element in %q", b)
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			require.NotEmpty(t, stack, "text outside the root element in %q", b)
			stack[len(stack)-1].text += string(tok)
		default:
			t.Fatalf("unexpected token %T in %q", tok, b)
		}
	}
	require.NotNil(t, root, "no element in %q", b)
	return root
}

// jsonText is what encoding/json reads back for s: each invalid UTF-8 byte
// becomes U+FFFD, which is exactly what converting to runes does.
func jsonText(s string) string { return string([]rune(s)) }

// xmlText is what encoding/xml reads back for s: invalid bytes as U+FFFD,
// characters XML 1.0 forbids gone.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' ||
			r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// serverTime is the date format written independently of the package, with
// the standard library: 7 fraction digits at most, trailing zeros trimmed.
func serverTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00"
	}
	return t.UTC().Format("2006-01-02T15:04:05.9999999Z")
}

// plain is what encoding/json should decode the rendering of v to.
func plain(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return jsonText(v)
	case wire.GUID:
		return jsonText(string(v))
	case bool:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	case time.Time:
		return serverTime(v)
	case *wire.Object:
		if v == nil {
			return nil
		}
		m := map[string]any{}
		for _, k := range v.Keys() {
			e, _ := v.Get(k)
			m[jsonText(k)] = plain(e)
		}
		return m
	case []any:
		out := []any{}
		for _, e := range v {
			out = append(out, plain(e))
		}
		return out
	case []string:
		out := []any{}
		for _, e := range v {
			out = append(out, jsonText(e))
		}
		return out
	case wire.Rows:
		out := []any{}
		for _, e := range v {
			out = append(out, plain(e))
		}
		return out
	}
	panic("plain: unexpected type")
}

// jsonResult digs the result out of a decoded text/json or legacy JSON
// envelope.
func jsonResult(t testing.TB, f wire.Format, doc any) (any, bool) {
	t.Helper()
	rspKey, resultKey := "Rsp", "Result"
	if f == wire.LegacyJSON {
		rspKey, resultKey = "rsp", "result"
	}
	top, ok := doc.(map[string]any)
	require.True(t, ok)
	rsp, ok := top[rspKey].(map[string]any)
	require.True(t, ok, "no %s in %v", rspKey, doc)
	r, ok := rsp[resultKey]
	return r, ok
}
