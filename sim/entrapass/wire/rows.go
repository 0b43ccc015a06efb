package wire

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The fixed parts of an ArrayOfSmartLinkDataRow. The xsi/xsd declarations are
// what the real service's XmlSerializer puts on every generic table, and the
// order of the item children is what the planqr and Airflow clients index by
// position ("0: item, 1: value, 0: SmartLinkDataValue, 0: Value").
const (
	rowsOpen  = `<ArrayOfSmartLinkDataRow xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`
	rowsClose = `</ArrayOfSmartLinkDataRow>`
	rowOpen   = `<SmartLinkDataRow>`
	rowClose  = `</SmartLinkDataRow>`
	itemOpen  = `<item><key><string>`
	itemMid   = `</string></key><value><SmartLinkDataValue><Value>`
	itemClose = `</Value></SmartLinkDataValue></value></item>`
)

// rowWriterState is where a RowWriter is in the document; it exists only to
// turn a mis-ordered call into a panic in tests instead of malformed XML on
// the wire.
type rowWriterState uint8

const (
	rwIdle rowWriterState = iota
	rwArray
	rwRow
	rwDone
)

// RowWriter appends an ArrayOfSmartLinkDataRow document to a reusable
// buffer. The zero value is ready to use.
//
// It is the hot path of event and status polling: a poll of 1000 events is
// 10 000 items, and a load test runs many sessions at once. So it appends the
// fixed markup as constants and each value with a single copy when it needs
// no escaping, and after Reset it reuses the buffer: once grown to the size of
// the largest document it writes rows without allocating.
//
// Call Begin, then for each row Row, Item/ItemInt…, EndRow, and finally End.
// Calls out of that order panic: they are programming errors, and a panic in
// a test is cheaper than a client choking on a truncated document.
//
// A RowWriter is not safe for concurrent use; give each request its own (a
// sync.Pool of them works well).
type RowWriter struct {
	buf   []byte
	state rowWriterState
	rows  int
}

// Begin starts the document.
func (w *RowWriter) Begin() {
	w.expect(rwIdle, "Begin")
	w.buf = append(w.buf, rowsOpen...)
	w.state = rwArray
}

// Row starts a row.
func (w *RowWriter) Row() {
	w.expect(rwArray, "Row")
	w.buf = append(w.buf, rowOpen...)
	w.state = rwRow
}

// Item appends one key/value pair to the current row. The value is
// XML-escaped; an empty value is written <Value></Value>, never <Value/>,
// because the public clients read values with the regular expression
// <Value>([^<]*)</Value> and a self-closed element would silently shift every
// following value of the row by one. Keys are escaped too, although every
// key of this API is a plain upper-case word.
func (w *RowWriter) Item(key, value string) {
	w.expect(rwRow, "Item")
	b := append(w.buf, itemOpen...)
	b = appendEscaped(b, key)
	b = append(b, itemMid...)
	b = appendEscaped(b, value)
	w.buf = append(b, itemClose...)
}

// ItemInt appends an integer item. It saves the strconv allocation an
// Item(key, strconv.Itoa(v)) would cost on every status row.
func (w *RowWriter) ItemInt(key string, v int64) {
	w.expect(rwRow, "ItemInt")
	b := append(w.buf, itemOpen...)
	b = appendEscaped(b, key)
	b = append(b, itemMid...)
	b = strconv.AppendInt(b, v, 10)
	w.buf = append(b, itemClose...)
}

// ItemFlag appends a 0/1 item, the encoding of every boolean-ish status key
// (CONTROLLERFAILURE, READERDISABLE, TAMPER, …).
func (w *RowWriter) ItemFlag(key string, on bool) {
	var v int64
	if on {
		v = 1
	}
	w.ItemInt(key, v)
}

// EndRow closes the current row.
func (w *RowWriter) EndRow() {
	w.expect(rwRow, "EndRow")
	w.buf = append(w.buf, rowClose...)
	w.state = rwArray
	w.rows++
}

// Grow makes room for n more bytes, so a document whose size the caller
// can foresee is written into one allocation instead of a series of
// doublings. (A document too large to hold whole is better streamed: see
// Flush.)
func (w *RowWriter) Grow(n int) {
	if n > cap(w.buf)-len(w.buf) {
		w.buf = append(w.buf[:len(w.buf):len(w.buf)], make([]byte, n)...)[:len(w.buf)]
	}
}

// Buffered returns how many bytes the writer holds: what End would return,
// less what Flush has written out.
func (w *RowWriter) Buffered() int { return len(w.buf) }

