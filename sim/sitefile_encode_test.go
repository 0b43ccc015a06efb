package sim

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// marshalWhole is Marshal as first written: the whole file to the YAML
// encoder at once. Encode, key by key and chunk by chunk, must give its
// bytes.
func marshalWhole(t *testing.T, sf *SiteFile) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(sf); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeWritesWhatTheWholeEncoderWrites(t *testing.T) {
	sites := map[string]*SiteFile{"default": DefaultSite()}
	for _, o := range []GenerateOptions{
		{Doors: 8, Users: 50, Seed: 1},
		{Doors: 1, Users: 0, Seed: 2},
		{Doors: 300, Users: 400, Seed: 3}, // users in chunks
	} {
		sf, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		sites[sf.Name] = sf
	}
	// Text YAML must quote, fold or block, at every depth, and the
	// optional top-level keys set.
	odd := DefaultSite()
	odd.Start, odd.JournalRetention = "2026-02-03 04:05:06", 77
	odd.Name = "line one\nline two"
	odd.Gateways[0].Name = "key: value # not a comment"
	odd.Gateways[0].Sites[0].Name = strings.Repeat("a long name that goes past eighty columns ", 4)
	odd.Users[0].Name = "  leading spaces, 'quotes' and \"double\""
	odd.Users[1].Name = "Zoë Ñúñez — 東京"
	odd.Users[2].Email = "- looks: like yaml"
	big := *odd
	// Marshal does not validate: repeated elements make long lists.
	big.Users = slices.Repeat(odd.Users, 4)
	big.Gateways = slices.Repeat(odd.Gateways, 30)
	big.AccessLevels = slices.Repeat(odd.AccessLevels, 40)
	sites["odd"], sites["odd, in chunks"] = odd, &big
	// Every key empty or omitted but the required ones.
	sites["bare"] = &SiteFile{Version: 1, Name: "bare"}
	for name, sf := range sites {
		want := marshalWhole(t, sf)
		got, err := sf.Marshal()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Marshal differs from the whole encoder:\n%s", name, firstLineDiff(want, got))
		}
	}
	if len(sites) < 7 {
		t.Fatalf("only %d sites compared", len(sites))
	}
}

func firstLineDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return string(la[i]) + "\n" + string(lb[i])
		}
	}
	return "lengths differ"
}
