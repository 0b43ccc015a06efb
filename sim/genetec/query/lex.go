package query

// parser walks the query once, left to right. The grammar needs at most one
// byte of lookahead except for telling a call from plain text, which
// callEnd settles by scanning the identifier ahead without consuming it.
type parser struct {
	q   string
	pos int
}

// isSpace is the whitespace clients put around terms and arguments. Only
// ASCII: the Web SDK trims nothing else.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isIdent(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func (p *parser) eof() bool { return p.pos >= len(p.q) }

// at reports whether the next byte is c.
func (p *parser) at(c byte) bool { return p.pos < len(p.q) && p.q[p.pos] == c }

func (p *parser) skipSpace() {
	for p.pos < len(p.q) && isSpace(p.q[p.pos]) {
		p.pos++
	}
}

// identEnd is the end of the run of identifier bytes starting at i.
func (p *parser) identEnd(i int) int {
	for i < len(p.q) && isIdent(p.q[i]) {
		i++
	}
	return i
}

// callEnd reports where the dotted identifier at p.pos ends when a '('
// follows it immediately, which is what makes a value a call rather than
// text: "Smith (Jr)" and "6.00:00:00" stay text.
func (p *parser) callEnd() (int, bool) {
	if p.eof() || !isIdentStart(p.q[p.pos]) {
		return 0, false
	}
	i := p.pos
	for {
		j := p.identEnd(i)
		if j == i || j == len(p.q) {
			return 0, false
		}
		switch p.q[j] {
		case '(':
			return j, true
		case '.':
			i = j + 1
		default:
			return 0, false
		}
	}
}

// trimRight trims trailing whitespace except a space kept by a backslash,
// so a term's Raw reads as it was written.
func trimRight(s string) string {
	i := len(s)
	for i > 0 && isSpace(s[i-1]) {
		n := 0
		for j := i - 2; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 1 {
			break
		}
		i--
	}
	return s[:i]
}
