package wire_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

func grantedEvent() *wire.Event {
	return &wire.Event{
		EventType:      "AccessGranted",
		EventTypeID:    35,
		SourceGuid:     "src-guid",
		Timestamp:      time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		CardholderGuid: "holder-guid",
		CredentialGuid: "cred-guid",
		DoorGuid:       "door-guid",
		ReaderGuid:     "reader-guid",
		AreaGuid:       "area-guid",
	}
}

func TestAppendEventPart(t *testing.T) {
	const fieldsJSON = `{"EventType":"AccessGranted","EventTypeId":35,"SourceGuid":"src-guid","Timestamp":"2026-01-05T09:00:00Z",` +
		`"CardholderGuid":"holder-guid","CredentialGuid":"cred-guid","DoorGuid":"door-guid","ReaderGuid":"reader-guid","AreaGuid":"area-guid"}`
	const fieldsXML = `<EventType>AccessGranted</EventType><EventTypeId>35</EventTypeId><SourceGuid>src-guid</SourceGuid>` +
		`<Timestamp>2026-01-05T09:00:00Z</Timestamp><CardholderGuid>holder-guid</CardholderGuid><CredentialGuid>cred-guid</CredentialGuid>` +
		`<DoorGuid>door-guid</DoorGuid><ReaderGuid>reader-guid</ReaderGuid><AreaGuid>area-guid</AreaGuid>`
	want := map[wire.Format]string{
		wire.TextJSON: "--GENETECBOUNDARY\r\nContent-type: text/json\r\n" +
			`{"Rsp":{"Status":"Ok","Result":` + fieldsJSON + `}}` + "\r\n",
		wire.TextXML: "--GENETECBOUNDARY\r\nContent-type: text/xml\r\n" +
			`<WebSdk><Rsp><Status>Ok</Status><Result>` + fieldsXML + `</Result></Rsp></WebSdk>` + "\r\n",
		wire.LegacyXML: "--GENETECBOUNDARY\r\nContent-type: application/xml\r\n" +
			`<event>` + fieldsXML + `</event>` + "\r\n",
		wire.LegacyJSON: "--GENETECBOUNDARY\r\nContent-type: application/jsonrequest\r\n" +
			`{"event":` + fieldsJSON + `}` + "\r\n",
	}
	for _, f := range allFormats {
		got := wire.AppendEventPart(nil, f, grantedEvent())
		assert.Equal(t, want[f], string(got), f.String())
		checkPart(t, f, got)
	}
}

func TestAppendEventPartOmitsEmptyFields(t *testing.T) {
	e := &wire.Event{
		EventType:   "AccessRefused",
		EventTypeID: 36, // any id; this package does not know the catalogue
		SourceGuid:  "src-guid",
		Timestamp:   time.Date(2026, 1, 5, 9, 0, 0, 250_000_000, time.UTC),
		ReaderGuid:  "reader-guid",
		Reason:      "UnknownCredential",
		Card:        "200:2001",
	}
	got := wire.AppendEventPart(nil, wire.TextJSON, e)
	assert.Equal(t, "--GENETECBOUNDARY\r\nContent-type: text/json\r\n"+
		`{"Rsp":{"Status":"Ok","Result":{"EventType":"AccessRefused","EventTypeId":36,"SourceGuid":"src-guid",`+
		`"Timestamp":"2026-01-05T09:00:00.25Z","ReaderGuid":"reader-guid","Reason":"UnknownCredential","Card":"200:2001"}}}`+"\r\n",
		string(got))

	got = wire.AppendEventPart(nil, wire.LegacyXML, e)
	assert.Equal(t, "--GENETECBOUNDARY\r\nContent-type: application/xml\r\n"+
		`<event><EventType>AccessRefused</EventType><EventTypeId>36</EventTypeId><SourceGuid>src-guid</SourceGuid>`+
		`<Timestamp>2026-01-05T09:00:00.25Z</Timestamp><ReaderGuid>reader-guid</ReaderGuid>`+
		`<Reason>UnknownCredential</Reason><Card>200:2001</Card></event>`+"\r\n",
		string(got))

	// Even the leading string fields go when empty; the number and the time stay.
	bare := &wire.Event{}
	assert.Equal(t, "--GENETECBOUNDARY\r\nContent-type: application/jsonrequest\r\n"+
		`{"event":{"EventTypeId":0,"Timestamp":"0001-01-01T00:00:00"}}`+"\r\n",
		string(wire.AppendEventPart(nil, wire.LegacyJSON, bare)))
	assert.Equal(t, "--GENETECBOUNDARY\r\nContent-type: text/xml\r\n"+
		`<WebSdk><Rsp><Status>Ok</Status><Result><EventTypeId>0</EventTypeId><Timestamp>0001-01-01T00:00:00</Timestamp></Result></Rsp></WebSdk>`+"\r\n",
		string(wire.AppendEventPart(nil, wire.TextXML, bare)))
}

