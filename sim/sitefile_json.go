package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// utf8BOM is what some editors put at the start of a file; JSON does not
// allow it, YAML ignores it, and nobody means anything by it.
var utf8BOM = []byte("\xef\xbb\xbf")

// looksJSON reports whether a site file is JSON: its first character, past
// blanks, opens an object.
func looksJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// checkJSON refuses what encoding/json refuses — a trailing comma, a
// comment, a single-quoted string, a second value — with the line and
// column where it stands.
func checkJSON(data []byte) error {
	data = bytes.TrimPrefix(data, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage // the syntax is checked, nothing is built
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("%w: empty", ErrSiteFile)
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := lineCol(data, len(data))
			return fmt.Errorf("%w: JSON: line %d, column %d: the file ends inside a value", ErrSiteFile, line, col)
		case errors.As(err, &se):
			// Offset counts the bytes read, the offending one included.
			line, col := lineCol(data, int(se.Offset)-1)
			return fmt.Errorf("%w: JSON: line %d, column %d: %s", ErrSiteFile, line, col, se.Error())
		}
		return fmt.Errorf("%w: JSON: %v", ErrSiteFile, err)
	}
	rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")
	if len(rest) > 0 {
		line, col := lineCol(data, len(data)-len(rest))
		return fmt.Errorf("%w: JSON: line %d, column %d: a second value after the site; a site file holds one", ErrSiteFile, line, col)
	}
	return nil
}

// lineCol returns the 1-based line and column (in characters) of the byte
// at off.
func lineCol(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}

// jsonNode reads a JSON site file, already checked by checkJSON, into the
// YAML node tree the YAML form gives, each node with its line. The YAML
// decoder cannot read every JSON text itself: it refuses the escape \/ and
// escaped surrogate pairs, which JSON allows.
func jsonNode(data []byte) (*yaml.Node, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var nl []int // offsets of the newlines, to turn an offset into a line
	for i, b := range data {
		if b == '\n' {
			nl = append(nl, i)
		}
	}
	lineAt := func() int { return 1 + sort.SearchInts(nl, int(dec.InputOffset())) }
	var value func() (*yaml.Node, error)
	value = func() (*yaml.Node, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		n := &yaml.Node{Line: lineAt()}
		switch v := tok.(type) {
		case json.Delim:
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			if v == '[' {
				n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			}
			for dec.More() {
				if n.Kind == yaml.MappingNode {
					k, err := dec.Token()
					if err != nil {
						return nil, err
					}
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string), Line: lineAt(), Style: yaml.DoubleQuotedStyle})
				}
				e, err := value()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, e)
			}
			if _, err := dec.Token(); err != nil { // the closing delimiter
				return nil, err
			}
		case string:
			n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", v, yaml.DoubleQuotedStyle
		case json.Number:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", v.String()
			if strings.ContainsAny(n.Value, ".eE") {
				n.Tag = "!!float"
			}
		case bool:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", "false"
			if v {
				n.Value = "true"
			}
		case nil:
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
		}
		return n, nil
	}
	root, err := value()
	if err != nil {
		return nil, fmt.Errorf("%w: JSON: %v", ErrSiteFile, err)
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, Line: root.Line}, nil
}