// Flush writes what the writer holds to dst and empties its buffer,
// keeping its place in the document: a table too long to hold whole (a
// full state poll of a large site is a hundred megabytes) is streamed in
// parts, each written out once it has grown past a chunk. The document is
// the concatenation of every Flush and of the End after the last one.
func (w *RowWriter) Flush(dst io.Writer) error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := dst.Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

// Rows returns the number of rows completed since Begin, so a caller can cap
// a batch without counting separately.
func (w *RowWriter) Rows() int { return w.rows }

// End closes the document and returns it. An array without rows is written
// as an open and a close tag. The slice aliases the writer's buffer: it is
// valid until the next Reset, so write it out before reusing the writer.
func (w *RowWriter) End() []byte {
	w.expect(rwArray, "End")
	w.buf = append(w.buf, rowsClose...)
	w.state = rwDone
	return w.buf
}

// Reset empties the writer and keeps its buffer for the next document.
func (w *RowWriter) Reset() {
	w.buf = w.buf[:0]
	w.state = rwIdle
	w.rows = 0
}

func (w *RowWriter) expect(s rowWriterState, call string) {
	if w.state != s {
		panic("wire: RowWriter." + call + " called out of order")
	}
}

// KV is one item of a SmartLinkDataRow.
type KV struct {
	Key, Value string
}

// Row is a SmartLinkDataRow: its items in document order. Order matters
// because clients of the real service index items by position.
type Row []KV

