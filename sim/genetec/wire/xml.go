package wire

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// xmlStyle says how Rows render, the one place where the two XML
// serialisations disagree about a value (their envelopes differ too, but
// those are written by their callers).
type xmlStyle uint8

const (
	// textXML renders Rows as any other array, one <Item> per row.
	textXML xmlStyle = iota
	// legacyXML renders Rows as <QueryResult><Row><Cell name="…">, the shape
	// production clients parse by exact text.
	legacyXML
)

// appendXMLContent appends v as the content of an element that the caller
// has opened: an object as one child element per key, an array as one <Item>
// per element, a null as nothing, a scalar as escaped text.
func appendXMLContent(dst []byte, v any, style xmlStyle, depth int) []byte {
	if depth > maxDepth {
		tooDeep()
	}
	switch v := v.(type) {
	case *Object:
		return appendXMLFields(dst, v, style, depth)
	case []any:
		for _, e := range v {
			dst = append(dst, "<Item>"...)
			dst = appendXMLContent(dst, e, style, depth+1)
			dst = append(dst, "</Item>"...)
		}
		return dst
	case []string:
		for _, e := range v {
			dst = append(dst, "<Item>"...)
			dst = appendXMLText(dst, e)
			dst = append(dst, "</Item>"...)
		}
		return dst
	case Rows:
		if style == legacyXML {
			return appendQueryResult(dst, v, depth)
		}
		for _, row := range v {
			dst = append(dst, "<Item>"...)
			dst = appendXMLFields(dst, row, style, depth+1)
			dst = append(dst, "</Item>"...)
		}
		return dst
	default:
		return appendXMLScalar(dst, v)
	}
}

// appendXMLFields appends one element per key of o. A nil o has no fields.
func appendXMLFields(dst []byte, o *Object, style xmlStyle, depth int) []byte {
	if o == nil {
		return dst
	}
	for i, k := range o.keys {
		dst = appendXMLElement(dst, k, o.vals[i], style, depth+1)
	}
	return dst
}

func appendXMLElement(dst []byte, name string, v any, style xmlStyle, depth int) []byte {
	dst = append(dst, '<')
	dst = appendXMLName(dst, name)
	dst = append(dst, '>')
	dst = appendXMLContent(dst, v, style, depth)
	dst = append(dst, '<', '/')
	dst = appendXMLName(dst, name)
	return append(dst, '>')
}

// appendQueryResult writes a report the way legacy clients parse it. An
// empty report is an open and close tag, never <QueryResult/>, because that
// is the text clients match.
func appendQueryResult(dst []byte, rows Rows, depth int) []byte {
	dst = append(dst, "<QueryResult>"...)
	for _, row := range rows {
		dst = append(dst, "<Row>"...)
		if row != nil {
			for i, k := range row.keys {
				dst = append(dst, `<Cell name="`...)
				dst = appendXMLText(dst, k)
				dst = append(dst, `">`...)
				dst = appendXMLContent(dst, row.vals[i], legacyXML, depth+2)
				dst = append(dst, "</Cell>"...)
			}
		}
		dst = append(dst, "</Row>"...)
	}
	return append(dst, "</QueryResult>"...)
}

func appendXMLScalar(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return dst
	case string:
		return appendXMLText(dst, v)
	case GUID:
		return appendXMLText(dst, string(v))
	case bool:
		return strconv.AppendBool(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case uint64:
		return strconv.AppendUint(dst, v, 10)
	case float64:
		return appendXMLFloat(dst, v)
	case time.Time:
		return appendTime(dst, v)
	default:
		unsupported(v)
		return dst
	}
}

// appendXMLFloat spells the non-finite values as XML Schema (and .NET's
// XmlConvert) does, since XML, unlike JSON, has a spelling for them.
func appendXMLFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "INF"...)
	case math.IsInf(f, -1):
		return append(dst, "-INF"...)
	}
	return appendFloat(dst, f)
}

// xmlSafe marks the ASCII bytes that go into XML text or an attribute value
// as they are.
var xmlSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '&' && b != '<' && b != '>' && b != '"'
	}
	return t
}()

// appendXMLText appends s escaped for element text or a double-quoted
// attribute value, so one function serves both.
//
// Tab, newline and carriage return are written as character references:
// parsers fold a raw CR to LF and raw whitespace in attributes to spaces, so
// only references survive a round trip, and without raw newlines an event
// part stays on one line whatever its fields hold. Characters XML 1.0 does
// not allow at all (other control characters, U+FFFE, U+FFFF) are dropped,
// as no escape can carry them; invalid UTF-8 bytes become U+FFFD, as in JSON.
func appendXMLText(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if xmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '&':
				dst = append(dst, "&amp;"...)
			case '<':
				dst = append(dst, "&lt;"...)
			case '>':
				dst = append(dst, "&gt;"...)
			case '"':
				dst = append(dst, "&quot;"...)
			case '\t':
				dst = append(dst, "&#x9;"...)
			case '\n':
				dst = append(dst, "&#xA;"...)
			case '\r':
				dst = append(dst, "&#xD;"...)
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			start = i + size
		case r == 0xFFFE || r == 0xFFFF:
			dst = append(dst, s[start:i]...)
			start = i + size
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// appendXMLName appends key as an element name. Keys are meant to be
// identifiers like "Name" or "EntityType", written as they are; anything
// else a handler passes through (user-defined field names, fuzz input) is
// made into a well-formed name rather than a broken document: characters
// outside ASCII letters, digits, '-', '.', '_' become '_', a name that cannot
// start as it does gets a leading '_', and the empty name is "_". Colons go
// too, as they would declare a namespace prefix nobody bound.
func appendXMLName(dst []byte, key string) []byte {
	if isPlainName(key) {
		return append(dst, key...)
	}
	if key == "" || !isNameStart(key[0]) {
		dst = append(dst, '_')
	}
	for _, r := range key {
		if r < utf8.RuneSelf && isNameByte(byte(r)) {
			dst = append(dst, byte(r))
		} else {
			dst = append(dst, '_')
		}
	}
	return dst
}

func isPlainName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

func isNameStart(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || b == '_'
}

func isNameByte(b byte) bool {
	return isNameStart(b) || '0' <= b && b <= '9' || b == '-' || b == '.'
}
