package scenarios

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// SetBody stores data as the format does (SPEC §9): as text in *text when it
// is UTF-8, else base64 in *b64. The other one is cleared, so a body is
// never in both; empty data clears both.
func SetBody(data []byte, text, b64 *string) {
	switch {
	case len(data) == 0:
		*text, *b64 = "", ""
	case utf8.Valid(data):
		*text, *b64 = string(data), ""
	default:
		*text, *b64 = "", base64.StdEncoding.EncodeToString(data)
	}
}

// BodyBytes returns the bytes of a stored body: text, or b64 decoded. Both
// set, or b64 that is not standard base64, is an error wrapping ErrFormat:
// the file was not written by SetBody.
func BodyBytes(text, b64 string) ([]byte, error) {
	switch {
	case text != "" && b64 != "":
		return nil, fmt.Errorf("%w: a body both as text and as base64", ErrFormat)
	case b64 != "":
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("%w: a body_b64 that is not base64: %v", ErrFormat, err)
		}
		return b, nil
	case text != "":
		return []byte(text), nil
	}
	return nil, nil
}

// Bytes returns the request's body.
func (r *Request) Bytes() ([]byte, error) { return BodyBytes(r.Body, r.Body64) }

// Bytes returns the answer's body: Body, or for a streamed answer its
// chunks concatenated. An answer with both a body and chunks is an error
// wrapping ErrFormat.
func (r *Response) Bytes() ([]byte, error) {
	if len(r.Chunks) == 0 {
		return BodyBytes(r.Body, r.Body64)
	}
	if r.Body != "" || r.Body64 != "" {
		return nil, fmt.Errorf("%w: an answer with both a body and chunks", ErrFormat)
	}
	var out []byte
	for i := range r.Chunks {
		b, err := r.Chunks[i].Bytes()
		if err != nil {
			return nil, fmt.Errorf("chunk %d: %w", i+1, err)
		}
		out = append(out, b...)
	}
	return out, nil
}

// Bytes returns the chunk's data.
func (c *Chunk) Bytes() ([]byte, error) { return BodyBytes(c.Data, c.Data64) }

// The rest of this file reads the structure of a body, which redaction
// (to rewrite values in place) and Diff (to compare shapes) both need. The
// trees keep the byte span of every value, so that a redaction replaces
// just that span and leaves the rest of the body byte for byte as the
// server sent it: no re-serialisation that would reorder JSON keys or turn
// <a></a> into <a/> under a client that reads bodies with a regex.

// xmlNode is an element of an XML body.
type xmlNode struct {
	name  string // local name, without prefix
	attrs []xml.Attr
	kids  []*xmlNode
	// text is the element's character data (entities decoded); it is
	// meaningful for a leaf, an element without child elements.
	text string
	// start and end delimit the element's content in the body: from just
	// after its start tag to just before its end tag. A self-closed
	// element has start == end.
	start, end int
}

// attr returns the value of the attribute with local name name.
func (n *xmlNode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element named name.
func (n *xmlNode) child(name string) *xmlNode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// parseXML parses a body that is one XML document (one root element,
// possibly a declaration, comments and white space around it). ok is false
// for anything else, including HTML that is not well-formed.
func parseXML(b []byte) (root *xmlNode, ok bool) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '<' {
		return nil, false
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var stack []*xmlNode
	var raw []xml.Name // the names as written, to check that end tags match
	var text []byte
	for {
		off := int(d.InputOffset())
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, false
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return nil, false // a second root
			}
			n := &xmlNode{name: tk.Name.Local, attrs: tk.Copy().Attr, start: int(d.InputOffset())}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			raw = append(raw, tk.Name)
			text = text[:0]
		case xml.EndElement:
			if len(stack) == 0 || raw[len(raw)-1] != tk.Name {
				return nil, false
			}
			n := stack[len(stack)-1]
			n.end = off
			if len(n.kids) == 0 {
				n.text = string(text)
			}
			stack, raw = stack[:len(stack)-1], raw[:len(raw)-1]
			text = text[:0]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(tk)) > 0 {
					return nil, false // text outside the root
				}
				continue
			}
			text = append(text, tk...)
		case xml.Directive:
			if root != nil || len(stack) > 0 {
				return nil, false // a DOCTYPE belongs before the root
			}
		}
	}
	return root, root != nil && len(stack) == 0
}

// JSON value kinds of a jsonNode.
const (
	jsonObject = '{'
	jsonArray  = '['
	jsonString = '"'
	jsonNumber = '0'
	jsonBool   = 't'
	jsonNull   = 'n'
)

// jsonNode is a value of a JSON body, with object keys in their order.
type jsonNode struct {
	kind  byte
	keys  []string    // object
	vals  []*jsonNode // object, parallel to keys
	items []*jsonNode // array
	str   string      // string (decoded), number and literal (as written)
	// start and end delimit the value in the body (a string with its
	// quotes).
	start, end int
}

