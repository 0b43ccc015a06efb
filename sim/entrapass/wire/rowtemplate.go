package wire

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// RowTemplate is the markup of a row whose keys are known in advance, as
// every state row of a door lists the same eleven keys: the markup between
// two values is built once, so a row is written as one copy per value
// instead of five, and its length is known without writing it. A state
// poll of a large site is 100,000 rows, streamed after its length is
// announced (RowWriter.Flush).
type RowTemplate struct {
	// parts[i] comes before value i; the last one ends the row.
	parts []string
	fixed int
}

// NewRowTemplate builds the template of a row of these keys, in order.
func NewRowTemplate(keys ...string) *RowTemplate {
	t := &RowTemplate{}
	b := []byte(rowOpen)
	for i, k := range keys {
		if i > 0 {
			b = append(b, itemClose...)
		}
		b = append(b, itemOpen...)
		b = appendEscaped(b, k)
		b = append(b, itemMid...)
		t.parts = append(t.parts, string(b))
		b = b[:0]
	}
	if len(keys) > 0 {
		b = append(b, itemClose...)
	}
	t.parts = append(t.parts, string(append(b, rowClose...)))
	for _, p := range t.parts {
		t.fixed += len(p)
	}
	return t
}

// Keys returns how many values a row of the template takes.
func (t *RowTemplate) Keys() int { return len(t.parts) - 1 }

// Value is one value of a templated row: a text, escaped as Item escapes
// it, or an integer.
type Value struct {
	text  string
	n     int64
	isInt bool
}

// Text is a text value.
func Text(s string) Value { return Value{text: s} }

// Int is an integer value.
func Int(n int64) Value { return Value{n: n, isInt: true} }

// Flag is a 0/1 value, as ItemFlag writes it.
func Flag(on bool) Value {
	if on {
		return Int(1)
	}
	return Int(0)
}

// Len returns the length of the row RowFrom writes for t and vals.
func (t *RowTemplate) Len(vals []Value) int {
	t.check(vals)
	n := t.fixed
	for _, v := range vals {
		if v.isInt {
			n += intLen(v.n)
		} else {
			n += escapedLen(v.text)
		}
	}
	return n
}

func (t *RowTemplate) check(vals []Value) {
	if len(vals) != t.Keys() {
		panic(fmt.Sprintf("wire: %d values for a row template of %d keys", len(vals), t.Keys()))
	}
}

// RowFrom writes a whole row of the template, a value per key in order:
// the bytes Row, an Item or ItemInt per key and EndRow write.
func (w *RowWriter) RowFrom(t *RowTemplate, vals []Value) {
	w.expect(rwArray, "RowFrom")
	t.check(vals)
	b := w.buf
	for i, v := range vals {
		b = append(b, t.parts[i]...)
		if v.isInt {
			b = strconv.AppendInt(b, v.n, 10)
		} else {
			b = appendEscaped(b, v.text)
		}
	}
	w.buf = append(b, t.parts[len(vals)]...)
	w.rows++
}

// intLen is the length of strconv.AppendInt(nil, v, 10).
func intLen(v int64) int {
	if v >= 0 && v < 10 {
		return 1
	}
	var b [20]byte
	return len(strconv.AppendInt(b[:0], v, 10))
}

// escapedLen is the length of appendEscaped(nil, s).
func escapedLen(s string) int {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !needsEscape[s[i]] {
		i++
	}
	if i == len(s) {
		return len(s)
	}
	n := i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				n += len("&amp;")
			case '<', '>':
				n += len("&lt;")
			case '\r':
				n += len("&#xD;")
			case '\t', '\n':
				n++
			default:
				if c < 0x20 {
					n += len(replacement)
				} else {
					n++
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			n += len(replacement)
		} else {
			n += size
		}
		i += size
	}
	return n
}
