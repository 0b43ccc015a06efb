package sim

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// readWhole is the whole reading of a YAML site file, before validation.
func readWhole(data []byte) (*SiteFile, error) { return readYAML(data) }

// sameAsWhole fails t unless reading data by sections, in chunks of size
// bytes, reads what the whole reading does or leaves data to it.
func sameAsWhole(t *testing.T, data []byte, size int) (sectioned bool) {
	t.Helper()
	got, ok := parseSections(data, size)
	if !ok {
		return false
	}
	want, err := readWhole(data)
	if err != nil {
		t.Fatalf("read by sections, but the whole reading fails: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := got.Marshal()
		b, _ := want.Marshal()
		t.Fatalf("read by sections, it differs from the whole reading:\n%s", firstLineDiff(b, a))
	}
	return true
}

func TestSectionsReadWhatTheWholeReads(t *testing.T) {
	odd := DefaultSite()
	odd.Name = "line one\nline two"
	odd.Users[0].Name = "  leading spaces, 'quotes' and \"double\""
	odd.Users[1].Name = "Zoë — 東京\n- looks: like an item"
	odd.Users[2].Email = "- looks: like yaml"
	oddYAML, err := odd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := Generate(GenerateOptions{Doors: 40, Users: 300, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	genYAML, err := gen.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultSiteYAML()
	inputs := map[string][]byte{
		"default":   def,
		"odd":       oddYAML,
		"generated": genYAML,
		// Items as indented as their key, comments between them,
		// Windows line ends.
		"flush items": flushUsers(genYAML),
		"crlf":        bytes.ReplaceAll(genYAML, []byte("\n"), []byte("\r\n")),
	}
	for name, data := range inputs {
		for _, size := range []int{1, 64, 4096, 1 << 20} {
			if !sameAsWhole(t, data, size) {
				t.Errorf("%s, chunks of %d: left to the whole reading", name, size)
			}
		}
	}
	// Read in chunks indeed: the generated users span many.
	secs, _ := splitSections(genYAML)
	n := 0
	for _, s := range secs {
		_, parts, _ := chunks(s, 4096)
		n += len(parts)
	}
	if n < 2*len(secs) {
		t.Fatalf("%d sections made only %d documents", len(secs), n)
	}
}

// What sections cannot read exactly is left to the whole reading, whose
// answer (here an error) stands.
func TestSectionsLeaveToTheWholeReading(t *testing.T) {
	base := string(DefaultSiteYAML())
	users := strings.Index(base, "\nusers:\n") + 1
	for name, data := range map[string]string{
		"document marker":     "---\n" + base,
		"second document":     base + "---\nversion: 1\n",
		"directive":           "%YAML 1.2\n---\n" + base,
		"key given twice":     base + "name: again\n",
		"merge key":           "<<: {name: merged}\n" + base,
		"tab indent":          strings.Replace(base, "\n  - id: 20", "\n\t- id: 20", 1),
		"alias across chunks": base[:users] + "x_anchor: &a Front\n" + base[users:] + "\nalias_user: *a\n",
		"quote cut at an item": base[:users] + "users:\n  - id: 900\n    name: \"open\n  - id: 901\n    name: close\"\n" +
			base[strings.Index(base, "\nentrapass:")+1:],
		"alias within a chunk": strings.Replace(strings.Replace(base, "name: Alice Martin", "name: &alice Alice Martin", 1),
			"email: alice.martin@example.com", "email: *alice", 1),
		"less indented line": base[:users] + "users:\n  - id: 900\n name: x\n" + base[strings.Index(base, "\nentrapass:")+1:],
	} {
		if sameAsWhole(t, []byte(data), 16) {
			t.Errorf("%s: read by sections", name)
		}
		// Tried by sections first, the reading answers as the whole
		// reading does, an error or a site.
		want, werr := readWhole([]byte(data))
		if werr == nil {
			werr = want.Validate()
		}
		got, gerr := parseSiteFileFrom([]byte(data), false, 0)
		switch {
		case (werr == nil) != (gerr == nil):
			t.Errorf("%s: ParseSiteFile: %v, the whole reading: %v", name, gerr, werr)
		case werr != nil && werr.Error() != gerr.Error():
			t.Errorf("%s: ParseSiteFile: %v, the whole reading: %v", name, gerr, werr)
		case werr == nil && !reflect.DeepEqual(got, want):
			t.Errorf("%s: ParseSiteFile read another site than the whole reading", name)
		}
	}
}

func FuzzParseSections(f *testing.F) {
	f.Add(DefaultSiteYAML(), 64)
	f.Add([]byte("version: 1\nname: x\nusers:\n  - id: 1\n    name: a\n  - id: 2\n    name: b\n"), 8)
	f.Add([]byte("version: 1\nusers:\n- id: 1\n- &a {id: 2}\n- *a\n"), 4)
	f.Add([]byte("name: 'a\nb'\nversion: 1\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		if size < 1 || size > 1<<16 {
			return
		}
		sameAsWhole(t, data, size)
	})
}

// flushUsers writes data's users as indented as their key, a comment before
// each.
func flushUsers(data []byte) []byte {
	from := bytes.Index(data, []byte("\nusers:\n")) + len("\nusers:\n")
	to := bytes.Index(data, []byte("\nentrapass:")) + 1
	var b bytes.Buffer
	b.Write(data[:from])
	for _, line := range strings.SplitAfter(string(data[from:to]), "\n") {
		line = strings.TrimPrefix(line, "  ")
		if strings.HasPrefix(line, "- ") {
			b.WriteString("# a comment\n")
		}
		b.WriteString(line)
	}
	b.Write(data[to:])
	return b.Bytes()
}
