package wire_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

const (
	guid1 = "00000000-0000-0000-0000-000000000001"
	guid2 = "00000000-0000-0000-0000-000000000002"
)

// Each case gives the whole envelope in every format, so a change of shape in
// any of them shows as a diff of exact text, which is how clients read it.
type envelopeCase struct {
	name   string
	status wire.Status
	result any
	fail   *[2]string // code, message: render with AppendFail instead
	want   map[wire.Format]string
}

func envelopeCases() []envelopeCase {
	objJSON := `{"Guid":"` + guid1 + `","Name":"Front Door","IsOnline":true,"Count":3,` +
		`"Members":["a",2,null],"Parent":null,"Tags":["x","y"],"Created":"2023-07-04T09:25:43.05Z",` +
		`"Ratio":0.5,"Big":18446744073709551615,"Inner":{"A":"b"}}`
	objXML := `<Guid>` + guid1 + `</Guid><Name>Front Door</Name><IsOnline>true</IsOnline><Count>3</Count>` +
		`<Members><Item>a</Item><Item>2</Item><Item></Item></Members><Parent></Parent>` +
		`<Tags><Item>x</Item><Item>y</Item></Tags><Created>2023-07-04T09:25:43.05Z</Created>` +
		`<Ratio>0.5</Ratio><Big>18446744073709551615</Big><Inner><A>b</A></Inner>`

	rowsJSON := `[{"Guid":"` + guid1 + `","Name":"Front Door"},{"Guid":"` + guid2 + `","Name":"Back & Side <Door>"}]`
	rowsTextXML := `<Item><Guid>` + guid1 + `</Guid><Name>Front Door</Name></Item>` +
		`<Item><Guid>` + guid2 + `</Guid><Name>Back &amp; Side &lt;Door&gt;</Name></Item>`
	rowsLegacyXML := `<QueryResult>` +
		`<Row><Cell name="Guid">` + guid1 + `</Cell><Cell name="Name">Front Door</Cell></Row>` +
		`<Row><Cell name="Guid">` + guid2 + `</Cell><Cell name="Name">Back &amp; Side &lt;Door&gt;</Cell></Row>` +
		`</QueryResult>`

	return []envelopeCase{
		{
			name: "ok nil", status: wire.Ok, result: nil,
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok"}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok"></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok"}}`,
			},
		},
		{
			name: "ok object", status: wire.Ok,
			result: wire.NewObject(0).
				Set("Guid", wire.GUID(guid1)).
				Set("Name", "Front Door").
				Set("IsOnline", true).
				Set("Count", 3).
				Set("Members", []any{"a", int64(2), nil}).
				Set("Parent", nil).
				Set("Tags", []string{"x", "y"}).
				Set("Created", time.Date(2023, 7, 4, 9, 25, 43, 50_000_000, time.UTC)).
				Set("Ratio", 0.5).
				Set("Big", uint64(math.MaxUint64)).
				Set("Inner", wire.NewObject(1).Set("A", "b")),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":` + objJSON + `}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result>` + objXML + `</Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok">` + objXML + `</rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":` + objJSON + `}}`,
			},
		},
		{
			name: "create Guid", status: wire.Ok,
			result: wire.NewObject(1).Set("Guid", wire.GUID(guid1)),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":{"Guid":"` + guid1 + `"}}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result><Guid>` + guid1 + `</Guid></Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok"><Guid>` + guid1 + `</Guid></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":{"Guid":"` + guid1 + `"}}}`,
			},
		},
		{
			name: "property read", status: wire.Ok,
			result: wire.NewObject(2).Set("Name", "Front Door").Set("State", "Active"),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":{"Name":"Front Door","State":"Active"}}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result><Name>Front Door</Name><State>Active</State></Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok"><Name>Front Door</Name><State>Active</State></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":{"Name":"Front Door","State":"Active"}}}`,
			},
		},
		{
			name: "report empty", status: wire.Ok, result: wire.Rows{},
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":[]}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result></Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok"><QueryResult></QueryResult></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":[]}}`,
			},
		},
		{
			name: "report nil rows", status: wire.Ok, result: wire.Rows(nil),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":[]}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result></Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok"><QueryResult></QueryResult></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":[]}}`,
			},
		},
		{
			name: "report two rows", status: wire.Ok, result: twoRows(),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Ok","Result":` + rowsJSON + `}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Ok</Status><Result>` + rowsTextXML + `</Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="ok">` + rowsLegacyXML + `</rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"ok","result":` + rowsJSON + `}}`,
			},
		},
		{
			name: "too many results", status: wire.TooManyResults, result: twoRows(),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"TooManyResults","Result":` + rowsJSON + `}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>TooManyResults</Status><Result>` + rowsTextXML + `</Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="toomanyresults">` + rowsLegacyXML + `</rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"toomanyresults","result":` + rowsJSON + `}}`,
			},
		},
		{
			name: "partial", status: wire.Partial, result: wire.NewObject(1).Set("Guid", wire.GUID(guid2)),
			want: map[wire.Format]string{
				wire.TextJSON:   `{"Rsp":{"Status":"Partial","Result":{"Guid":"` + guid2 + `"}}}`,
				wire.TextXML:    `<WebSdk><Rsp><Status>Partial</Status><Result><Guid>` + guid2 + `</Guid></Result></Rsp></WebSdk>`,
				wire.LegacyXML:  `<rsp status="partial"><Guid>` + guid2 + `</Guid></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"partial","result":{"Guid":"` + guid2 + `"}}}`,
			},
		},
		{
			name: "fail", fail: &[2]string{"UnableToRetrieveEntity", `Entity "x" & <y> not found`},
			want: map[wire.Format]string{
				wire.TextJSON: `{"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":"UnableToRetrieveEntity","Message":"Entity \"x\" & <y> not found"}}}`,
				wire.TextXML: `<WebSdk><Rsp><Status>Fail</Status><Result><SdkErrorCode>UnableToRetrieveEntity</SdkErrorCode>` +
					`<Message>Entity &quot;x&quot; &amp; &lt;y&gt; not found</Message></Result></Rsp></WebSdk>`,
				wire.LegacyXML: `<rsp status="fail"><error><code>UnableToRetrieveEntity</code>` +
					`<message>Entity &quot;x&quot; &amp; &lt;y&gt; not found</message></error></rsp>`,
				wire.LegacyJSON: `{"rsp":{"status":"fail","error":{"code":"UnableToRetrieveEntity","message":"Entity \"x\" & <y> not found"}}}`,
			},
		},
	}
}

func twoRows() wire.Rows {
	return wire.Rows{
		wire.NewObject(2).Set("Guid", wire.GUID(guid1)).Set("Name", "Front Door"),
		wire.NewObject(2).Set("Guid", wire.GUID(guid2)).Set("Name", "Back & Side <Door>"),
	}
}

func TestAppend(t *testing.T) {
	for _, tc := range envelopeCases() {
		for _, f := range allFormats {
			t.Run(tc.name+"/"+f.String(), func(t *testing.T) {
				want, ok := tc.want[f]
				require.True(t, ok, "case lacks an expectation for %v", f)
				var got []byte
				if tc.fail != nil {
					got = wire.AppendFail(nil, f, tc.fail[0], tc.fail[1])
				} else {
					got = wire.Append(nil, f, tc.status, tc.result)
				}
				assert.Equal(t, want, string(got))

				if !isJSON(f) {
					parseXML(t, got)
					return
				}
				doc := decodeJSON(t, got)
				if tc.fail != nil {
					return
				}
				// Round trip: encoding/json reads back the tree we rendered.
				r, ok := jsonResult(t, f, doc)
				assert.Equal(t, tc.result != nil, ok, "Result key present")
				if ok {
					assert.Equal(t, plain(tc.result), r)
				}
			})
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	// Handlers append after headers or earlier parts; the prefix must survive.
	for _, f := range allFormats {
		got := wire.Append([]byte("prefix:"), f, wire.Ok, nil)
		assert.Equal(t, "prefix:", string(got[:7]), f.String())
		got = wire.AppendFail([]byte("prefix:"), f, "c", "m")
		assert.Equal(t, "prefix:", string(got[:7]), f.String())
	}
}

func TestAppendUnknownFormatIsLegacyXML(t *testing.T) {
	// Content-Type and body must agree even when a handler forgets to negotiate.
	for _, f := range []wire.Format{0, 99} {
		assert.Equal(t, "application/xml; charset=utf-8", f.ContentType())
		assert.Equal(t, `<rsp status="ok"></rsp>`, string(wire.Append(nil, f, wire.Ok, nil)))
		assert.Equal(t, `<rsp status="fail"><error><code>c</code><message>m</message></error></rsp>`,
			string(wire.AppendFail(nil, f, "c", "m")))
	}
}

func TestAppendScalarResults(t *testing.T) {
	ts := time.Date(2023, 7, 4, 9, 26, 31, 0, time.UTC)
	cases := []struct {
		v          any
		json, text string
	}{
		{"s", `"s"`, `s`},
		{wire.GUID(guid1), `"` + guid1 + `"`, guid1},
		{false, `false`, `false`},
		{-7, `-7`, `-7`},
		{int64(-9223372036854775808), `-9223372036854775808`, `-9223372036854775808`},
		{1.5e-7, `1.5e-7`, `1.5e-7`},
		{1e21, `1e+21`, `1e+21`},
		{123456.25, `123456.25`, `123456.25`},
		{math.NaN(), `null`, `NaN`},
		{math.Inf(1), `null`, `INF`},
		{math.Inf(-1), `null`, `-INF`},
		{ts, `"2023-07-04T09:26:31Z"`, `2023-07-04T09:26:31Z`},
		{time.Time{}, `"0001-01-01T00:00:00"`, `0001-01-01T00:00:00`},
		{(*wire.Object)(nil), `null`, ``},
		{wire.NewObject(0), `{}`, ``},
		{[]any{}, `[]`, ``},
		{wire.Rows{nil}, `[null]`, `<Item></Item>`},
	}
	for _, c := range cases {
		assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":`+c.json+`}}`, string(wire.Append(nil, wire.TextJSON, wire.Ok, c.v)), "%#v", c.v)
		assert.Equal(t, `<WebSdk><Rsp><Status>Ok</Status><Result>`+c.text+`</Result></Rsp></WebSdk>`,
			string(wire.Append(nil, wire.TextXML, wire.Ok, c.v)), "%#v", c.v)
	}
	// A row that is nil still occupies a row: the count stays right.
	assert.Equal(t, `<rsp status="ok"><QueryResult><Row></Row></QueryResult></rsp>`,
		string(wire.Append(nil, wire.LegacyXML, wire.Ok, wire.Rows{nil})))
}

