package query

import (
	"fmt"
	"strings"
)

// xml parses an inline XML value, which clients send unescaped as in
// Format=<Keypad><Code>1234</Code></Keypad>: it runs to the end of the
// element it starts with, however many commas, parentheses or '=' that
// holds, and is kept verbatim for the simulator's XML decoder. Only the
// element structure is checked here, enough to find where the value ends.
func (p *parser) xml() (Value, error) {
	q, start := p.q, p.pos
	var open []string // names of the elements not yet closed
	first := ""
	unterminated := func() (Value, error) {
		tok := "<" + clip(first, 0, min(len(first), maxQuote)) + ">"
		return Value{}, &Error{Pos: start, Token: tok, Msg: fmt.Sprintf("unterminated XML value %s at %d", tok, start)}
	}
	for i := start; ; {
		// i is on a '<'.
		rest := q[i:]
		switch {
		case len(open) > 0 && strings.HasPrefix(rest, "<!--"):
			j := strings.Index(rest[4:], "-->")
			if j < 0 {
				return unterminated()
			}
			i += 4 + j + 3
		case len(open) > 0 && strings.HasPrefix(rest, "<![CDATA["):
			j := strings.Index(rest[9:], "]]>")
			if j < 0 {
				return unterminated()
			}
			i += 9 + j + 3
		case len(open) > 0 && strings.HasPrefix(rest, "<?"):
			j := strings.Index(rest[2:], "?>")
			if j < 0 {
				return unterminated()
			}
			i += 2 + j + 2
		case len(open) > 0 && strings.HasPrefix(rest, "</"):
			n := xmlNameEnd(q, i+2)
			name := q[i+2 : n]
			for n < len(q) && isSpace(q[n]) {
				n++
			}
			if n == len(q) {
				return unterminated()
			}
			if name == "" || q[n] != '>' {
				return Value{}, p.badXML(i, "malformed closing tag")
			}
			if want := open[len(open)-1]; name != want {
				return Value{}, p.badXML(i, "closing tag </"+clip(name, 0, min(len(name), maxQuote))+"> does not match <"+clip(want, 0, min(len(want), maxQuote))+">")
			}
			open = open[:len(open)-1]
			i = n + 1
			if len(open) == 0 {
				p.pos = i
				return Value{Kind: XML, Pos: start, Text: q[start:i]}, nil
			}
		default:
			n := xmlNameEnd(q, i+1)
			name := q[i+1 : n]
			if name == "" {
				return Value{}, p.badXML(i, "want an element name after '<'")
			}
			if first == "" {
				first = name
			}
			// Find the '>' that ends the tag, past quoted attribute values.
			var quote byte
			for ; n < len(q); n++ {
				c := q[n]
				if quote != 0 {
					if c == quote {
						quote = 0
					}
				} else if c == '"' || c == '\'' {
					quote = c
				} else if c == '>' {
					break
				}
			}
			if n == len(q) {
				return unterminated()
			}
			i = n + 1
			if q[n-1] != '/' {
				open = append(open, name)
			} else if len(open) == 0 {
				p.pos = i
				return Value{Kind: XML, Pos: start, Text: q[start:i]}, nil
			}
		}
		j := strings.IndexByte(q[i:], '<')
		if j < 0 {
			return unterminated()
		}
		i += j
	}
}

func (p *parser) badXML(pos int, why string) *Error {
	return &Error{Pos: pos, Token: tokenAt(p.q, pos), Msg: fmt.Sprintf("invalid XML value at %d: %s", pos, why)}
}

// xmlNameEnd is the end of the XML name starting at i, or i when there is
// none. Bytes from 0x80 up are accepted as name characters: checking XML's
// Unicode name classes is the decoder's business, not the parser's.
func xmlNameEnd(q string, i int) int {
	if i >= len(q) {
		return i
	}
	if c := q[i]; !(isIdentStart(c) || c == ':' || c >= 0x80) {
		return i
	}
	j := i + 1
	for j < len(q) {
		c := q[j]
		if !(isIdent(c) || c == ':' || c == '-' || c == '.' || c >= 0x80) {
			break
		}
		j++
	}
	return j
}
