package entrapass

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file reads the SmartService documents on the client side. It shares
// nothing with the simulator: the driver must read a real server, whose
// documents may differ from the simulator's in ways the XML allows
// (declaration, whitespace, namespaces, self-closed empty elements, element
// order), so every reader here is lenient about those and strict about
// structure.

// KV is one item of a SmartLinkDataRow.
type KV struct {
	Key, Value string
}

// Row is a SmartLinkDataRow, its items in document order.
type Row []KV

// Get returns the value of the first item whose key is key (ignoring case)
// and whether there was one.
func (r Row) Get(key string) (string, bool) {
	for _, kv := range r {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	for _, kv := range r {
		if strings.EqualFold(kv.Key, key) {
			return kv.Value, true
		}
	}
	return "", false
}

// Value returns the value of key, "" when absent.
func (r Row) Value(key string) string {
	v, _ := r.Get(key)
	return strings.TrimSpace(v)
}

// node is an element of a parsed document: its local name, its text (for a
// leaf) and its children.
type node struct {
	name string
	text string
	kids []*node
}

// child returns the first child named name (ignoring case).
func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if strings.EqualFold(k.name, name) {
			return k
		}
	}
	return nil
}

// childText returns the trimmed text of the child named name, "" if absent.
func (n *node) childText(name string) string {
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.text)
	}
	return ""
}

// maxDepth bounds nesting: no SmartService document is deeper than ten.
const maxDepth = 64

// maxNodes bounds the elements of a document parseDoc reads: a node costs
// some 100 bytes, so 64 MiB of "<a/>" would otherwise build a 1.5 GB tree.
// The largest tree read, a component list of 50,000 components, has some
// 300,000.
const maxNodes = 1 << 19

// parseDoc reads a whole document into nodes. Namespaces are dropped (only
// local names are kept); comments, processing instructions and directives
// are skipped; mixed content keeps only the text of leaves.
func parseDoc(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var root *node
	var stack []*node
	// texts are the texts of the open elements: appended to, then made a
	// string once at the end tag, so that text cut by many comments is not
	// copied again at each piece.
	var texts [][]byte
	nodes := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local}
			switch {
			case len(stack) > 0:
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			case root != nil:
				return nil, fmt.Errorf("%w: more than one document element", ErrMalformed)
			default:
				root = n
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: nested deeper than %d elements", ErrMalformed, maxDepth)
			}
			if nodes++; nodes > maxNodes {
				return nil, fmt.Errorf("%w: more than %d elements", ErrMalformed, maxNodes)
			}
			stack = append(stack, n)
			texts = append(texts, nil)
		case xml.EndElement:
			if b := texts[len(texts)-1]; len(b) > 0 {
				stack[len(stack)-1].text = string(b)
			}
			stack = stack[:len(stack)-1]
			texts = texts[:len(texts)-1]
		case xml.CharData:
			if len(stack) > 0 {
				texts[len(texts)-1] = append(texts[len(texts)-1], t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the document element", ErrMalformed)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: empty document", ErrMalformed)
	}
	return root, nil
}

// parseFault reads a StandardFault; ok is false when data is not one.
func parseFault(data []byte) (*Fault, bool) {
	if !mayBeFault(data) {
		return nil, false
	}
	root, err := parseDoc(data)
	if err != nil || root.name != "StandardFault" {
		return nil, false
	}
	return faultOf(root), true
}

// mayBeFault is the quick test before parseFault parses: false only when
// data cannot be a StandardFault document. Every answer goes through it,
// and an Events answer is a megabyte of rows: so when the document
// element's start tag can be found by reading a plain prolog (white space,
// processing instructions such as the XML declaration), only its name is
// looked at; otherwise (comments, a DOCTYPE, text) the whole document is
// searched for the name.
func mayBeFault(data []byte) bool {
	const name = "StandardFault"
	s := data
	for {
		s = bytes.TrimLeft(s, " \t\r\n")
		if !bytes.HasPrefix(s, []byte("<?")) {
			break
		}
		end := bytes.Index(s, []byte("?>"))
		if end < 0 {
			return bytes.Contains(data, []byte(name))
		}
		s = s[end+2:]
	}
	if len(s) < 2 || s[0] != '<' || s[1] == '!' || s[1] == '/' {
		return bytes.Contains(data, []byte(name))
	}
	s = s[1:]
	// The tag's name, and maybe more: it ends before any of these.
	if end := bytes.IndexAny(s, " \t\r\n/>"); end >= 0 {
		s = s[:end]
	}
	return bytes.Contains(s, []byte(name))
}

