package wire

import "unicode/utf8"

// needsEscape marks the ASCII bytes that cannot be copied verbatim into
// character data. Tab and newline are absent on purpose: they are legal as is
// and common in free text, so they stay on the fast path.
var needsEscape = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n'
	}
	for _, c := range `&<>` {
		t[c] = true
	}
	return t
}()

// replacement is what an unrepresentable character becomes. XML 1.0 cannot
// carry most control characters or invalid UTF-8 at all (not even as
// character references), and a document a strict parser rejects would break
// every client at once, so a lossy substitution is the lesser evil.
const replacement = "\uFFFD"

// appendEscaped appends s to buf as XML character data.
//
// &, <, > become entity references. Quotes stay as they are, as .NET's
// XmlWriter leaves them in text: a client that picks values out with a regex
// and does not unescape sees O'Brien from us as from a real server. \r becomes &#xD; because parsers
// normalise a literal CR to LF, and a card user field must come back as it
// went in.
func appendEscaped(buf []byte, s string) []byte {
	// Nearly every value (dates, numbers, names) needs no escaping; copying
	// it whole is what keeps RowWriter at a few nanoseconds per item.
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !needsEscape[s[i]] {
		i++
	}
	if i == len(s) {
		return append(buf, s...)
	}
	buf = append(buf, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '&':
				buf = append(buf, "&amp;"...)
			case '<':
				buf = append(buf, "&lt;"...)
			case '>':
				buf = append(buf, "&gt;"...)
			case '\r':
				buf = append(buf, "&#xD;"...)
			case '\t', '\n':
				buf = append(buf, c)
			default:
				if c < 0x20 {
					buf = append(buf, replacement...)
				} else {
					buf = append(buf, c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			buf = append(buf, replacement...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return buf
}

// isXMLChar reports whether a non-ASCII rune is allowed by the XML 1.0 Char
// production (surrogates never reach here: the UTF-8 decoder rejects them).
func isXMLChar(r rune) bool {
	return r <= 0xD7FF || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= utf8.MaxRune)
}

// appendElem appends <name>escaped value</name>. An empty value is written
// as an open and a close tag, never as <name/>, because regex clients look
// for the pair.
func appendElem(buf []byte, name, value string) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = appendEscaped(buf, value)
	return appendClose(buf, name)
}

// appendClose appends </name>.
func appendClose(buf []byte, name string) []byte {
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}
