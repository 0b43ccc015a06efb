package wire

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxDepth bounds nesting. A tree is built by hand, and an Object set as its
// own descendant would otherwise recurse until the runtime kills the whole
// simulator with an unrecoverable stack overflow; a panic is recoverable by
// the HTTP server and names the bug.
const maxDepth = 100

func tooDeep() {
	panic(fmt.Sprintf("wire: result tree nested deeper than %d levels (an Object containing itself?)", maxDepth))
}

func unsupported(v any) {
	panic(fmt.Sprintf("wire: unsupported value type %T in result tree", v))
}

// appendJSON appends v as JSON. The tree is the same in text/json and legacy
// JSON; only the envelopes differ.
func appendJSON(dst []byte, v any, depth int) []byte {
	if depth > maxDepth {
		tooDeep()
	}
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return appendJSONString(dst, v)
	case GUID:
		return appendJSONString(dst, string(v))
	case bool:
		return strconv.AppendBool(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case uint64:
		return strconv.AppendUint(dst, v, 10)
	case float64:
		return appendJSONFloat(dst, v)
	case time.Time:
		dst = append(dst, '"')
		dst = appendTime(dst, v)
		return append(dst, '"')
	case *Object:
		return appendJSONObject(dst, v, depth)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, e, depth+1)
		}
		return append(dst, ']')
	case []string:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, e)
		}
		return append(dst, ']')
	case Rows:
		// Never null, even when nil: a report with no rows is an empty list.
		dst = append(dst, '[')
		for i, row := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONObject(dst, row, depth+1)
		}
		return append(dst, ']')
	default:
		unsupported(v)
		return dst
	}
}

func appendJSONObject(dst []byte, o *Object, depth int) []byte {
	if o == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	for i, k := range o.keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = appendJSON(dst, o.vals[i], depth+1)
	}
	return append(dst, '}')
}

// appendJSONFloat writes numbers as encoding/json does, so that values read
// the same whichever way a test produced them. JSON has no NaN or infinity;
// null is the least surprising stand-in for a client.
func appendJSONFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return appendFloat(dst, f)
}

// appendFloat writes a finite float in the shortest form that round-trips,
// plain for ordinary magnitudes and exponent form for extreme ones.
func appendFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// Shorten e-07 to e-7, as encoding/json and JavaScript do.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// jsonSafe marks the ASCII bytes that go into a JSON string as they are, so
// that runs of ordinary text are copied in one append.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a quoted JSON string. Any input yields valid
// JSON: quotes, backslashes and control characters are escaped, each invalid
// UTF-8 byte becomes U+FFFD (as encoding/json does), and U+2028/U+2029 are
// escaped because JavaScript clients that eval the answer choke on them raw.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
