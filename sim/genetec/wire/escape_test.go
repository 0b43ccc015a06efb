package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// hostile holds everything an escaper can get wrong: quotes, markup,
// backslash, C0 controls, DEL, the characters JavaScript treats as line ends,
// invalid UTF-8 (a lone continuation byte, a truncated sequence, an encoded
// surrogate), a non-BMP rune and the XML-forbidden U+FFFE.
const hostile = "a\"b\\c</x>&'\x00\x01\x1f\x7f\t\n\r\b\f\u2028\u2029\xff\xc3é😀\uFFFE\xed\xa0\x80z"

func TestJSONEscaping(t *testing.T) {
	want := `"a\"b\\c</x>&'\u0000\u0001\u001f` + "\x7f" + `\t\n\r\b\f\u2028\u2029\ufffd\ufffdé😀` +
		"\uFFFE" + `\ufffd\ufffd\ufffdz"`
	for _, f := range []wire.Format{wire.TextJSON, wire.LegacyJSON} {
		got := wire.Append(nil, f, wire.Ok, hostile)
		assert.Contains(t, string(got), want, f.String())
		r, _ := jsonResult(t, f, decodeJSON(t, got))
		assert.Equal(t, jsonText(hostile), r)

		// Keys are escaped as carefully as values.
		got = wire.Append(nil, f, wire.Ok, wire.NewObject(1).Set(hostile, hostile))
		r, _ = jsonResult(t, f, decodeJSON(t, got))
		assert.Equal(t, map[string]any{jsonText(hostile): jsonText(hostile)}, r)

		got = wire.AppendFail(nil, f, hostile, hostile)
		assert.Contains(t, string(got), want, f.String())
		decodeJSON(t, got)
	}
}

func TestXMLEscaping(t *testing.T) {
	// Forbidden controls and U+FFFE vanish; tab, LF and CR survive as
	// references; invalid bytes become U+FFFD.
	want := `a&quot;b\c&lt;/x&gt;&amp;'` + "\x7f" + `&#x9;&#xA;&#xD;` + "\u2028\u2029\uFFFD\uFFFDé😀\uFFFD\uFFFD\uFFFDz"
	for _, f := range []wire.Format{wire.TextXML, wire.LegacyXML} {
		got := wire.Append(nil, f, wire.Ok, wire.NewObject(1).Set("V", hostile))
		assert.Contains(t, string(got), "<V>"+want+"</V>", f.String())
		assert.Equal(t, xmlText(hostile), parseXML(t, got).find("V").text)

		got = wire.AppendFail(nil, f, hostile, hostile)
		assert.Contains(t, string(got), want, f.String())
		parseXML(t, got)
	}
	got := wire.Append(nil, wire.LegacyXML, wire.Ok, wire.Rows{wire.NewObject(1).Set(hostile, hostile)})
	cell := parseXML(t, got).find("Cell")
	assert.Equal(t, xmlText(hostile), cell.attrs["name"])
	assert.Equal(t, xmlText(hostile), cell.text)
}

func TestEscapingLeavesPlainTextAlone(t *testing.T) {
	s := "Front Door – Entrée 東門 😀 0123456789 ~!@#$%^*()_+-={}[]|:;,./?'`"
	assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":"`+s+`"}}`, string(wire.Append(nil, wire.TextJSON, wire.Ok, s)))
	assert.Equal(t, `<rsp status="ok">`+s+`</rsp>`, string(wire.Append(nil, wire.LegacyXML, wire.Ok, s)))
}
