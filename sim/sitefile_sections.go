package sim

import (
	"bytes"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// The YAML reader builds a tree of the whole document before a value is
// decoded: for a site file of a million card users (266 MB) a minute and
// 8 GB. A site file as pacsim writes it, and as people write them, is a
// mapping of a few top-level keys whose long values are block lists; such
// a file is read a section at a time, a long list a chunk of elements at a
// time, each chunk a small document of its own, and the memory is one
// chunk's tree.
//
// The sections only speed up what the whole reading would do: whatever
// they cannot read exactly so (a document marker, a directive, a key given
// twice, an alias, a quoted text cut by a chunk's end — any chunk that
// does not read cleanly) sends the file to the whole reading, which gives
// the result or the error it always gave.

// sectionedMin is the smallest file read by sections: below it the whole
// reading is fast, and its errors are the ones tests pin.
const sectionedMin = 1 << 20

// sectionChunk is about how many bytes of list elements a chunk holds.
const sectionChunk = 256 << 10

// parseSections decodes data, a YAML site file, section by section into a
// SiteFile, checked as checkShape checks the whole. ok is false when data
// is not of the shape sections read; the caller then reads it whole.
func parseSections(data []byte, chunk int) (sf *SiteFile, ok bool) {
	secs, ok := splitSections(data)
	if !ok {
		return nil, false
	}
	sf = &SiteFile{}
	v := reflect.ValueOf(sf).Elem()
	t := reflect.TypeFor[SiteFile]()
	seen := map[string]bool{}
	for _, s := range secs {
		head, parts, ok := chunks(s, chunk)
		if !ok {
			return nil, false
		}
		var key string
		var buf []byte // each chunk's document in turn: the key, its elements
		for i, p := range parts {
			if head != nil {
				buf = append(append(buf[:0], head...), p...)
				p = buf
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(p, &doc); err != nil || len(doc.Content) != 1 {
				return nil, false
			}
			m := doc.Content[0]
			// One plain key, not seen before, not a merge.
			if m.Kind != yaml.MappingNode || len(m.Content) != 2 || m.Content[0].Kind != yaml.ScalarNode ||
				m.Content[0].Tag != "!!str" || m.Content[0].Style != 0 {
				return nil, false
			}
			if i == 0 {
				key = m.Content[0].Value
				if seen[key] {
					return nil, false // the whole reading names both lines
				}
				seen[key] = true
			} else if m.Content[0].Value != key {
				return nil, false
			}
			if len(parts) > 1 && m.Content[1].Kind != yaml.SequenceNode {
				return nil, false
			}
			// The whole reading bounds aliases by the size of the whole
			// document, a chunk by its own: a file with aliases is read
			// whole.
			if bytes.IndexByte(p, '*') >= 0 && hasAlias(&doc) {
				return nil, false
			}
			if checkShape(&doc, t) != nil {
				return nil, false
			}
			if len(parts) == 1 {
				if doc.Decode(sf) != nil {
					return nil, false
				}
				continue
			}
			var part SiteFile
			if doc.Decode(&part) != nil {
				return nil, false
			}
			// The one field the key names, appended to; empty, not nil,
			// when the list held only nulls (as the whole reading leaves it).
			for fi := range t.NumField() {
				pf := reflect.ValueOf(part).Field(fi)
				if pf.Kind() != reflect.Slice || pf.IsNil() {
					continue
				}
				f := v.Field(fi)
				if f.IsNil() {
					f.Set(reflect.MakeSlice(f.Type(), 0, pf.Len()))
				}
				f.Set(reflect.AppendSlice(f, pf))
			}
		}
	}
	return sf, true
}

// splitSections cuts data at each top-level key: a line that starts at
// column 0 with neither a space, a comment, a list item nor a marker. ok is
// false for anything before the first key but comments and blank lines,
// and for a marker, a directive, a tab-indented or an explicit key.
func splitSections(data []byte) (secs [][]byte, ok bool) {
	start := -1
	for off := 0; off < len(data); {
		line, end := lineAt(data, off)
		switch c := line[0]; {
		case c == ' ' || c == '\n' || c == '\r' || c == '#':
			if start < 0 && len(bytes.TrimSpace(line)) > 0 && bytes.TrimSpace(line)[0] != '#' {
				return nil, false
			}
		case c == '-' && start >= 0 && (len(line) == 1 || line[1] == ' ' || line[1] == '\n' || line[1] == '\r'):
			// An item of the current key's list, as indented as the key.
		case c == '-' || c == '%' || c == '.' || c == '?' || c == '\t' || c == '{' || c == '[':
			return nil, false
		default:
			switch {
			case start >= 0:
				secs = append(secs, data[start:off])
				start = off
			default:
				// The comments before go with the first key: every byte
				// is read, as the whole reading reads them (a control
				// character in a comment is refused).
				start = 0
			}
		}
		off = end
	}
	if start < 0 {
		return nil, false
	}
	return append(secs, data[start:]), true
}

// chunks cuts a section whose value is a block list into its key's line
// (head) and runs of about size bytes of its elements, each a document
// once the head is put before it; any other section is one part with a nil
// head. The parts are data's own bytes. ok is false when a line of the
// list is less indented than its items, or as indented without starting
// one.
func chunks(sec []byte, size int) (head []byte, parts [][]byte, ok bool) {
	nl := bytes.IndexByte(sec, '\n')
	if nl < 0 || len(sec) < 2*size {
		return nil, [][]byte{sec}, true
	}
	head = sec[:nl+1]
	if k := bytes.TrimRight(head, " \r\n"); len(k) == 0 || k[len(k)-1] != ':' || bytes.ContainsAny(k, "#'\"&*!|>{}[]") {
		return nil, [][]byte{sec}, true // the value is on the key's line: a flow list, a scalar
	}
	body := sec[nl+1:]
	indent := -1
	var items []int // offsets in body of each element's first line
	for off := 0; off < len(body); {
		line, end := lineAt(body, off)
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		rest := line[n:]
		switch {
		case len(bytes.TrimSpace(rest)) == 0 || rest[0] == '#':
		case rest[0] == '\t':
			return nil, nil, false
		case indent < 0:
			if rest[0] != '-' {
				return nil, [][]byte{sec}, true // a mapping, not a list
			}
			indent = n
			items = append(items, off)
		case n < indent:
			return nil, nil, false
		case n == indent:
			if rest[0] != '-' || (len(rest) > 1 && rest[1] != ' ' && rest[1] != '\n' && rest[1] != '\r') {
				return nil, nil, false
			}
			items = append(items, off)
		}
		off = end
	}
	if len(items) == 0 {
		return nil, [][]byte{sec}, true
	}
	from := 0 // the comments before the first element too
	for i, at := range items {
		if i > 0 && at-from >= size {
			parts = append(parts, body[from:at])
			from = at
		}
		if i == len(items)-1 {
			parts = append(parts, body[from:])
		}
	}
	return head, parts, true
}

// lineAt returns the line of data starting at off, its newline included,
// and the offset after it.
func lineAt(data []byte, off int) (line []byte, end int) {
	end = bytes.IndexByte(data[off:], '\n')
	if end < 0 {
		end = len(data)
	} else {
		end += off + 1
	}
	return data[off:end], end
}

// hasAlias reports whether the tree at n holds an alias.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}
