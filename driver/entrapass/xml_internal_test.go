package entrapass

import (
	"errors"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, ok := scanRows(data)
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