func faultOf(root *node) *Fault {
	f := &Fault{Code: root.childText("Message"), Message: root.childText("VisibleMessage")}
	if f.Message == "" {
		f.Message = root.childText("FirstLanguageErrorDescription")
	}
	if f.Code == "" {
		f.Code = f.Message
	}
	return f
}

// errorLoginText recognises kantech-gateway's check: a login answer that is
// not an <Operator> but says "Error Login".
func errorLoginText(data []byte) bool {
	return bytes.Contains(bytes.ToLower(data), []byte("error login"))
}

// Light is one entry of a light component list
// (ArrayOfLightComponentOf…): a component's id, names and owner.
type Light struct {
	// Object is the component type ("GatewaySite", "Relay", …).
	Object string
	ID     int
	// Description is the name in the first language.
	Description string
	// Description2 is the name in the second language, often empty.
	Description2 string
	// Owner is the owning component (a site's gateway, a relay's site).
	Owner int
}

// parseLight reads an ArrayOfLightComponentOf… document. Children are read
// by name; an entry whose children have other names is read by position as
// the public clients do ([1] ID, [2] Description, [4] Owner).
func parseLight(data []byte) ([]Light, error) {
	root, err := parseDoc(data)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(root.name, "ArrayOf") {
		return nil, fmt.Errorf("%w: <%s> is not a component list", ErrMalformed, root.name)
	}
	out := make([]Light, 0, len(root.kids))
	for _, e := range root.kids {
		var l Light
		idText := e.childText("ID")
		ownerText := e.childText("Owner")
		l.Object = e.childText("Object")
		l.Description = e.childText("Description")
		l.Description2 = e.childText("Description2")
		if e.child("ID") == nil && len(e.kids) >= 3 {
			idText = strings.TrimSpace(e.kids[1].text)
			l.Description = strings.TrimSpace(e.kids[2].text)
			if len(e.kids) >= 5 {
				ownerText = strings.TrimSpace(e.kids[4].text)
			}
		}
		if l.ID, err = atoiField(idText, e.name+"/ID"); err != nil {
			return nil, err
		}
		if ownerText != "" {
			if l.Owner, err = atoiField(ownerText, e.name+"/Owner"); err != nil {
				return nil, err
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func atoiField(s, what string) (int, error) {
	n, ok := atoi(s)
	if !ok {
		return 0, fmt.Errorf("%w: %s %q is not a number", ErrMalformed, what, clip(s))
	}
	return n, nil
}

// atoi reads a decimal int without allocating.
func atoi(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 18 {
		return 0, false
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
		if s == "" {
			return 0, false
		}
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// clip shortens text for a message.
func clip(s string) string {
	const limit = 60
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit]) + "…"
}

// parseRows reads an ArrayOfSmartLinkDataRow. The compact form SmartService
// writes is read by a direct scan; anything else (declaration, whitespace,
// entities, <Value/>, unknown elements, namespaces) goes through
// encoding/xml, which also decides what is malformed.
func parseRows(data []byte) ([]Row, error) { return parseRowsInto(data, nil) }

// parseRowsInto is parseRows into buf's storage (nil: allocated). Only the
// compact form is read into it; encoding/xml's rows are allocated.
func parseRowsInto(data []byte, buf *RowBuffer) ([]Row, error) {
	if rows, ok := scanRowsInto(data, parallelScan, buf); ok {
		return rows, nil
	}
	return decodeRows(data)
}

// decodeRows is parseRows by encoding/xml.
func decodeRows(data []byte) ([]Row, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var (
		rows       []Row
		row        Row
		inRow      bool
		key, val   strings.Builder
		hasKey     bool
		stack      []string
		sawRoot    bool
		rootClosed bool
	)
	parent := func(i int) string {
		if len(stack) > i {
			return stack[len(stack)-1-i]
		}
		return ""
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if sawRoot {
					return nil, fmt.Errorf("%w: more than one document element", ErrMalformed)
				}
				sawRoot = true
				if name != "ArrayOfSmartLinkDataRow" {
					return nil, fmt.Errorf("%w: <%s> is not an ArrayOfSmartLinkDataRow", ErrMalformed, name)
				}
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: nested deeper than %d elements", ErrMalformed, maxDepth)
			}
			switch {
			case name == "SmartLinkDataRow" && len(stack) == 1:
				row, inRow = nil, true
			case name == "item" && inRow && parent(0) == "SmartLinkDataRow":
				key.Reset()
				val.Reset()
				hasKey = false
			case name == "string" && parent(0) == "key":
				hasKey = true
			}
			stack = append(stack, name)
		case xml.EndElement:
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case name == "item" && inRow && parent(0) == "SmartLinkDataRow":
				if !hasKey {
					return nil, fmt.Errorf("%w: an item without a key", ErrMalformed)
				}
				row = append(row, KV{Key: strings.TrimSpace(key.String()), Value: val.String()})
			case name == "SmartLinkDataRow" && len(stack) == 1:
				rows = append(rows, row)
				inRow = false
			}
			if len(stack) == 0 {
				rootClosed = true
			}
		case xml.CharData:
			switch {
			case parent(0) == "string" && parent(1) == "key":
				key.Write(t)
			case parent(0) == "Value" && parent(1) == "SmartLinkDataValue":
				val.Write(t)
			}
		}
	}
	if !sawRoot || !rootClosed {
		return nil, fmt.Errorf("%w: not a complete ArrayOfSmartLinkDataRow", ErrMalformed)
	}
	return rows, nil
}

// The compact markup of a SmartLinkDataRow table.
const (
	rowsRoot   = "<ArrayOfSmartLinkDataRow"
	rowsClose  = "</ArrayOfSmartLinkDataRow>"
	rowOpen    = "<SmartLinkDataRow>"
	rowEmpty   = "<SmartLinkDataRow/>"
	rowClose   = "</SmartLinkDataRow>"
	itemOpen   = "<item><key><string>"
	itemMid    = "</string></key><value><SmartLinkDataValue><Value>"
	itemClose  = "</Value></SmartLinkDataValue></value></item>"
	scanMaxRow = 1 << 16
)

// scanRows reads the compact form without encoding/xml. It answers ok=false
// for anything it is not sure of, and decodeRows decides.
func scanRows(data []byte) ([]Row, bool) { return scanRowsInto(data, parallelScan, nil) }

// cutDeclaration returns s without the XML declaration .NET's serializer
// writes, and the white space after it, when s starts with one: a real
// server's lists may carry it (the simulator's do with
// WithXMLDeclaration), and encoding/xml reads past it, so the scan does too
// rather than leave a large answer to encoding/xml, many times slower.
func cutDeclaration(s []byte) []byte {
	for _, decl := range [...]string{`<?xml version="1.0" encoding="utf-8"?>`, `<?xml version="1.0" encoding="UTF-8"?>`} {
		if rest, ok := bytes.CutPrefix(s, []byte(decl)); ok {
			return bytes.TrimLeft(rest, " \t\r\n")
		}
	}
	return s
}

// parallelScan is the size from which scanRows reads an answer's rows in
// two halves at once.
const parallelScan = 1 << 20

// RowBuffer holds the rows of a parse and their items for the next parse to
// reuse (Client.StatesInto): a full state poll of a large site is a million
// items, some 40 MB, that would otherwise be allocated, zeroed and
// collected at every poll. The zero value is ready to use. It is not safe
// for concurrent use, and a parse into it overwrites the rows of the one
// before.
type RowBuffer struct {
	rows   []Row
	halves [2]rowSlab
}

// rowSlab is what one scanRowSeq fills: rows and their items.
type rowSlab struct {
	rows []Row
	kvs  []KV
}

// slab returns the storage of half i; none without a buffer.
func (b *RowBuffer) slab(i int) *rowSlab {
	if b == nil {
		return nil
	}
	return &b.halves[i]
}

// scanRowsSplit is scanRows, reading the rows in two halves at once when
// they are split bytes or more.
func scanRowsSplit(data []byte, split int) ([]Row, bool) { return scanRowsInto(data, split, nil) }

// scanRowsInto is scanRowsSplit into buf's storage (nil: allocated).
func scanRowsInto(data []byte, split int, buf *RowBuffer) ([]Row, bool) {
	s := cutDeclaration(data)
	if !bytes.HasPrefix(s, []byte(rowsRoot)) {
		return nil, false
	}
	s = s[len(rowsRoot):]
	end := bytes.IndexByte(s, '>')
	if end < 0 {
		return nil, false
	}
	attrs, selfClosed := s[:end], false
	if end > 0 && s[end-1] == '/' { // <ArrayOfSmartLinkDataRow … />
		attrs, selfClosed = s[:end-1], true
	}
	if !plainAttrs(attrs) {
		return nil, false
	}
	s = s[end+1:]
	if selfClosed {
		return nil, len(bytes.TrimSpace(s)) == 0
	}
	// The rows and the document's end.
	close := bytes.LastIndex(s, []byte(rowsClose))
	if close < 0 || len(bytes.TrimSpace(s[close+len(rowsClose):])) != 0 {
		return nil, false
	}
	body := s[:close]
	if len(body) < split || len(body) < 2 {
		return scanRowSeq(body, buf.slab(0))
	}
	// A large answer (a full state poll of a large site is tens of
	// megabytes) is read in two halves at once, split where a row starts.
	// Rows are self-delimited: when both halves read as whole rows, the
	// whole reads the same rows, in the same order; when either does not,
	// the split was not at a row (or the answer is not the compact form)
	// and the whole is read in one go.
	mid := bytes.Index(body[len(body)/2:], []byte(rowOpen))
	if mid < 0 {
		return scanRowSeq(body, buf.slab(0))
	}
	mid += len(body) / 2
	var (
		second   []Row
		secondOK bool
		wg       sync.WaitGroup
	)
	wg.Go(func() { second, secondOK = scanRowSeq(body[mid:], buf.slab(1)) })
	first, firstOK := scanRowSeq(body[:mid], buf.slab(0))
	wg.Wait()
	switch {
	case !firstOK || !secondOK:
		return scanRowSeq(body, buf.slab(0))
	case len(first) == 0:
		return second, true
	case buf == nil:
		return append(first, second...), true
	}
	buf.rows = append(append(buf.rows[:0], first...), second...)
	return buf.rows, true
}

// scanRowSeq reads a sequence of compact rows, nothing else, into slab's
// storage when there is one.
func scanRowSeq(s []byte, slab *rowSlab) ([]Row, bool) {
	var rows []Row
	var kvs []KV // one backing array for every row's items
	if slab != nil {
		rows, kvs = slab.rows[:0], slab.kvs[:0]
	}
	sized := false
	first := len(s)
	// State rows repeat a few values ("0", "1", "CLOSE", "LOCK", the
	// STATUSID) tens of thousands of times: one string each, not one per row.
	var values stringCache
	for len(s) > 0 {
		if bytes.HasPrefix(s, []byte(rowEmpty)) {
			rows = append(rows, Row{})
			s = s[len(rowEmpty):]
			continue
		}
		if !bytes.HasPrefix(s, []byte(rowOpen)) {
			return nil, false
		}
		s = s[len(rowOpen):]
		start := len(kvs)
		for !bytes.HasPrefix(s, []byte(rowClose)) {
			if !bytes.HasPrefix(s, []byte(itemOpen)) || len(kvs)-start > scanMaxRow {
				return nil, false
			}
			s = s[len(itemOpen):]
			i := bytes.IndexByte(s, '<')
			if i < 0 || !plainText(s[:i]) {
				return nil, false
			}
			k := internKey(s[:i])
			s = s[i:]
			if !bytes.HasPrefix(s, []byte(itemMid)) {
				return nil, false
			}
			s = s[len(itemMid):]
			i = bytes.IndexByte(s, '<')
			if i < 0 || !plainText(s[:i]) {
				return nil, false
			}
			v := values.get(s[:i])
			s = s[i:]
			if !bytes.HasPrefix(s, []byte(itemClose)) {
				return nil, false
			}
			s = s[len(itemClose):]
			kvs = append(kvs, KV{Key: k, Value: v})
		}
		s = s[len(rowClose):]
		if !sized && len(kvs) > 0 {
			// The first row tells the size of the rest: one allocation for
			// the items and one for the rows, not a series of doublings
			// (a full state poll of a large site is 300,000 items), and
			// none when the slab kept from the last parse is large enough.
			sized = true
			rowBytes := max(first-len(s), 1)
			perItem := max(rowBytes/len(kvs), 1)
			items := len(s)/perItem + len(kvs)
			if n := len(rows) + len(s)/rowBytes + 2; cap(rows) < n {
				rows = append(make([]Row, 0, n), rows...)
			}
			if n := items + items/16; cap(kvs) < n {
				kvs = append(make([]KV, 0, n), kvs...)
			}
		}
		rows = append(rows, Row(kvs[start:len(kvs):len(kvs)]))
	}
	if slab != nil {
		slab.rows, slab.kvs = rows, kvs
	}
	if len(rows) == 0 {
		return nil, true
	}
	return rows, true
}

// plainAttrs accepts the attributes of a start tag when they are plain:
// ( name="value")* with a simple name and a value without markup.
func plainAttrs(b []byte) bool {
	for len(b) > 0 {
		if b[0] != ' ' {
			return false
		}
		b = bytes.TrimLeft(b, " ")
		if len(b) == 0 {
			return true
		}
		i := 0
		for i < len(b) && (b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] == '_' ||
			i > 0 && (b[i] >= '0' && b[i] <= '9' || b[i] == '-' || b[i] == '.' || b[i] == ':')) {
			i++
		}
		if i == 0 || i+1 >= len(b) || b[i] != '=' || b[i+1] != '"' {
			return false
		}
		b = b[i+2:]
		j := bytes.IndexByte(b, '"')
		if j < 0 || bytes.IndexByte(b[:j], '<') >= 0 || !plainText(b[:j]) {
			return false
		}
		b = b[j+1:]
	}
	return true
}