func TestAppendNestedLegacyXML(t *testing.T) {
	// Values inside cells and properties follow the text/xml conventions.
	rows := wire.Rows{wire.NewObject(2).
		Set("Members", []string{"a", "b"}).
		Set("Owner", wire.NewObject(1).Set("Name", "x"))}
	got := wire.Append(nil, wire.LegacyXML, wire.Ok, wire.NewObject(1).Set("Report", rows))
	assert.Equal(t, `<rsp status="ok"><Report><QueryResult><Row>`+
		`<Cell name="Members"><Item>a</Item><Item>b</Item></Cell>`+
		`<Cell name="Owner"><Name>x</Name></Cell>`+
		`</Row></QueryResult></Report></rsp>`, string(got))
	parseXML(t, got)
}

func TestAppendXMLNames(t *testing.T) {
	// Keys that are not XML names still give a well-formed document.
	o := wire.NewObject(0)
	for _, k := range []string{"", "1abc", "a b", "ns:x", "naïve", "ok_Key-1.2", "<&>"} {
		o.Set(k, "v")
	}
	for _, f := range []wire.Format{wire.TextXML, wire.LegacyXML} {
		got := wire.Append(nil, f, wire.Ok, o)
		assert.Contains(t, string(got),
			`<_>v</_><_1abc>v</_1abc><a_b>v</a_b><ns_x>v</ns_x><na_ve>v</na_ve><ok_Key-1.2>v</ok_Key-1.2><____>v</____>`)
		parseXML(t, got)
	}
	// A cell's name is an attribute value: it keeps the key exactly.
	got := wire.Append(nil, wire.LegacyXML, wire.Ok, wire.Rows{wire.NewObject(1).Set(`a "b" <&>`+"\n", "v")})
	assert.Equal(t, `<rsp status="ok"><QueryResult><Row><Cell name="a &quot;b&quot; &lt;&amp;&gt;&#xA;">v</Cell></Row></QueryResult></rsp>`, string(got))
	assert.Equal(t, `a "b" <&>`+"\n", parseXML(t, got).find("Cell").attrs["name"])
}

func TestAppendPanicsOnBadTrees(t *testing.T) {
	for _, f := range allFormats {
		assert.PanicsWithValue(t, "wire: unsupported value type int32 in result tree", func() {
			wire.Append(nil, f, wire.Ok, wire.NewObject(1).Set("n", int32(1)))
		}, f.String())
		cyclic := wire.NewObject(1)
		cyclic.Set("self", cyclic)
		assert.Panics(t, func() { wire.Append(nil, f, wire.Ok, cyclic) }, f.String())
	}
}
