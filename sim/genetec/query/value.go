package query

import (
	"fmt"
	"strings"
)

// context is where a value sits, which decides what ends plain text.
type context uint8

const (
	ctxSet    context = iota // after '=': runs to the next top-level ','
	ctxAdd                   // after '@': a further '@' starts the next value
	ctxRemove                // after '-': GUIDs hold dashes, so only ',' ends it
	ctxArg                   // inside (…) or {…}: ',' or the closer ends it
)

// value parses one value. depth counts the parentheses and braces around
// it, so that nesting is bounded before it can exhaust the stack.
func (p *parser) value(ctx context, depth int) (Value, error) {
	p.skipSpace()
	if p.eof() {
		return Value{Kind: Text, Pos: p.pos}, nil
	}
	switch c := p.q[p.pos]; {
	case c == '"':
		return p.quoted()
	case c == '{':
		return p.list(depth)
	case c == '<':
		return p.xml()
	case c == '(' && (ctx == ctxAdd || ctx == ctxRemove):
		return p.wrapped(depth)
	}
	if end, ok := p.callEnd(); ok {
		return p.call(end, depth)
	}
	return p.text(ctx, depth)
}

// call parses Name(args) with p.pos on the name and nameEnd on the '('.
func (p *parser) call(nameEnd, depth int) (Value, error) {
	start := p.pos
	if depth >= MaxDepth {
		return Value{}, p.tooDeep(nameEnd)
	}
	p.pos = nameEnd
	args, err := p.args(')', start, depth+1)
	if err != nil {
		return Value{}, err
	}
	return Value{Kind: Call, Pos: start, Name: p.q[start:nameEnd], Args: args}, nil
}

func (p *parser) list(depth int) (Value, error) {
	start := p.pos
	if depth >= MaxDepth {
		return Value{}, p.tooDeep(start)
	}
	items, err := p.args('}', start, depth+1)
	if err != nil {
		return Value{}, err
	}
	return Value{Kind: List, Pos: start, Items: items}, nil
}

// args parses the comma-separated values between the opener at p.pos and
// closer; start is where the construct began, for messages. "()" has no
// values, "(a,)" has an empty text as its second.
func (p *parser) args(closer byte, start, depth int) ([]Value, error) {
	open := p.pos
	p.pos++
	p.skipSpace()
	if p.at(closer) {
		p.pos++
		return nil, nil
	}
	var vs []Value
	for {
		v, err := p.value(ctxArg, depth)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
		p.skipSpace()
		switch {
		case p.eof():
			return nil, p.unterminated(open, start)
		case p.q[p.pos] == ',':
			p.pos++
		case p.q[p.pos] == closer:
			p.pos++
			return vs, nil
		default:
			return nil, p.unexpected(p.pos)
		}
	}
}

// wrapped unwraps "(v)" after '@' or '-': clients send Groups-(<guid>).
func (p *parser) wrapped(depth int) (Value, error) {
	open := p.pos
	if depth >= MaxDepth {
		return Value{}, p.tooDeep(open)
	}
	p.pos++
	v, err := p.value(ctxArg, depth+1)
	if err != nil {
		return Value{}, err
	}
	p.skipSpace()
	switch {
	case p.eof():
		return Value{}, p.unterminated(open, open)
	case p.q[p.pos] != ')':
		return Value{}, p.unexpected(p.pos)
	}
	p.pos++
	return v, nil
}

// quoted parses a "…" string, in which a backslash keeps the next byte.
func (p *parser) quoted() (Value, error) {
	open := p.pos
	escaped := false
	for i := open + 1; i < len(p.q); i++ {
		switch p.q[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			p.pos = i + 1
			s := p.q[open+1 : i]
			if escaped {
				s = unescape(s)
			}
			return Value{Kind: Quoted, Pos: open, Text: s}, nil
		}
	}
	return Value{}, p.unterminated(open, open)
}

// unescape drops each backslash and keeps the byte after it. Working on
// bytes is enough: an escaped multi-byte rune keeps its continuation bytes.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// text parses plain text up to the top-level byte that ends it in ctx,
// without consuming that byte. Parentheses and braces inside must balance,
// so "Door (north, east)" is one value; a closer with no opener ends the
// text and is left for the caller to accept or reject.
func (p *parser) text(ctx context, depth int) (Value, error) {
	start := p.pos
	var (
		opens []int  // positions of the unclosed '(' and '{'
		buf   []byte // the text once an escape has made it differ from the query
		keep  int    // len(buf) without trailing blanks that no backslash kept
	)
loop:
	for ; p.pos < len(p.q); p.pos++ {
		c := p.q[p.pos]
		switch c {
		case '\\':
			if p.pos+1 == len(p.q) {
				return Value{}, &Error{Pos: p.pos, Token: `\`, Msg: fmt.Sprintf("dangling escape '\\' at %d", p.pos)}
			}
			if buf == nil {
				buf = append(make([]byte, 0, 2*(p.pos-start)+16), p.q[start:p.pos]...)
			}
			p.pos++
			buf = append(buf, p.q[p.pos])
			keep = len(buf)
			continue
		case '#':
			return Value{}, p.unsupported(p.pos)
		case '(', '{':
			if depth+len(opens) >= MaxDepth {
				return Value{}, p.tooDeep(p.pos)
			}
			opens = append(opens, p.pos)
		case ')', '}':
			if len(opens) == 0 {
				break loop
			}
			if o := p.q[opens[len(opens)-1]]; o == '(' && c != ')' || o == '{' && c != '}' {
				return Value{}, p.unexpected(p.pos)
			}
			opens = opens[:len(opens)-1]
		case ',':
			if len(opens) == 0 {
				break loop
			}
		case '@':
			if ctx == ctxAdd && len(opens) == 0 {
				break loop
			}
		}
		if buf != nil {
			buf = append(buf, c)
			if !isSpace(c) {
				keep = len(buf)
			}
		}
	}
	if len(opens) > 0 {
		o := opens[len(opens)-1]
		return Value{}, p.unterminated(o, o)
	}
	v := Value{Kind: Text, Pos: start}
	if buf != nil {
		v.Text = string(buf[:keep])
	} else {
		v.Text = strings.TrimRight(p.q[start:p.pos], " \t\r\n")
	}
	return v, nil
}
