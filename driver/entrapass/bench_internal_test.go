package entrapass

import (
	"fmt"
	"strings"
	"testing"
)

// eventsDoc is an Events answer of n access rows in SmartService's compact form.
func eventsDoc(n int) []byte {
	var b strings.Builder
	b.WriteString(`<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`)
	item := func(k, v string) {
		fmt.Fprintf(&b, "<item><key><string>%s</string></key><value><SmartLinkDataValue><Value>%s</Value></SmartLinkDataValue></value></item>", k, v)
	}
	for i := 0; i < n; i++ {
		ts := fmt.Sprintf("2026-01-05 09:%02d:%02d", i/60%60, i%60)
		b.WriteString("<SmartLinkDataRow>")
		item("DT", ts)
		item("UDT", ts)
		item("ETXT", "Access granted")
		item("P1TXT", "Front Door")
		item("P2TXT", "Alice Martin")
		item("P3TXT", "100:1001")
		item("P4TXT", "Front Door entry")
		item("CL", "32768")
		item("CLT", "1")
		item("VVIEW", "0")
		b.WriteString("</SmartLinkDataRow>")
	}
	b.WriteString("</ArrayOfSmartLinkDataRow>")
	return []byte(b.String())
}

// BenchmarkParseEvents: the driver's parse of a full Events answer (1000
// rows) into events, the driver-side stage of the event path.
func BenchmarkParseEvents(b *testing.B) {
	doc := eventsDoc(1000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := parseRows(doc)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			_ = eventOf(r)
		}
	}
}

// BenchmarkDecodeEvents is the same through encoding/xml (the fallback), for
// comparison.
func BenchmarkDecodeEvents(b *testing.B) {
	doc := eventsDoc(1000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeRows(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEventsDocParses(t *testing.T) {
	doc := eventsDoc(3)
	rows, ok := scanRows(doc)
	if !ok || len(rows) != 3 {
		t.Fatalf("scan: %v %d", ok, len(rows))
	}
	e := eventOf(rows[2])
	if e.Text != "Access granted" || e.P3 != "100:1001" || e.Time.IsZero() {
		t.Fatalf("%+v", e)
	}
}
