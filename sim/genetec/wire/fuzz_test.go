package wire_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// FuzzAppend feeds arbitrary strings into every place a string can sit (key,
// value, array element, report cell, error, event field) and checks that the
// output stays valid JSON or well-formed XML, and that the strings read back
// as the standard decoders would give them.
func FuzzAppend(f *testing.F) {
	f.Add("Name", "Front Door")
	f.Add("", "")
	f.Add(hostile, hostile)
	f.Add("xmlns:a", "]]><![CDATA[")
	f.Add("1&", "\x00\uFFFF\U0010FFFF")
	f.Add("\xff", "\"\\/\u2028")
	f.Fuzz(func(t *testing.T, key, val string) {
		obj := wire.NewObject(4).
			Set(key, val).
			Set("Nested", wire.NewObject(1).Set(key, []any{val, nil, true, wire.GUID(val)})).
			Set("List", []string{val, key}).
			Set("Report", wire.Rows{wire.NewObject(1).Set(key, val), nil})
		ev := &wire.Event{EventType: val, SourceGuid: key, Timestamp: time.Unix(1, 0), Reason: val, Card: key}
		for _, f := range allFormats {
			ok := wire.Append(nil, f, wire.Ok, obj)
			fail := wire.AppendFail(nil, f, key, val)
			part := wire.AppendEventPart(nil, f, ev)
			checkPart(t, f, part)
			if isJSON(f) {
				r, _ := jsonResult(t, f, decodeJSON(t, ok))
				assert.Equal(t, plain(obj), r)
				decodeJSON(t, fail)
				continue
			}
			parseXML(t, ok)
			root := parseXML(t, fail)
			code, msg := "SdkErrorCode", "Message"
			if f == wire.LegacyXML {
				code, msg = "code", "message"
				cell := parseXML(t, wire.Append(nil, f, wire.Ok, wire.Rows{wire.NewObject(1).Set(key, val)})).find("Cell")
				assert.Equal(t, xmlText(key), cell.attrs["name"])
				assert.Equal(t, xmlText(val), cell.text)
			}
			assert.Equal(t, xmlText(key), root.find(code).text)
			assert.Equal(t, xmlText(val), root.find(msg).text)
		}
	})
}
