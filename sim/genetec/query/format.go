package query

import "strings"

// String gives the value back as query text, e.g. "LogicalID(Door,1)", for
// messages. Text is escaped so that the result, written after '=', parses
// back to the same value.
func (v Value) String() string {
	var b strings.Builder
	v.write(&b)
	return b.String()
}

func (v Value) write(b *strings.Builder) {
	switch v.Kind {
	case Call:
		b.WriteString(v.Name)
		writeValues(b, '(', v.Args, ')')
	case List:
		writeValues(b, '{', v.Items, '}')
	case Quoted:
		b.WriteByte('"')
		for i := 0; i < len(v.Text); i++ {
			if c := v.Text[i]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v.Text[i])
		}
		b.WriteByte('"')
	case XML:
		b.WriteString(v.Text)
	default:
		writeText(b, v.Text)
	}
}

func writeValues(b *strings.Builder, open byte, vs []Value, closer byte) {
	b.WriteByte(open)
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		v.write(b)
	}
	b.WriteByte(closer)
}

// writeText escapes what would otherwise end the text, nest, start another
// kind of value, or be trimmed. '@' stays bare: it is literal after '=',
// and e-mail addresses read better that way.
func writeText(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte(`\,(){}#`, c) >= 0,
			i == 0 && (c == '"' || c == '<' || isSpace(c)),
			i == len(s)-1 && isSpace(c):
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}