// Get returns the value of the first item with key (compared exactly: keys
// are upper-case on the wire) and whether there was one.
func (r Row) Get(key string) (string, bool) {
	for _, kv := range r {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// MarshalRows writes rows as an ArrayOfSmartLinkDataRow. It is the
// convenience form of RowWriter for tests and cold paths; it allocates.
func MarshalRows(rows []Row) []byte {
	var w RowWriter
	w.Begin()
	for _, r := range rows {
		w.Row()
		for _, kv := range r {
			w.Item(kv.Key, kv.Value)
		}
		w.EndRow()
	}
	return w.End()
}

// ParseRows reads an ArrayOfSmartLinkDataRow. Malformed XML, another
// document element, or an item without a key is an error; a StandardFault
// body is returned as the *Fault error. It is lenient where a real server
// might differ from ours without being wrong: whitespace between elements, an
// XML declaration, <Value/>, a missing <Value> (read as "") and unknown
// elements (skipped).
//
// The compact form RowWriter writes is read by a direct scan, some fifty
// times faster than encoding/xml; anything else — a declaration, whitespace,
// an unusual reference, an error — goes through encoding/xml, which decides.
// The fuzz test checks that the two agree wherever the scan answers.
func ParseRows(data []byte) ([]Row, error) {
	if rows, ok := scanRows(data); ok {
		return rows, nil
	}
	return parseRowsXML(data)
}

// parseRowsXML is ParseRows by encoding/xml, for every document scanRows
// does not take.
func parseRowsXML(data []byte) ([]Row, error) {
	r := newDocReader(data)
	root, err := r.root()
	if err != nil {
		return nil, fmt.Errorf("wire: ArrayOfSmartLinkDataRow: %w", err)
	}
	if root.Name.Local != "ArrayOfSmartLinkDataRow" {
		return nil, unexpectedRoot(data, root.Name.Local, "ArrayOfSmartLinkDataRow")
	}
	rows := []Row{}
	for {
		el, ok, err := r.next()
		if err != nil {
			return nil, fmt.Errorf("wire: ArrayOfSmartLinkDataRow: %w", err)
		}
		if !ok {
			break
		}
		if el.Name.Local != "SmartLinkDataRow" {
			if err := r.skip(); err != nil {
				return nil, fmt.Errorf("wire: ArrayOfSmartLinkDataRow: %w", err)
			}
			continue
		}
		row, err := parseRow(r)
		if err != nil {
			return nil, fmt.Errorf("wire: SmartLinkDataRow %d: %w", len(rows)+1, err)
		}
		rows = append(rows, row)
	}
	if err := r.end(); err != nil {
		return nil, fmt.Errorf("wire: ArrayOfSmartLinkDataRow: %w", err)
	}
	return rows, nil
}

func parseRow(r *docReader) (Row, error) {
	var row Row
	for {
		el, ok, err := r.next()
		if err != nil || !ok {
			return row, err
		}
		if el.Name.Local != "item" {
			if err := r.skip(); err != nil {
				return nil, err
			}
			continue
		}
		kv, err := parseItem(r)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", len(row)+1, err)
		}
		row = append(row, kv)
	}
}

var errNoKey = errors.New("no <key><string>")

// parseItem reads <item><key><string>K</string></key><value>…</value></item>.
func parseItem(r *docReader) (KV, error) {
	var kv KV
	haveKey := false
	for {
		el, ok, err := r.next()
		if err != nil {
			return kv, err
		}
		if !ok {
			if !haveKey {
				return kv, errNoKey
			}
			return kv, nil
		}
		switch el.Name.Local {
		case "key":
			kv.Key, haveKey, err = leafIn(r, "string")
		case "value":
			var v string
			v, err = valueIn(r)
			kv.Value = v
		default:
			err = r.skip()
		}
		if err != nil {
			return kv, err
		}
	}
}

// leafIn reads the text of the first child named name of the element being
// read and skips the rest of it.
func leafIn(r *docReader, name string) (text string, found bool, err error) {
	for {
		el, ok, err := r.next()
		if err != nil || !ok {
			return text, found, err
		}
		if el.Name.Local == name && !found {
			text, err = r.text(el)
			found = true
		} else {
			err = r.skip()
		}
		if err != nil {
			return "", false, err
		}
	}
}

// valueIn reads <value><SmartLinkDataValue><Value>V</Value>…</value>.
func valueIn(r *docReader) (string, error) {
	var v string
	for {
		el, ok, err := r.next()
		if err != nil || !ok {
			return v, err
		}
		if el.Name.Local == "SmartLinkDataValue" {
			v, _, err = leafIn(r, "Value")
		} else {
			err = r.skip()
		}
		if err != nil {
			return "", err
		}
	}
}

// scanRows reads the exact compact shape RowWriter writes. It gives up
// (ok == false) at the first byte it does not expect rather than guess, so it
// can only ever accept a document encoding/xml would accept with the same
// result; a give-up costs one failed prefix check before the slow path.
func scanRows(data []byte) (rows []Row, ok bool) {
	s, ok := cutPrefix(data, rowsOpen)
	if !ok {
		return nil, false
	}
	rows = []Row{}
	for {
		if s, ok = cutPrefix(s, rowsClose); ok {
			return rows, len(s) == 0
		}
		if s, ok = cutPrefix(s, rowOpen); !ok {
			return nil, false
		}
		var row Row
		for {
			var rest []byte
			if rest, ok = cutPrefix(s, rowClose); ok {
				s = rest
				break
			}
			var kv KV
			if s, ok = cutPrefix(s, itemOpen); !ok {
				return nil, false
			}
			if kv.Key, s, ok = scanText(s); !ok {
				return nil, false
			}
			if s, ok = cutPrefix(s, itemMid); !ok {
				return nil, false
			}
			if kv.Value, s, ok = scanText(s); !ok {
				return nil, false
			}
			if s, ok = cutPrefix(s, itemClose); !ok {
				return nil, false
			}
			row = append(row, kv)
		}
		rows = append(rows, row)
	}
}

func cutPrefix(s []byte, prefix string) ([]byte, bool) {
	if len(s) < len(prefix) || string(s[:len(prefix)]) != prefix {
		return s, false
	}
	return s[len(prefix):], true
}

// scanText reads character data up to the next '<'. It takes only plain
// XML characters and the references appendEscaped writes; a literal CR (which
// XML normalises), "]]>" (forbidden in text), any other reference or an
// invalid character makes it give up.
func scanText(s []byte) (text string, rest []byte, ok bool) {
	end := 0
	simple := true
	for end < len(s) && s[end] != '<' {
		c := s[end]
		switch {
		case c == '&' || c == '\r':
			simple = false
		case c == '>' && end >= 2 && s[end-1] == ']' && s[end-2] == ']':
			return "", s, false
		case c < 0x20 && c != '\t' && c != '\n':
			return "", s, false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s[end:])
			if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
				return "", s, false
			}
			end += size
			continue
		}
		end++
	}
	if end == len(s) {
		return "", s, false
	}
	raw := s[:end]
	if simple {
		return string(raw), s[end:], true
	}
	buf := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '\r' {
			return "", s, false
		}
		if c != '&' {
			buf = append(buf, c)
			i++
			continue
		}
		ref, r := refAt(raw[i:])
		if ref == 0 {
			return "", s, false
		}
		buf = append(buf, r)
		i += ref
	}
	return string(buf), s[end:], true
}

// refAt decodes the reference at the start of s if it is one appendEscaped
// writes, returning its length and its byte; 0 means "not one of ours".
func refAt(s []byte) (n int, c byte) {
	for _, e := range [...]struct {
		ref string
		c   byte
	}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&#xD;", '\r'}} {
		if len(s) >= len(e.ref) && string(s[:len(e.ref)]) == e.ref {
			return len(e.ref), e.c
		}
	}
	return 0, 0
}
