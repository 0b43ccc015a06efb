package query

import (
	"fmt"
	"strings"
)

// Parse parses q, the URL-decoded text of a q= parameter. Limits: at most
// MaxLen bytes, MaxTerms terms and MaxDepth nested parentheses and braces;
// beyond them, and on any syntax error, it returns an *Error.
func Parse(q string) (*Query, error) {
	if len(q) > MaxLen {
		return nil, &Error{Pos: MaxLen, Msg: fmt.Sprintf("query is %d bytes long, more than %d", len(q), MaxLen)}
	}
	p := parser{q: q}
	p.skipSpace()
	if p.eof() {
		return nil, &Error{Pos: 0, Msg: "empty query"}
	}
	// Commas inside values make this an overestimate, which costs less
	// than growing the slice term by term.
	terms := make([]Term, 0, min(strings.Count(q, ",")+1, MaxTerms))
	for {
		p.skipSpace()
		if len(terms) == MaxTerms {
			return nil, &Error{Pos: p.pos, Msg: fmt.Sprintf("more than %d terms at %d", MaxTerms, p.pos)}
		}
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		// term stops at a top-level comma or the end of the query.
		if p.eof() {
			return &Query{Terms: terms, Text: q}, nil
		}
		p.pos++
	}
}

// term parses one term and leaves p.pos on the comma that ends it or at the
// end of the query.
func (p *parser) term() (Term, error) {
	start := p.pos
	if err := p.path(); err != nil {
		return Term{}, err
	}
	t := Term{Pos: start, Name: p.q[start:p.pos]}
	t.Path = strings.Split(t.Name, ".")
	// Clients put blanks before an operator as freely as around a term.
	p.skipSpace()
	var err error
	switch {
	case p.eof() || p.q[p.pos] == ',':
		t.Op = OpGet
	case p.q[p.pos] == '=':
		t.Op = OpSet
		p.pos++
		var v Value
		v, err = p.value(ctxSet, 0)
		t.Values = []Value{v}
	case p.q[p.pos] == '@':
		t.Op = OpAdd
		for err == nil && p.at('@') {
			p.pos++
			var v Value
			v, err = p.value(ctxAdd, 0)
			t.Values = append(t.Values, v)
			p.skipSpace()
		}
	case p.q[p.pos] == '-':
		t.Op = OpRemove
		p.pos++
		var v Value
		v, err = p.value(ctxRemove, 0)
		t.Values = []Value{v}
	case p.q[p.pos] == '*':
		t.Op = OpClear
		p.pos++
	case p.q[p.pos] == '(':
		t.Op = OpCall
		t.Values, err = p.args(')', start, 1)
	default:
		return Term{}, p.unexpected(p.pos)
	}
	if err != nil {
		return Term{}, err
	}
	t.Raw = trimRight(p.q[start:p.pos])
	p.skipSpace()
	if !p.eof() && p.q[p.pos] != ',' {
		return Term{}, p.unexpected(p.pos)
	}
	return t, nil
}

// path reads a member path: identifiers joined by single dots.
func (p *parser) path() error {
	first := true
	for {
		s := p.pos
		p.pos = p.identEnd(s)
		if p.pos == s {
			return p.noName(s, first)
		}
		if !p.at('.') {
			return nil
		}
		p.pos++
		first = false
	}
}

// noName explains a missing identifier: nothing at all is an empty term
// ("a,,b"), an operator with nothing before it is an empty member name
// ("=x", "a.=x").
func (p *parser) noName(pos int, first bool) *Error {
	if first && (pos == len(p.q) || p.q[pos] == ',') {
		return &Error{Pos: pos, Msg: fmt.Sprintf("empty term at %d", pos)}
	}
	if pos < len(p.q) && p.q[pos] == '#' {
		return p.unsupported(pos)
	}
	if !first || strings.IndexByte("=@-*(.", p.q[pos]) >= 0 {
		e := &Error{Pos: pos, Msg: fmt.Sprintf("empty member name at %d", pos)}
		if pos < len(p.q) {
			e.Token = tokenAt(p.q, pos)
		}
		return e
	}
	return p.unexpected(pos)
}
