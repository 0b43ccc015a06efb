package entrapass

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventsByRows is what parseEvents must give: parseRows, then eventOf.
func eventsByRows(data []byte) ([]Event, error) {
	rows, err := parseRows(data)
	if err != nil {
		return nil, err
	}
	evs := make([]Event, len(rows))
	for i, r := range rows {
		evs[i] = eventOf(r)
	}
	return evs, nil
}

// checkEvents checks parseEvents against eventsByRows on data, and that the
// scanner accepts only what scanRows accepts.
func checkEvents(t *testing.T, data []byte) (scanned bool) {
	t.Helper()
	want, werr := eventsByRows(data)
	got, err := parseEvents(data)
	if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("%q: parseEvents error %v, by rows %v", data, err, werr)
	}
	if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\nparseEvents %+v\nby rows     %+v", data, got, want)
	}
	_, scanned = scanEvents(data)
	if _, rowsOK := scanRows(data); scanned && !rowsOK {
		t.Fatalf("%q: scanEvents accepts what scanRows refuses", data)
	}
	return scanned
}

func eventItem(k, v string) string {
	return itemOpen + k + itemMid + v + itemClose
}

func TestParseEvents(t *testing.T) {
	doc := eventsDoc(70)
	require.True(t, checkEvents(t, doc), "the compact form is scanned")
	evs, err := parseEvents(doc)
	require.NoError(t, err)
	require.Len(t, evs, 70)
	assert.Equal(t, "Access granted", evs[69].Text)
	assert.Equal(t, "2026-01-05T09:01:09Z", evs[69].Time.Format("2006-01-02T15:04:05Z07:00"))

	head := `<ArrayOfSmartLinkDataRow xmlns:xsi="x">`
	row := func(items ...string) string { return rowOpen + strings.Join(items, "") + rowClose }
	full := row(eventItem("DT", "2026-01-05 10:00:00"), eventItem("UDT", "2026-01-05 09:00:00"), eventItem("ETXT", "Access granted"),
		eventItem("P1TXT", "Front Door"), eventItem("P2TXT", "Alice Martin"), eventItem("P3TXT", "100:1001"),
		eventItem("P4TXT", "Front Door entry"), eventItem("CL", "32768"), eventItem("CLT", "1"), eventItem("VVIEW", "0"))
	for _, c := range []struct {
		doc     string
		scanned bool
	}{
		{goldenRows, true},
		{prettyRows, false},
		{head + full + full + rowsClose, true},
		{head + rowEmpty + full + rowsClose, true},
		{head + rowOpen + rowClose + rowsClose, true},
		{`<ArrayOfSmartLinkDataRow/>`, true},
		{head + rowsClose + "  \n", true},
		// Values trimmed, the first of a repeated key kept, unknown keys
		// skipped, a second date read.
		{head + row(eventItem("UDT", "  2026-01-05 09:00:00 "), eventItem("UDT", "2026-01-05 09:00:07"), eventItem("EXTRA", "x"),
			eventItem("ETXT", "Door opened"), eventItem("DT", "2026-01-05  09:00:00")) + full + rowsClose, true},
		// Unreadable and other forms of dates.
		{head + row(eventItem("UDT", "yesterday"), eventItem("DT", "2026-01-05T09:00:01")) + full + rowsClose, true},
		// Keys that differ from an event key by case only: rows decide.
		{head + row(eventItem("etxt", "lower"), eventItem("ETXT", "Access granted")) + rowsClose, false},
		{head + row(eventItem("p1txt", "Front Door")) + rowsClose, false},
		// Entities, markup that is not compact, malformed documents.
		{head + row(eventItem("P1TXT", "R&amp;D")) + rowsClose, false},
		{head + row(eventItem("P1TXT", "a"), " ") + rowsClose, false},
		{head + full, false},
		{head + full + rowsClose + "<x/>", false},
		{"", false},
		{"<ArrayOfSmartLinkDataRow>" + rowOpen + itemOpen + "DT" + itemMid + "x", false},
	} {
		assert.Equal(t, c.scanned, checkEvents(t, []byte(c.doc)), "%q", c.doc)
	}
}

// The string cache gives equal strings for equal bytes, whatever shares a
// slot.
func TestStringCache(t *testing.T) {
	var c stringCache
	vals := []string{"", "a", "CL", "2026-01-05 09:00:00", "2026-01-05 09:00:01", "Front Door", "Front Door entry", "12345678", "x\x00y"}
	for i := 0; i < 200; i++ {
		for _, v := range vals {
			require.Equal(t, v, c.get([]byte(v)))
		}
		vals = append(vals, strings.Repeat("k", i))
	}
}

// FuzzParseEvents: parseEvents gives what parseRows and eventOf give, and
// the scanner accepts nothing scanRows refuses.
func FuzzParseEvents(f *testing.F) {
	f.Add(eventsDoc(3))
	f.Add([]byte(goldenRows))
	f.Add([]byte(prettyRows))
	f.Add([]byte(`<ArrayOfSmartLinkDataRow/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkEvents(t, data)
	})
}

// mayBeFault answers false only for documents parseFault refuses, and
// reads only the document element's name when the prolog is plain.
func TestMayBeFault(t *testing.T) {
	rows := string(eventsDoc(2))
	for _, c := range []struct {
		doc   string
		maybe bool
	}{
		{goldenFault, true},
		{`<?xml version="1.0" encoding="utf-8"?>` + "\r\n " + goldenFault, true},
		{`<?xml version="1.0"?><?pi x?>` + goldenFault, true},
		{`<s:StandardFault xmlns:s="x"><Message>Invalid SessionKey</Message></s:StandardFault>`, true},
		{`<StandardFault/>`, true},
		{`<!-- a comment -->` + goldenFault, true},
		{`<!DOCTYPE x>` + goldenFault, true},
		{"\ufeff" + goldenFault, true},
		{`<?xml version="1.0"` + goldenFault, true}, // unterminated: searched
		{rows, false},
		{`<?xml version="1.0"?>` + rows, false},
		// A row that says StandardFault is not a fault.
		{strings.Replace(rows, "Front Door", "StandardFault", 1), false},
		{`<!-- StandardFault -->` + rows, true},
		{`<Operator><Name>StandardFault</Name></Operator>`, false},
		{``, false},
	} {
		assert.Equal(t, c.maybe, mayBeFault([]byte(c.doc)), "%q", c.doc)
		if !c.maybe {
			_, ok := parseFault([]byte(c.doc))
			assert.False(t, ok)
		}
	}
	f, ok := parseFault([]byte(`<?xml version="1.0" encoding="utf-8"?>` + goldenFault))
	require.True(t, ok)
	assert.Equal(t, "Invalid SessionKey", f.Code)
}

// FuzzMayBeFault: wherever the old test (the name anywhere) and parseDoc
// find a StandardFault, mayBeFault lets it through.
func FuzzMayBeFault(f *testing.F) {
	f.Add([]byte(goldenFault))
	f.Add([]byte(`<?xml version="1.0"?>` + goldenFault))
	f.Add([]byte(goldenRows))
	f.Fuzz(func(t *testing.T, data []byte) {
		if mayBeFault(data) {
			return
		}
		if root, err := parseDoc(data); err == nil && root.name == "StandardFault" {
			t.Fatalf("%q is a StandardFault", data)
		}
	})
}
