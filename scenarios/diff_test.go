package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// diffRows builds an ArrayOfSmartLinkDataRow of n rows with the given keys.
func diffRowsDoc(n int, keys ...string) string {
	var b strings.Builder
	b.WriteString(`<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`)
	for i := 0; i < n; i++ {
		b.WriteString("<SmartLinkDataRow>")
		for _, k := range keys {
			b.WriteString("<item><key><string>" + k + "</string></key><value><SmartLinkDataValue><Value>v" +
				strings.Repeat("x", i) + "</Value></SmartLinkDataValue></value></item>")
		}
		b.WriteString("</SmartLinkDataRow>")
	}
	b.WriteString("</ArrayOfSmartLinkDataRow>")
	return b.String()
}

func diffResp(status int, ctype, body string) *Response {
	r := &Response{Status: status, Body: body}
	if ctype != "" {
		r.Header = map[string][]string{"Content-Type": {ctype}}
	}
	return r
}

func TestDiff(t *testing.T) {
	event := []string{"DT", "UDT", "ETXT", "P1TXT", "P2TXT", "P3TXT", "P4TXT", "CL", "CLT", "VVIEW"}
	for _, tc := range []struct {
		name           string
		recorded, live *Response
		want           []Difference
	}{
		{"identical", diffResp(200, "", "<int>1</int>"), diffResp(200, "", "<int>2</int>"), nil},
		{"status", diffResp(200, "", ""), diffResp(500, "", ""),
			[]Difference{{Where: "status", Kind: "status", Want: "200", Got: "500"}}},
		{"values never matter", diffResp(200, "", `<Operator><SessionKey>a</SessionKey><UTCDateTime>2026-01-05 09:00:00</UTCDateTime></Operator>`),
			diffResp(200, "", `<Operator><SessionKey>b</SessionKey><UTCDateTime>2027-02-06 10:11:12</UTCDateTime></Operator>`), nil},
		{"an element missing and one extra", diffResp(200, "", `<Operator><SessionKey>a</SessionKey><PINLength>5</PINLength></Operator>`),
			diffResp(200, "", `<Operator><SessionKey>a</SessionKey><HidePin>True</HidePin></Operator>`),
			[]Difference{
				{Where: "body: /Operator/PINLength", Kind: "missing", Want: "present", Got: "absent"},
				{Where: "body: /Operator/HidePin", Kind: "extra", Want: "absent", Got: "present"},
			}},
		{"another root: a fault where an answer was", diffResp(200, "", `<Operator><SessionKey>a</SessionKey></Operator>`),
			diffResp(200, "", `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK"><Message>Error Login</Message></StandardFault>`),
			[]Difference{
				{Where: "body: /Operator", Kind: "missing", Want: "present", Got: "absent"},
				{Where: "body: /StandardFault", Kind: "extra", Want: "absent", Got: "present"},
			}},
		{"12 rows against 3", diffResp(200, "", diffRowsDoc(12, event...)), diffResp(200, "", diffRowsDoc(3, event...)), nil},
		{"no rows against some", diffResp(200, "", diffRowsDoc(0, event...)), diffResp(200, "", diffRowsDoc(3, event...)), nil},
		{"a row shape", diffResp(200, "", diffRowsDoc(12, event...)), diffResp(200, "", diffRowsDoc(3, append([]string{"ID"}, event[:9]...)...)),
			[]Difference{
				{Where: "body: /ArrayOfSmartLinkDataRow/SmartLinkDataRow/VVIEW", Kind: "rows", Want: "present", Got: "absent"},
				{Where: "body: /ArrayOfSmartLinkDataRow/SmartLinkDataRow/ID", Kind: "rows", Want: "absent", Got: "present"},
			}},
		{"a single row is a row", diffResp(200, "", diffRowsDoc(1, "ETXT")), diffResp(200, "", diffRowsDoc(1, "ETXT", "P1TXT")),
			[]Difference{{Where: "body: /ArrayOfSmartLinkDataRow/SmartLinkDataRow/P1TXT", Kind: "rows", Want: "absent", Got: "present"}}},
		{"JSON values and key order never matter", diffResp(200, "text/json", `{"Rsp":{"Status":"Ok","Result":{"Guid":"a","Name":"x"}}}`),
			diffResp(200, "text/json", `{"Rsp":{"Result":{"Name":"y","Guid":"b"},"Status":"Ok"}}`), nil},
		{"JSON keys and types", diffResp(200, "text/json", `{"Rsp":{"Status":"Ok","Result":{"Guid":"a","Name":"x","LogicalId":1}}}`),
			diffResp(200, "text/json", `{"Rsp":{"Status":"Ok","Result":{"Guid":"a","LogicalId":"1","Extra":[]}}}`),
			[]Difference{
				{Where: "body: Rsp.Result.Name", Kind: "missing", Want: "string", Got: "absent"},
				{Where: "body: Rsp.Result.LogicalId", Kind: "type", Want: "number", Got: "string"},
				{Where: "body: Rsp.Result.Extra", Kind: "extra", Want: "absent", Got: "array"},
			}},
		{"JSON null matches any type", diffResp(200, "", `{"Picture":null,"Departure":"2026-01-05T17:00:00Z"}`),
			diffResp(200, "", `{"Picture":"AAAA","Departure":null}`), nil},
		{"JSON arrays: the union of their items' keys", diffResp(200, "", `{"Result":[{"Guid":"a"},{"Guid":"b","Name":"n"}]}`),
			diffResp(200, "", `{"Result":[{"Guid":"c"}]}`),
			[]Difference{{Where: "body: Result[].Name", Kind: "missing", Want: "string", Got: "absent"}}},
		{"JSON empty array matches any", diffResp(200, "", `{"Result":[{"Guid":"a"}]}`), diffResp(200, "", `{"Result":[]}`), nil},
		{"XML against JSON", diffResp(200, "", `<rsp status="ok"/>`), diffResp(200, "", `{"Rsp":{"Status":"Ok"}}`),
			[]Difference{{Where: "body", Kind: "type", Want: "XML", Got: "JSON"}}},
		{"a body against none", diffResp(200, "", `<int>1</int>`), diffResp(200, "", ""),
			[]Difference{{Where: "body", Kind: "missing", Want: "XML", Got: "empty"}}},
		{"other bodies: content types", diffResp(200, "text/plain; charset=utf-8", "hello"), diffResp(200, "text/html", "<p>hello"),
			[]Difference{{Where: "content type", Kind: "type", Want: "text/plain", Got: "text/html"}}},
		{"other bodies with the same content type", diffResp(200, "text/plain", "hello"), diffResp(200, "text/plain; charset=utf-8", "bye"), nil},
		{"legacy cells", diffResp(200, "", `<rsp status="ok"><QueryResult><Row><Cell name="Guid">a</Cell></Row><Row><Cell name="Guid">b</Cell></Row></QueryResult></rsp>`),
			diffResp(200, "", `<rsp status="ok"><QueryResult><Row><Cell name="Id">a</Cell></Row></QueryResult></rsp>`),
			[]Difference{
				{Where: "body: /rsp/QueryResult/Row/Guid", Kind: "rows", Want: "present", Got: "absent"},
				{Where: "body: /rsp/QueryResult/Row/Id", Kind: "rows", Want: "absent", Got: "present"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Diff(SystemEntraPass, tc.recorded, tc.live))
		})
	}
}

func TestDiffStream(t *testing.T) {
	rec := &Response{Status: 200, Chunks: []Chunk{{Data: "ConnectionId:a\r\n"}, {Data: "KeepAlive\r\n"}}}
	live := &Response{Status: 200, Chunks: []Chunk{{Data: "ConnectionId:b\r\n"}}}
	assert.Empty(t, Diff(SystemGenetec, rec, live), "a stream is no XML or JSON: only its content type counts")
}