// internKey returns the keys SmartService sends as constants, so that the
// hot path allocates only for values.
func internKey(b []byte) string {
	switch string(b) { // the conversion in a switch does not allocate
	case "DT":
		return "DT"
	case "UDT":
		return "UDT"
	case "ETXT":
		return "ETXT"
	case "P1TXT":
		return "P1TXT"
	case "P2TXT":
		return "P2TXT"
	case "P3TXT":
		return "P3TXT"
	case "P4TXT":
		return "P4TXT"
	case "CL":
		return "CL"
	case "CLT":
		return "CLT"
	case "VVIEW":
		return "VVIEW"
	case "STATUSID":
		return "STATUSID"
	case "UNIQUEID":
		return "UNIQUEID"
	case "CONTROLLEREXIST":
		return "CONTROLLEREXIST"
	case "CONTROLLERFAILURE":
		return "CONTROLLERFAILURE"
	case "DOOREXIST":
		return "DOOREXIST"
	case "OPENSTATE":
		return "OPENSTATE"
	case "LOCKSTATE":
		return "LOCKSTATE"
	case "UNLOCKTEMPO":
		return "UNLOCKTEMPO"
	case "READERDISABLE":
		return "READERDISABLE"
	case "READERDISABLE2":
		return "READERDISABLE2"
	case "RELAYEXIST":
		return "RELAYEXIST"
	case "INPUTEXIST":
		return "INPUTEXIST"
	case "STATE":
		return "STATE"
	case "TAMPER":
		return "TAMPER"
	case "TROUBLE":
		return "TROUBLE"
	case "SHUNTEDBY":
		return "SHUNTEDBY"
	case "ACTIVATETEMPO":
		return "ACTIVATETEMPO"
	case "PKDATA":
		return "PKDATA"
	case "DESCRIPTION":
		return "DESCRIPTION"
	case "KTTYPE":
		return "KTTYPE"
	case "CARDNUMBER":
		return "CARDNUMBER"
	case "USERNAME":
		return "USERNAME"
	case "CARDSTATE":
		return "CARDSTATE"
	case "BADGING":
		return "BADGING"
	case "CARDNUMBER1":
		return "CARDNUMBER1"
	case "CARDSTATE1":
		return "CARDSTATE1"
	case "CARDNUMBER2":
		return "CARDNUMBER2"
	case "CARDSTATE2":
		return "CARDSTATE2"
	case "CARDNUMBER3":
		return "CARDNUMBER3"
	case "CARDSTATE3":
		return "CARDSTATE3"
	case "CARDNUMBER4":
		return "CARDNUMBER4"
	case "CARDSTATE4":
		return "CARDSTATE4"
	case "CARDNUMBER5":
		return "CARDNUMBER5"
	case "CARDSTATE5":
		return "CARDSTATE5"
	}
	return string(b)
}

// parseScalar reads a one-element document such as
// <ServiceCommandResult>OK</ServiceCommandResult> or <int>12</int>, checking
// its name.
func parseScalar(data []byte, name string) (string, error) {
	root, err := parseDoc(data)
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(root.name, name) {
		return "", fmt.Errorf("%w: <%s> where <%s> was expected", ErrMalformed, root.name, name)
	}
	return strings.TrimSpace(root.text), nil
}

// plainText reports whether b is text the scanner may take as is: no
// entity to decode, and only characters XML allows (valid UTF-8, no
// control character but tab, newline and carriage return), as encoding/xml
// checks them. Anything else goes to encoding/xml, which refuses what it
// must (FuzzParseRows found "\x80" taken by the scanner and refused by it).
func plainText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == '&' || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !(r >= 0x80 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
		i += n
	}
	return true
}
