package scenarios

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// generalDoc redacts b with the general XML parser only.
func generalDoc(r *Redactor, b []byte) []byte {
	var edits []bodyEdit
	root, ok := parseXML(b)
	if !ok {
		return nil
	}
	r.xmlDoc(root, nil, newObjEditor(&edits, 0))
	return applyEdits(b, edits)
}

// The fast reading of row tables redacts exactly as the general parser
// does: every row answer of the sample recording, and hand-made rows with
// names, cards and escapes.
func TestFastRowsRedactAsTheGeneralParser(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	rec, err := Open("recordings/entrapass-driver-first-minute.jsonl")
	require.NoError(t, err)
	bodies := [][]byte{
		[]byte(`<?xml version="1.0" encoding="utf-8"?><ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SmartLinkDataRow>` +
			`<item><key><string>ETXT</string></key><value><SmartLinkDataValue><Value>Access granted</Value></SmartLinkDataValue></value></item>` +
			`<item><key><string>P1TXT</string></key><value><SmartLinkDataValue><Value>Front Door</Value></SmartLinkDataValue></value></item>` +
			`<item><key><string>P2TXT</string></key><value><SmartLinkDataValue><Value>O&apos;Brien &amp; Sons</Value></SmartLinkDataValue></value></item>` +
			`<item><key><string>P3TXT</string></key><value><SmartLinkDataValue><Value>100:1001</Value></SmartLinkDataValue></value></item>` +
			`<item><key><string>USERNAME</string></key><value><SmartLinkDataValue><Value>Alice Martin</Value></SmartLinkDataValue></value></item>` +
			`<item><key><string>EMPTY</string></key><value><SmartLinkDataValue><Value></Value></SmartLinkDataValue></value></item>` +
			`</SmartLinkDataRow></ArrayOfSmartLinkDataRow>`),
		[]byte(`<ArrayOfSmartLinkDataRow />`),
	}
	for _, e := range rec.Exchanges {
		if b, err := e.Response.Bytes(); err == nil && bytes.Contains(b, []byte("SmartLinkDataRow")) {
			bodies = append(bodies, b)
		}
	}
	for i, b := range bodies {
		var edits []bodyEdit
		_, ok := newObjEditor(&edits, 0).fastRows(b)
		require.True(t, ok, "body %d is read by the fast path", i)
		fast := NewRedactor(SystemEntraPass, key).body(b, nil)
		general := generalDoc(NewRedactor(SystemEntraPass, key), b)
		require.Equal(t, string(general), string(fast), "body %d", i)
	}
	require.NotContains(t, string(NewRedactor(SystemEntraPass, key).body(bodies[0], nil)), "Alice Martin")
	// A shape it does not know falls back.
	var edits []bodyEdit
	for _, odd := range []string{`<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><key><string>A</string></key><value><SmartLinkDataValue><Value><![CDATA[x]]></Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		`<ArrayOfSmartLinkDataRow><Other/></ArrayOfSmartLinkDataRow>`, `<ArrayOfSmartLinkDataRow>`, `<Doors/>`} {
		_, ok := newObjEditor(&edits, 0).fastRows([]byte(odd))
		require.False(t, ok, odd)
	}
}
