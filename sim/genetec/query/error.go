package query

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error is a syntax error in a query. Its message names the offending token
// and its position, e.g.
//
//	unexpected ')' at 8 in "entity=x),Name"
//	unterminated '(' opened at 16 ("NewEntity(Cardholder")
//	'#' is not supported at 3
//	empty member name at 0
//	unterminated XML value <UndecodedWiegand> at 7
//
// and quotes at most 60 bytes of the query, so a long query never floods a
// log or a response.
type Error struct {
	Pos   int    // byte offset of the offending token in the query
	Token string // the offending token, e.g. ")", "#", "<UndecodedWiegand>"; empty at the end of the query
	Msg   string // the whole message; Error returns it
}

// Error returns e.Msg, or a message made of e.Token and e.Pos for an Error
// built without one.
func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	if e.Token != "" {
		return fmt.Sprintf("unexpected %s at %d", quoteToken(e.Token), e.Pos)
	}
	return fmt.Sprintf("syntax error at %d", e.Pos)
}

// maxQuote is how much of the query a message may quote.
const maxQuote = 60

// quoteToken quotes a one-rune token the way Go quotes runes (')', '\x00'),
// and anything longer as it is.
func quoteToken(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	switch {
	case n != len(t):
		return t
	case r == utf8.RuneError && n == 1:
		return fmt.Sprintf(`'\x%02x'`, t[0])
	}
	return strconv.QuoteRune(r)
}

// clip returns q[lo:hi] moved onto rune boundaries, marking a cut side with
// "…". Both ends only move inwards so the excerpt never grows past hi-lo.
func clip(q string, lo, hi int) string {
	for lo > 0 && lo < hi && !utf8.RuneStart(q[lo]) {
		lo++
	}
	for hi < len(q) && hi > lo && !utf8.RuneStart(q[hi]) {
		hi--
	}
	s := q[lo:hi]
	if lo > 0 {
		s = "…" + s
	}
	if hi < len(q) {
		s += "…"
	}
	return s
}

// around is the excerpt of q centred on pos.
func around(q string, pos int) string {
	lo := max(0, pos-maxQuote/2)
	hi := min(len(q), lo+maxQuote)
	lo = max(0, hi-maxQuote)
	return clip(q, lo, hi)
}

// from is the excerpt of q starting at pos, for constructs that run to the
// end of the query; what comes before pos is not the construct's, so no
// "…" stands for it.
func from(q string, pos int) string {
	return clip(q[pos:], 0, min(len(q)-pos, maxQuote))
}

// tokenAt is the rune at pos, or a lone byte when it is not valid UTF-8.
func tokenAt(q string, pos int) string {
	_, n := utf8.DecodeRuneInString(q[pos:])
	return q[pos : pos+n]
}

func (p *parser) unexpected(pos int) *Error {
	if pos >= len(p.q) {
		return &Error{Pos: pos, Msg: fmt.Sprintf("unexpected end of query at %d in %q", pos, around(p.q, pos))}
	}
	if p.q[pos] == '#' {
		return p.unsupported(pos)
	}
	tok := tokenAt(p.q, pos)
	return &Error{Pos: pos, Token: tok, Msg: fmt.Sprintf("unexpected %s at %d in %q", quoteToken(tok), pos, around(p.q, pos))}
}

func (p *parser) unsupported(pos int) *Error {
	return &Error{Pos: pos, Token: "#", Msg: fmt.Sprintf("'#' is not supported at %d", pos)}
}

// unterminated reports an opener never closed; start is where the
// construct begins (a call's name), which the message quotes from.
func (p *parser) unterminated(open, start int) *Error {
	tok := tokenAt(p.q, open)
	return &Error{Pos: open, Token: tok, Msg: fmt.Sprintf("unterminated %s opened at %d (%q)", quoteToken(tok), open, from(p.q, start))}
}

func (p *parser) tooDeep(pos int) *Error {
	return &Error{Pos: pos, Token: tokenAt(p.q, pos), Msg: fmt.Sprintf("nesting deeper than %d at %d", MaxDepth, pos)}
}
