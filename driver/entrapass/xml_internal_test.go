package entrapass

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Golden documents in the shapes of SPEC §2 and the reference (compact,
// namespaces on the array only), and in shapes a real server may use.
const (
	goldenRows = `<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
		`<SmartLinkDataRow><item><key><string>DT</string></key><value><SmartLinkDataValue><Value>2026-01-05 09:00:01</Value></SmartLinkDataValue></value></item>` +
		`<item><key><string>ETXT</string></key><value><SmartLinkDataValue><Value>Access granted</Value></SmartLinkDataValue></value></item>` +
		`<item><key><string>P2TXT</string></key><value><SmartLinkDataValue><Value></Value></SmartLinkDataValue></value></item></SmartLinkDataRow>` +
		`<SmartLinkDataRow><item><key><string>STATUSID</string></key><value><SmartLinkDataValue><Value>7</Value></SmartLinkDataValue></value></item></SmartLinkDataRow>` +
		`</ArrayOfSmartLinkDataRow>`
	// The same, as .NET's XmlSerializer might indent it, with a declaration,
	// a self-closed empty value and an escaped character.
	prettyRows = `<?xml version="1.0" encoding="utf-8"?>
<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <SmartLinkDataRow>
    <item><key><string>DT</string></key><value><SmartLinkDataValue><Value>2026-01-05 09:00:01</Value></SmartLinkDataValue></value></item>
    <item><key><string>ETXT</string></key><value><SmartLinkDataValue><Value>Access granted</Value></SmartLinkDataValue></value></item>
    <item><key><string>P2TXT</string></key><value><SmartLinkDataValue><Value/></SmartLinkDataValue></value></item>
  </SmartLinkDataRow>
  <SmartLinkDataRow>
    <item><key><string>STATUSID</string></key><value><SmartLinkDataValue><Value>7</Value></SmartLinkDataValue></value></item>
  </SmartLinkDataRow>
</ArrayOfSmartLinkDataRow>`
	goldenFault = `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
		`<FirstLanguageErrorDescription>The SessionKey is unknown, expired or logged out. Log in again.</FirstLanguageErrorDescription>` +
		`<Message>Invalid SessionKey</Message><SecondLanguageErrorDescription>x</SecondLanguageErrorDescription>` +
		`<VisibleMessage>The SessionKey is unknown, expired or logged out. Log in again.</VisibleMessage></StandardFault>`
	goldenLight = `<ArrayOfLightComponentOfGatewaySite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
		`<LightComponentOfGatewaySite><Object>GatewaySite</Object><ID>2</ID><Description>Office</Description><Description2></Description2><Owner>1</Owner></LightComponentOfGatewaySite>` +
		`<LightComponentOfGatewaySite><Object>GatewaySite</Object><ID>3</ID><Description>Shop &amp; Co</Description><Description2></Description2><Owner>1</Owner></LightComponentOfGatewaySite>` +
		`</ArrayOfLightComponentOfGatewaySite>`
)

func TestParseRows(t *testing.T) {
	want := []Row{
		{{"DT", "2026-01-05 09:00:01"}, {"ETXT", "Access granted"}, {"P2TXT", ""}},
		{{"STATUSID", "7"}},
	}
	rows, ok := scanRows([]byte(goldenRows))
	require.True(t, ok, "the compact form is scanned")
	assert.Equal(t, want, rows)
	rows, err := decodeRows([]byte(goldenRows))
	require.NoError(t, err)
	assert.Equal(t, want, rows)

	_, ok = scanRows([]byte(prettyRows))
	assert.False(t, ok)
	rows, err = parseRows([]byte(prettyRows))
	require.NoError(t, err)
	assert.Equal(t, want, rows)

	// An entity goes to encoding/xml.
	rows, err = parseRows([]byte(`<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><key><string>P1TXT</string></key><value><SmartLinkDataValue><Value>R&amp;D &#233;</Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`))
	require.NoError(t, err)
	assert.Equal(t, []Row{{{"P1TXT", "R&D é"}}}, rows)

	for _, empty := range []string{`<ArrayOfSmartLinkDataRow xmlns:xsi="x"></ArrayOfSmartLinkDataRow>`, `<ArrayOfSmartLinkDataRow/>`, `<ArrayOfSmartLinkDataRow xmlns:xsi="x" />`} {
		rows, err := parseRows([]byte(empty))
		require.NoError(t, err, empty)
		assert.Empty(t, rows)
	}
	v, ok := want[0].Get("etxt")
	assert.True(t, ok)
	assert.Equal(t, "Access granted", v)
	_, ok = want[0].Get("NONE")
	assert.False(t, ok)
}

func TestParseRowsMalformed(t *testing.T) {
	for _, bad := range []string{
		``,
		`not xml`,
		goldenRows[:len(goldenRows)-10], // truncated
		`<ArrayOfLightComponentOfSite></ArrayOfLightComponentOfSite>`,
		`<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><value><SmartLinkDataValue><Value>1</Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
		`<ArrayOfSmartLinkDataRow></ArrayOfSmartLinkDataRow><x/>`,
		`<ArrayOfSmartLinkDataRow><SmartLinkDataRow></ArrayOfSmartLinkDataRow>`,
	} {
		_, err := parseRows([]byte(bad))
		assert.ErrorIs(t, err, ErrMalformed, "%q", bad)
	}
}

// FuzzParseRows: the scanner and encoding/xml agree wherever the scanner
// answers, and nothing panics.
func FuzzParseRows(f *testing.F) {
	f.Add([]byte(goldenRows))
	f.Add([]byte(prettyRows))
	f.Add([]byte(`<ArrayOfSmartLinkDataRow/>`))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?>` + goldenRows))
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" + goldenRows))
	f.Add([]byte(`<ArrayOfSmartLinkDataRow><SmartLinkDataRow/><SmartLinkDataRow><item><key><string>A</string></key><value><SmartLinkDataValue><Value>1</Value></SmartLinkDataValue></value></item></SmartLinkDataRow><SmartLinkDataRow/></ArrayOfSmartLinkDataRow>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, ok := scanRows(data)
		// Read in two halves at once (as a large answer is), the same rows.
		split, splitOK := scanRowsSplit(data, 0)
		if ok != splitOK || !sameRows(rows, split) {
			t.Fatalf("%q: in one go %v (%v), in two halves %v (%v)", data, rows, ok, split, splitOK)
		}
		// Into a buffer holding another answer's rows (as the driver's
		// state polls reuse theirs), the same rows again.
		var buf RowBuffer
		if _, ok := scanRowsInto(stateRowsDoc(7), 0, &buf); !ok {
			t.Fatal("the seed answer does not scan")
		}
		into, intoOK := scanRowsInto(data, 0, &buf)
		if ok != intoOK || !sameRows(rows, into) {
			t.Fatalf("%q: in one go %v (%v), into a used buffer %v (%v)", data, rows, ok, into, intoOK)
		}
		drows, err := decodeRows(data)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("scanned %q but encoding/xml refuses it: %v", data, err)
		}
		if len(rows) != len(drows) {
			t.Fatalf("%q: scan %v, decode %v", data, rows, drows)
		}
		for i := range rows {
			if len(rows[i]) != len(drows[i]) {
				t.Fatalf("%q: scan %v, decode %v", data, rows, drows)
			}
			for j := range rows[i] {
				if rows[i][j] != drows[i][j] {
					t.Fatalf("%q: scan %v, decode %v", data, rows, drows)
				}
			}
		}
	})
}

// sameRows compares rows item by item (an empty row may be nil or not).
func sameRows(a, b []Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func TestParseFault(t *testing.T) {
	f, ok := parseFault([]byte(goldenFault))
	require.True(t, ok)
	assert.Equal(t, "Invalid SessionKey", f.Code)
	assert.Equal(t, "The SessionKey is unknown, expired or logged out. Log in again.", f.Message)
	assert.True(t, errors.Is(f, ErrSessionExpired))
	assert.False(t, errors.Is(f, ErrBadLogin))

	for code, target := range map[string]error{"Error Login": ErrBadLogin, "SMARTLINK_UNKNOWN_WEB_SDK_ID": ErrLicence, "Error 72": ErrSessionLimit} {
		assert.ErrorIs(t, &Fault{Code: code}, target)
		assert.NotErrorIs(t, &Fault{Code: code}, ErrSessionExpired)
	}
	_, ok = parseFault([]byte(goldenRows))
	assert.False(t, ok)
	_, ok = parseFault([]byte(`<Card><CardInfo1>StandardFault</CardInfo1></Card>`))
	assert.False(t, ok)
}

func TestParseLight(t *testing.T) {
	l, err := parseLight([]byte(goldenLight))
	require.NoError(t, err)
	assert.Equal(t, []Light{
		{Object: "GatewaySite", ID: 2, Description: "Office", Owner: 1},
		{Object: "GatewaySite", ID: 3, Description: "Shop & Co", Owner: 1},
	}, l)
	// Children with other names are read by position, as the Airflow
	// client does ([1] ID, [2] Description, [4] Owner), with a WCF suffix.
	l, err = parseLight([]byte(`<ArrayOfLightComponentOfRelay_PSiM4RF8><LightComponentOfRelay_PSiM4RF8><a>Relay</a><b>70</b><c>Buzzer</c><d/><e>2</e></LightComponentOfRelay_PSiM4RF8></ArrayOfLightComponentOfRelay_PSiM4RF8>`))
	require.NoError(t, err)
	assert.Equal(t, []Light{{ID: 70, Description: "Buzzer", Owner: 2}}, l)
	_, err = parseLight([]byte(`<ArrayOfLightComponentOfRelay><LightComponentOfRelay><ID>x</ID></LightComponentOfRelay></ArrayOfLightComponentOfRelay>`))
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = parseLight([]byte(`<Operator/>`))
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2026-01-05 09:00:01", "2026-01-05  09:00:01", " 2026-01-05T09:00:01 "} {
		tm, ok := parseTime(s)
		require.True(t, ok, s)
		assert.Equal(t, "2026-01-05T09:00:01Z", tm.Format("2006-01-02T15:04:05Z07:00"))
	}
	for _, bad := range []string{"yesterday", "2026-02-30 09:00:00", "2026-13-01 09:00:00", "2026-01-05 24:00:00", ""} {
		_, ok := parseTime(bad)
		assert.False(t, ok, bad)
	}
}

// stateRowsDoc is a state answer of n rows of three kinds, as SmartService
// writes it.
func stateRowsDoc(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`)
	item := func(k, v string) {
		fmt.Fprintf(&b, "<item><key><string>%s</string></key><value><SmartLinkDataValue><Value>%s</Value></SmartLinkDataValue></value></item>", k, v)
	}
	for i := range n {
		b.WriteString("<SmartLinkDataRow>")
		item("STATUSID", "4711")
		item("UNIQUEID", strconv.Itoa(1000+i))
		item("CONTROLLEREXIST", "1")
		item("CONTROLLERFAILURE", "0")
		switch i % 3 {
		case 0:
			item("DOOREXIST", "1")
			item("OPENSTATE", "CLOSE")
			item("LOCKSTATE", "LOCK")
		case 1:
			item("INPUTEXIST", "1")
			item("STATE", strconv.Itoa(i%2))
		}
		b.WriteString("</SmartLinkDataRow>")
	}
	b.WriteString("</ArrayOfSmartLinkDataRow>")
	return b.Bytes()
}

// TestScanRowsInTwoHalves: a large answer read in two halves at once gives
// the rows encoding/xml gives, in order; and the rows keep no reference to
// the answer's bytes, whose buffer serves the next answer.
func TestScanRowsInTwoHalves(t *testing.T) {
	doc := stateRowsDoc(3001)
	require.Greater(t, len(doc), 1<<20, "large enough to be split by scanRows itself")
	want, err := decodeRows(doc)
	require.NoError(t, err)
	for _, split := range []int{0, parallelScan, len(doc) + 1} {
		rows, ok := scanRowsSplit(doc, split)
		require.True(t, ok, "split %d", split)
		require.True(t, sameRows(want, rows), "split %d", split)
	}
	rows, err := parseRows(doc)
	require.NoError(t, err)
	for i := range doc {
		doc[i] = 'x'
	}
	require.True(t, sameRows(want, rows), "the rows do not alias the answer")
	assert.Equal(t, "1000", rows[0].Value("UNIQUEID"))
	assert.Equal(t, "LOCK", rows[3000].Value("LOCKSTATE"))

	// A split inside a row (the row open tag as a value cannot be, but a
	// broken answer may put it anywhere) falls back to one go.
	broken := stateRowsDoc(3001)
	i := bytes.Index(broken[len(broken)/2:], []byte(rowOpen)) + len(broken)/2
	broken = slices.Concat(broken[:i], []byte("<item>"), broken[i:])
	_, ok := scanRowsSplit(broken, 0)
	assert.False(t, ok)
}