// get returns the value of key k of an object (nil if absent).
func (n *jsonNode) get(k string) *jsonNode {
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

// typeName names the kind for Diff.
func (n *jsonNode) typeName() string {
	switch n.kind {
	case jsonObject:
		return "object"
	case jsonArray:
		return "array"
	case jsonString:
		return "string"
	case jsonNumber:
		return "number"
	case jsonBool:
		return "boolean"
	}
	return "null"
}

// parseJSON parses a body that is one JSON object or array (a body that is
// a bare string or number is not taken for JSON: it is indistinguishable
// from plain text).
func parseJSON(b []byte) (*jsonNode, bool) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') || !json.Valid(b) {
		return nil, false
	}
	p := jsonParser{b: b}
	n, err := p.value()
	if err != nil {
		return nil, false
	}
	return n, true
}

// jsonParser walks a body already checked by json.Valid, so it only has to
// find where things are, not whether they are well-formed; the errors it
// returns are a belt to those braces.
type jsonParser struct {
	b []byte
	i int
}

var errJSON = errors.New("malformed JSON")

func (p *jsonParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (*jsonNode, error) {
	p.space()
	if p.i >= len(p.b) {
		return nil, errJSON
	}
	start := p.i
	switch c := p.b[p.i]; {
	case c == '{':
		n := &jsonNode{kind: jsonObject, start: start}
		p.i++
		p.space()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			n.end = p.i
			return n, nil
		}
		for {
			p.space()
			k, err := p.value()
			if err != nil || k.kind != jsonString {
				return nil, errJSON
			}
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, errJSON
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.keys, n.vals = append(n.keys, k.str), append(n.vals, v)
			p.space()
			if p.i >= len(p.b) {
				return nil, errJSON
			}
			if p.b[p.i] == '}' {
				p.i++
				n.end = p.i
				return n, nil
			}
			if p.b[p.i] != ',' {
				return nil, errJSON
			}
			p.i++
		}
	case c == '[':
		n := &jsonNode{kind: jsonArray, start: start}
		p.i++
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			n.end = p.i
			return n, nil
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
			p.space()
			if p.i >= len(p.b) {
				return nil, errJSON
			}
			if p.b[p.i] == ']' {
				p.i++
				n.end = p.i
				return n, nil
			}
			if p.b[p.i] != ',' {
				return nil, errJSON
			}
			p.i++
		}
	case c == '"':
		p.i++
		for p.i < len(p.b) && p.b[p.i] != '"' {
			if p.b[p.i] == '\\' {
				p.i++
			}
			p.i++
		}
		if p.i >= len(p.b) {
			return nil, errJSON
		}
		p.i++
		n := &jsonNode{kind: jsonString, start: start, end: p.i}
		if err := json.Unmarshal(p.b[start:p.i], &n.str); err != nil {
			return nil, errJSON
		}
		return n, nil
	default:
		for p.i < len(p.b) && !bytes.ContainsAny(p.b[p.i:p.i+1], ",]} \t\r\n") {
			p.i++
		}
		n := &jsonNode{start: start, end: p.i, str: string(p.b[start:p.i])}
		switch {
		case n.str == "null":
			n.kind = jsonNull
		case n.str == "true" || n.str == "false":
			n.kind = jsonBool
		default:
			n.kind = jsonNumber
		}
		return n, nil
	}
}

// bodyEdit replaces the bytes [start, end) of a body.
type bodyEdit struct {
	start, end int
	repl       []byte
}

// disjointEdits returns the edits sorted by position, without those that
// overlap an earlier one (two rules that claim the same bytes: the first
// wins rather than corrupting the body) or fall outside it.
func disjointEdits(edits []bodyEdit) []bodyEdit {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	out := edits[:0]
	at := 0
	for _, e := range edits {
		if e.start < at || e.end < e.start {
			continue
		}
		out = append(out, e)
		at = e.end
	}
	return out
}

// applyEdits returns b with the edits made (see disjointEdits).
func applyEdits(b []byte, edits []bodyEdit) []byte {
	if len(edits) == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+64)
	at := 0
	for _, e := range disjointEdits(edits) {
		if e.end > len(b) {
			break
		}
		out = append(out, b[at:e.start]...)
		out = append(out, e.repl...)
		at = e.end
	}
	return append(out, b[at:]...)
}

// xmlEscaped escapes s as XML character data.
func xmlEscaped(s string) []byte {
	var buf bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			buf.WriteString("&amp;")
		case '<':
			buf.WriteString("&lt;")
		case '>':
			buf.WriteString("&gt;")
		case '\r':
			buf.WriteString("&#xD;")
		default:
			buf.WriteRune(r)
		}
	}
	return buf.Bytes()
}

// jsonQuoted encodes s as a JSON string, leaving <, > and & as they are (as
// the servers write them).
func jsonQuoted(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimRight(buf.Bytes(), "\n")
}
