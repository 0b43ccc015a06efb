package wire

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rowsHead = `<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`

func TestRowWriterGolden(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *RowWriter)
		want  string
	}{
		{
			name:  "no rows",
			write: func(w *RowWriter) {},
			want:  rowsHead + `</ArrayOfSmartLinkDataRow>`,
		},
		{
			name: "one row",
			write: func(w *RowWriter) {
				w.Row()
				w.Item("PKDATA", "18")
				w.Item("DESCRIPTION", "HID 26 bits")
				w.EndRow()
			},
			want: rowsHead +
				`<SmartLinkDataRow>` +
				`<item><key><string>PKDATA</string></key><value><SmartLinkDataValue><Value>18</Value></SmartLinkDataValue></value></item>` +
				`<item><key><string>DESCRIPTION</string></key><value><SmartLinkDataValue><Value>HID 26 bits</Value></SmartLinkDataValue></value></item>` +
				`</SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		},
		{
			name: "empty value and empty row",
			write: func(w *RowWriter) {
				w.Row()
				w.Item("VVIEW", "")
				w.EndRow()
				w.Row()
				w.EndRow()
			},
			want: rowsHead +
				`<SmartLinkDataRow><item><key><string>VVIEW</string></key><value><SmartLinkDataValue><Value></Value></SmartLinkDataValue></value></item></SmartLinkDataRow>` +
				`<SmartLinkDataRow></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		},
		{
			name: "ints and flags",
			write: func(w *RowWriter) {
				w.Row()
				w.ItemInt("STATUSID", 42)
				w.ItemInt("CL", -1)
				w.ItemFlag("TAMPER", true)
				w.ItemFlag("TROUBLE", false)
				w.EndRow()
			},
			want: rowsHead + `<SmartLinkDataRow>` +
				`<item><key><string>STATUSID</string></key><value><SmartLinkDataValue><Value>42</Value></SmartLinkDataValue></value></item>` +
				`<item><key><string>CL</string></key><value><SmartLinkDataValue><Value>-1</Value></SmartLinkDataValue></value></item>` +
				`<item><key><string>TAMPER</string></key><value><SmartLinkDataValue><Value>1</Value></SmartLinkDataValue></value></item>` +
				`<item><key><string>TROUBLE</string></key><value><SmartLinkDataValue><Value>0</Value></SmartLinkDataValue></value></item>` +
				`</SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		},
		{
			name: "escaped",
			write: func(w *RowWriter) {
				w.Row()
				w.Item("P2TXT", `O'Brien & <Sons> "Ltd"`)
				w.EndRow()
			},
			want: rowsHead + `<SmartLinkDataRow>` +
				`<item><key><string>P2TXT</string></key><value><SmartLinkDataValue><Value>O'Brien &amp; &lt;Sons&gt; "Ltd"</Value></SmartLinkDataValue></value></item>` +
				`</SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w RowWriter
			w.Begin()
			tt.write(&w)
			assert.Equal(t, tt.want, string(w.End()))
		})
	}
}

func TestRowWriterReset(t *testing.T) {
	var w RowWriter
	w.Begin()
	w.Row()
	w.Item("A", "1")
	w.EndRow()
	assert.Equal(t, 1, w.Rows())
	first := string(w.End())
	w.Reset()
	assert.Equal(t, 0, w.Rows())
	w.Begin()
	w.Row()
	w.Item("A", "1")
	w.EndRow()
	assert.Equal(t, first, string(w.End()), "a reset writer writes the same document again")
}

func TestRowWriterOutOfOrderPanics(t *testing.T) {
	tests := map[string]func(w *RowWriter){
		"Row before Begin":   func(w *RowWriter) { w.Row() },
		"Item outside a row": func(w *RowWriter) { w.Begin(); w.Item("A", "") },
		"ItemInt before Row": func(w *RowWriter) { w.Begin(); w.ItemInt("A", 1) },
		"End inside a row":   func(w *RowWriter) { w.Begin(); w.Row(); w.End() },
		"Begin twice":        func(w *RowWriter) { w.Begin(); w.Begin() },
		"EndRow without Row": func(w *RowWriter) { w.Begin(); w.EndRow() },
		"Row after End":      func(w *RowWriter) { w.Begin(); w.End(); w.Row() },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			var w RowWriter
			assert.Panics(t, func() { f(&w) })
		})
	}
}

// eventKeys are the keys of an event row, in the order the service sends them.
var eventKeys = [...]string{"DT", "UDT", "ETXT", "P1TXT", "P2TXT", "P3TXT", "P4TXT", "CL", "CLT", "VVIEW"}

func writeEventRow(w *RowWriter) {
	w.Row()
	w.Item("DT", "2026-01-05 09:00:01")
	w.Item("UDT", "2026-01-05 14:00:01")
	w.Item("ETXT", "Access granted")
	w.Item("P1TXT", "Front Door")
	w.Item("P2TXT", "Alice Martin")
	w.Item("P3TXT", "100:1001")
	w.Item("P4TXT", "Front Door entry")
	w.ItemInt("CL", 0x00FF00)
	w.ItemInt("CLT", 1)
	w.Item("VVIEW", "")
	w.EndRow()
}

func TestRowWriterDoesNotAllocateOnceGrown(t *testing.T) {
	var w RowWriter
	doc := func() {
		w.Reset()
		w.Begin()
		for i := 0; i < 100; i++ {
			writeEventRow(&w)
		}
		w.End()
	}
	doc() // grow the buffer once
	assert.Zero(t, testing.AllocsPerRun(20, doc))
}

// TestRowWriterGrow: after Grow(n), a document of n bytes is written
// without allocating, and Grow keeps what was written.
func TestRowWriterGrow(t *testing.T) {
	var ref RowWriter
	ref.Begin()
	for i := 0; i < 100; i++ {
		writeEventRow(&ref)
	}
	want := string(ref.End())

	var w RowWriter
	w.Begin()
	w.Grow(len(want))
	buf := &w.buf[:1][0]
	for i := 0; i < 100; i++ {
		writeEventRow(&w)
	}
	got := w.End()
	assert.Same(t, buf, &got[0], "written where Grow made room: no reallocation")
	assert.Equal(t, want, string(got))

	w.Reset()
	w.Begin()
	w.Grow(0)
	w.Grow(-1)
	w.Row()
	w.EndRow()
	assert.Equal(t, rowsOpen+rowOpen+rowClose+rowsClose, string(w.End()))
}

// valueRE is the regular expression public clients read values with; our
// documents must give it every value, empty ones included, in order.
var valueRE = regexp.MustCompile(`<Value>([^<]*)</Value>`)

func TestRowsReadableByClientRegex(t *testing.T) {
	var w RowWriter
	w.Begin()
	writeEventRow(&w)
	doc := string(w.End())
	m := valueRE.FindAllStringSubmatch(doc, -1)
	require.Len(t, m, len(eventKeys))
	assert.Equal(t, "Access granted", m[2][1])
	assert.Equal(t, "", m[9][1])
	assert.NotContains(t, doc, "\n")
	assert.NotContains(t, doc, "<?xml")
}

func TestParseRows(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []Row
	}{
		{"empty", rowsHead + `</ArrayOfSmartLinkDataRow>`, []Row{}},
		{"self-closed empty", `<ArrayOfSmartLinkDataRow/>`, []Row{}},
		{
			"ours",
			string(MarshalRows([]Row{{{"A", "1"}, {"B", ""}}, {{"C", "x&y"}}})),
			[]Row{{{"A", "1"}, {"B", ""}}, {{"C", "x&y"}}},
		},
		{
			"declaration, indentation, Value/ and unknown elements",
			`<?xml version="1.0" encoding="utf-8"?>
<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SmartLinkDataRow>
    <item>
      <key><string>A</string></key>
      <value><SmartLinkDataValue><Value/><Type>x</Type></SmartLinkDataValue></value>
    </item>
    <item><value><SmartLinkDataValue><Value>2</Value></SmartLinkDataValue></value><key><string>B</string></key></item>
    <item><key><string>C</string></key></item>
    <Extra/>
  </SmartLinkDataRow>
  <!-- comment -->
</ArrayOfSmartLinkDataRow>
`,
			[]Row{{{"A", ""}, {"B", "2"}, {"C", ""}}},
		},
		{
			"character references",
			rowsHead + `<SmartLinkDataRow><item><key><string>K</string></key><value><SmartLinkDataValue><Value>a&#xD;&#10;b&#233;</Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
			[]Row{{{"K", "a\r\nbé"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRows([]byte(tt.doc))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestScanRowsTakesOurOutput(t *testing.T) {
	var w RowWriter
	w.Begin()
	writeEventRow(&w)
	w.Row()
	w.Item("P2TXT", "O'Brien & <Sons> \"Ltd\"\r\n\t]]")
	w.Item("", "")
	w.EndRow()
	w.Row()
	w.EndRow()
	doc := w.End()
	fast, ok := scanRows(doc)
	require.True(t, ok, "the fast path reads what RowWriter writes")
	slow, err := parseRowsXML(doc)
	require.NoError(t, err)
	assert.Equal(t, slow, fast)

	for _, odd := range []string{
		`<?xml version="1.0"?>` + string(doc),
		string(doc) + "\n",
		strings.Replace(string(doc), "&amp;", "&#38;", 1),
		strings.Replace(string(doc), "Sons", "a]]>b", 1),
		strings.Replace(string(doc), "Sons", "\r", 1),
	} {
		_, ok := scanRows([]byte(odd))
		assert.False(t, ok, "%.60q… goes to encoding/xml", odd)
	}
}

func TestParseRowsRejectsIllegalReferences(t *testing.T) {
	for _, ref := range []string{"&#0;", "&#x1B;", "&#xFFFE;"} {
		_, err := ParseRows([]byte(rowsHead + `<SmartLinkDataRow><item><key><string>K</string></key><value><SmartLinkDataValue><Value>` + ref + `</Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`))
		assert.Error(t, err, ref)
	}
}

func TestParseRowsRejects(t *testing.T) {
	tests := map[string]string{
		"empty body":         ``,
		"not XML":            `hello`,
		"wrong root":         `<ArrayOfLightComponentOfSite/>`,
		"unclosed":           rowsHead + `<SmartLinkDataRow>`,
		"mismatched tag":     rowsHead + `</SmartLinkDataRow>`,
		"item without key":   rowsHead + `<SmartLinkDataRow><item><value/></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		"undefined entity":   rowsHead + `<SmartLinkDataRow><item><key><string>&nbsp;</string></key></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		"two roots":          `<ArrayOfSmartLinkDataRow/><ArrayOfSmartLinkDataRow/>`,
		"trailing text":      `<ArrayOfSmartLinkDataRow/>x`,
		"stray text":         `<ArrayOfSmartLinkDataRow>x</ArrayOfSmartLinkDataRow>`,
		"element in a value": rowsHead + `<SmartLinkDataRow><item><key><string>K</string></key><value><SmartLinkDataValue><Value><b/></Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		"invalid UTF-8":      rowsHead + "<SmartLinkDataRow><item><key><string>\xff</string></key></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseRows([]byte(doc))
			assert.Error(t, err)
		})
	}
}

func TestParseRowsReturnsFault(t *testing.T) {
	_, err := ParseRows(InvalidSessionKey().Marshal())
	var f *Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, CodeInvalidSessionKey, f.Message)
}

func TestRowGet(t *testing.T) {
	r := Row{{"A", "1"}, {"B", ""}, {"A", "2"}}
	v, ok := r.Get("A")
	assert.True(t, ok)
	assert.Equal(t, "1", v, "the first item wins")
	v, ok = r.Get("B")
	assert.True(t, ok)
	assert.Equal(t, "", v)
	_, ok = r.Get("a")
	assert.False(t, ok, "keys compare exactly")
}

func TestRowsRoundTripAwkwardValues(t *testing.T) {
	values := []string{"", " ", "a\tb\nc", "cr\r\nlf", "<>&\"'", "]]>", "é€😀", "\u007f", strings.Repeat("x", 5000)}
	var rows []Row
	for i, v := range values {
		rows = append(rows, Row{{Key: fmt.Sprint("K", i), Value: v}})
	}
	got, err := ParseRows(MarshalRows(rows))
	require.NoError(t, err)
	assert.Equal(t, rows, got)
}

func TestRowsReplaceUnrepresentable(t *testing.T) {
	// XML cannot carry these even as references; they become U+FFFD rather
	// than breaking the document.
	got, err := ParseRows(MarshalRows([]Row{{{"K", "a\x00b\x1bc\xffd\uFFFEe"}}}))
	require.NoError(t, err)
	assert.Equal(t, "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe", got[0][0].Value)
}

func BenchmarkRowWriterEventRow(b *testing.B) {
	const rowsPerDoc = 1000 // the default Events batch
	var w RowWriter
	w.Begin()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		writeEventRow(&w)
		if n++; n == rowsPerDoc {
			w.End()
			w.Reset()
			w.Begin()
			n = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkParseRowsEventBatch(b *testing.B) {
	var w RowWriter
	w.Begin()
	for i := 0; i < 100; i++ {
		writeEventRow(&w)
	}
	doc := append([]byte(nil), w.End()...)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := ParseRows(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseRows(f *testing.F) {
	// Short seeds: the fuzzer minimises each new interesting input, which
	// for a 1000-byte event row eats the run.
	f.Add(MarshalRows([]Row{{{"A", "x&y"}, {"B", ""}}, {}}))
	f.Add([]byte(rowsHead + `</ArrayOfSmartLinkDataRow>`))
	f.Add([]byte(`<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><key><string>K</string></key><value><SmartLinkDataValue><Value/></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`))
	f.Add([]byte(`<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><key>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The fast scan may only answer where encoding/xml agrees.
		if fast, ok := scanRows(data); ok {
			slow, err := parseRowsXML(data)
			if err != nil {
				t.Fatalf("scan accepted what encoding/xml rejects (%v)", err)
			}
			require.Equal(t, slow, fast, "scan and encoding/xml disagree")
		}
		rows, err := ParseRows(data)
		if err != nil {
			return
		}
		// Whatever we accept, we can write, and reading that back gives the
		// same rows: the writer loses nothing the parser can express.
		again, err := ParseRows(MarshalRows(rows))
		if err != nil {
			t.Fatalf("re-parse of our own output: %v", err)
		}
		require.Equal(t, rows, again, "round trip changed rows")
	})
}