func TestAppendEventPartHostileFieldsStayOneLine(t *testing.T) {
	e := &wire.Event{EventType: hostile, SourceGuid: hostile, Reason: "a\r\n--GENETECBOUNDARY\r\nb", Card: hostile}
	for _, f := range allFormats {
		got := wire.AppendEventPart(nil, f, e)
		checkPart(t, f, got)
	}
}

// checkPart checks the framing of one part and that its data line parses.
func checkPart(t *testing.T, f wire.Format, part []byte) {
	t.Helper()
	lines := strings.Split(string(part), "\r\n")
	require.Len(t, lines, 4, "a part is three CRLF-terminated lines: %q", part)
	assert.Equal(t, wire.Boundary, lines[0])
	assert.Equal(t, "Content-type: "+f.String(), lines[1])
	assert.Empty(t, lines[3])
	data := []byte(lines[2])
	assert.NotContains(t, lines[2], "\n")
	assert.NotContains(t, lines[2], "\r")
	if isJSON(f) {
		decodeJSON(t, data)
	} else {
		parseXML(t, data)
	}
}

func TestAppendConnectionID(t *testing.T) {
	assert.Equal(t, "ConnectionId:"+guid1+"\r\n", string(wire.AppendConnectionID(nil, guid1)))
	assert.Equal(t, "x ConnectionId:abc\r\n", string(wire.AppendConnectionID([]byte("x "), "a\r\nb\nc")))
	assert.Equal(t, "KeepAlive\r\n", wire.KeepAlive)
	assert.Equal(t, "--GENETECBOUNDARY", wire.Boundary)
}

func TestAppendEventPartDoesNotAllocate(t *testing.T) {
	e := grantedEvent()
	e.Timestamp = time.Date(2026, 1, 5, 9, 0, 0, 123_400_000, time.FixedZone("", 3600))
	e.Reason, e.Card = "UnknownCredential", `200:2001 <"&>`
	for _, f := range allFormats {
		buf := make([]byte, 0, 4096)
		allocs := testing.AllocsPerRun(1000, func() {
			buf = wire.AppendEventPart(buf[:0], f, e)
		})
		assert.LessOrEqual(t, allocs, 0.0, f.String())
	}
}

func BenchmarkAppendEventPart(b *testing.B) {
	e := grantedEvent()
	e.Timestamp = time.Date(2026, 1, 5, 9, 0, 0, 123_400_000, time.UTC)
	for _, f := range allFormats {
		b.Run(strings.ReplaceAll(f.String(), "/", "_"), func(b *testing.B) {
			buf := make([]byte, 0, 4096)
			b.SetBytes(int64(len(wire.AppendEventPart(nil, f, e))))
			b.ReportAllocs()
			for b.Loop() {
				buf = wire.AppendEventPart(buf[:0], f, e)
			}
			if !bytes.HasSuffix(buf, []byte("\r\n")) {
				b.Fatal("bad part")
			}
		})
	}
}
