package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		q    string
		pos  int
		tok  string
		msg  string
	}{
		{"stray paren", "entity=x),Name", 8, ")", `unexpected ')' at 8 in "entity=x),Name"`},
		{"stray paren first", ")", 0, ")", `unexpected ')' at 0 in ")"`},
		{"stray paren term", "Name,)", 5, ")", `unexpected ')' at 5 in "Name,)"`},
		{"stray paren after call", "Checkout())", 10, ")", `unexpected ')' at 10 in "Checkout())"`},
		{"stray brace", "Name=a}", 6, "}", `unexpected '}' at 6 in "Name=a}"`},
		{"mismatched in text", "Name=(a}", 7, "}", `unexpected '}' at 7 in "Name=(a}"`},
		{"mismatched in call", "f(a}", 3, "}", `unexpected '}' at 3 in "f(a}"`},
		{"unterminated new entity", "entity=NewEntity(Cardholder", 16, "(", `unterminated '(' opened at 16 ("NewEntity(Cardholder")`},
		{"unterminated term call", "Status.Activate(a,", 15, "(", `unterminated '(' opened at 15 ("Status.Activate(a,")`},
		{"unterminated inner call", "X=f(g(1)", 3, "(", `unterminated '(' opened at 3 ("f(g(1)")`},
		{"unterminated text paren", "Name=Bob (x", 9, "(", `unterminated '(' opened at 9 ("(x")`},
		{"unterminated list", "X=f({a", 4, "{", `unterminated '{' opened at 4 ("{a")`},
		{"unterminated wrapped", "Groups-(a", 7, "(", `unterminated '(' opened at 7 ("(a")`},
		{"two values wrapped", "Groups-(a,b)", 9, ",", `unexpected ',' at 9 in "Groups-(a,b)"`},
		{"hash after name", "abc#", 3, "#", `'#' is not supported at 3`},
		{"hash alone", "#", 0, "#", `'#' is not supported at 0`},
		{"hash in value", "Name=a#b", 6, "#", `'#' is not supported at 6`},
		{"hash after call", `f("a"#)`, 5, "#", `'#' is not supported at 5`},
		{"term starts with =", "=x", 0, "=", `empty member name at 0`},
		{"second term starts with =", "Name,=x", 5, "=", `empty member name at 5`},
		{"term starts with @", "@x", 0, "@", `empty member name at 0`},
		{"term starts with dot", ".a", 0, ".", `empty member name at 0`},
		{"empty path segment", "a.=x", 2, "=", `empty member name at 2`},
		{"trailing dot", "a.", 2, "", `empty member name at 2`},
		{"empty term", "a,,b", 2, "", `empty term at 2`},
		{"blank term", "a, ,b", 3, "", `empty term at 3`},
		{"trailing comma", "a,", 2, "", `empty term at 2`},
		{"leading comma", ",a", 0, "", `empty term at 0`},
		{"empty query", "", 0, "", `empty query`},
		{"blank query", " \t ", 0, "", `empty query`},
		{"unterminated quote", `Name="abc`, 5, `"`, `unterminated '"' opened at 5 ("\"abc")`},
		{"unterminated quote escape", `Name="abc\"`, 5, `"`, `unterminated '"' opened at 5 ("\"abc\\\"")`},
		{"unterminated quote in list", `X=f({"a})`, 5, `"`, `unterminated '"' opened at 5 ("\"a})")`},
		{"unterminated xml", "Format=<UndecodedWiegand><BitLength>26</BitLength>", 7, "<UndecodedWiegand>",
			`unterminated XML value <UndecodedWiegand> at 7`},
		{"unterminated xml tag", "Format=<Keypad", 7, "<Keypad>", `unterminated XML value <Keypad> at 7`},
		{"unterminated xml comment", "F=<a><!-- x", 2, "<a>", `unterminated XML value <a> at 2`},
		{"mismatched xml", "Format=<A><B></A>", 13, "<", `invalid XML value at 13: closing tag </A> does not match <B>`},
		{"xml without name", "Format=< A>", 7, "<", `invalid XML value at 7: want an element name after '<'`},
		{"xml starting with closing tag", "Format=</A>", 7, "<", `invalid XML value at 7: want an element name after '<'`},
		{"text after xml", "F=<a/>b", 6, "b", `unexpected 'b' at 6 in "F=<a/>b"`},
		{"dangling escape", `Name=Bob\`, 8, `\`, `dangling escape '\' at 8`},
		{"blank inside term", "Name Bob", 5, "B", `unexpected 'B' at 5 in "Name Bob"`},
		{"text after clear", "Members*x", 8, "x", `unexpected 'x' at 8 in "Members*x"`},
		{"text after call", "Checkout() now", 11, "n", `unexpected 'n' at 11 in "Checkout() now"`},
		{"text after quote", `Name="a"b`, 8, "b", `unexpected 'b' at 8 in "Name=\"a\"b"`},
		{"text after value call", "Name=Door(1) x", 13, "x", `unexpected 'x' at 13 in "Name=Door(1) x"`},
		{"bad name byte", "Name$=x", 4, "$", `unexpected '$' at 4 in "Name$=x"`},
		{"bad first byte", "$x", 0, "$", `unexpected '$' at 0 in "$x"`},
		{"non-ascii name", "é", 0, "é", `unexpected 'é' at 0 in "é"`},
		{"invalid utf-8", "\xff", 0, "\xff", `unexpected '\xff' at 0 in "\xff"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.q)
			require.Error(t, err)
			assert.Nil(t, q)
			var e *Error
			require.True(t, errors.As(err, &e), "%T is not *Error", err)
			assert.Equal(t, tt.pos, e.Pos, "Pos")
			assert.Equal(t, tt.tok, e.Token, "Token")
			assert.Equal(t, tt.msg, e.Error())
		})
	}
}

func TestParseLimits(t *testing.T) {
	nest := func(n int, open, closer string) string {
		return "X=" + strings.Repeat(open, n) + strings.Repeat(closer, n)
	}
	limits := []struct {
		name string
		ok   string
		bad  string
		pos  int
	}{
		// The 33rd opener is at 2+32*2+1 for calls and 2+32 for the rest.
		{"calls", nest(MaxDepth, "f(", ")"), nest(MaxDepth+1, "f(", ")"), 2 + 32*2 + 1},
		{"lists", nest(MaxDepth, "{", "}"), nest(MaxDepth+1, "{", "}"), 2 + 32},
		{"text parens", nest(MaxDepth, "(", ")"), nest(MaxDepth+1, "(", ")"), 2 + 32},
		{"term call counts", strings.Repeat("f(", MaxDepth) + strings.Repeat(")", MaxDepth),
			strings.Repeat("f(", MaxDepth+1) + strings.Repeat(")", MaxDepth+1), 32*2 + 1},
		{"wrapped", "G-" + strings.Repeat("(", MaxDepth) + "a" + strings.Repeat(")", MaxDepth),
			"G-" + strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1), 2 + 32},
		{"terms", strings.Repeat("a,", MaxTerms-1) + "a", strings.Repeat("a,", MaxTerms) + "a", 2 * MaxTerms},
	}
	for _, tt := range limits {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.ok)
			require.NoError(t, err)
			_, err = Parse(tt.bad)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tt.pos, e.Pos)
			assert.Less(t, len(e.Error()), 200)
		})
	}
	t.Run("depth message", func(t *testing.T) {
		_, err := Parse(nest(MaxDepth+1, "f(", ")"))
		assert.EqualError(t, err, "nesting deeper than 32 at 67")
	})
	t.Run("terms message", func(t *testing.T) {
		_, err := Parse(strings.Repeat("a,", MaxTerms) + "a")
		assert.EqualError(t, err, "more than 4096 terms at 8192")
	})
	t.Run("length", func(t *testing.T) {
		q := "Name=" + strings.Repeat("x", MaxLen-5)
		_, err := Parse(q)
		require.NoError(t, err)
		_, err = Parse(q + "x")
		var e *Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, MaxLen, e.Pos)
		assert.Equal(t, "query is 65537 bytes long, more than 65536", e.Error())
	})
}

func TestErrorQuotesLittle(t *testing.T) {
	long := strings.Repeat("abcdefghij", 100)
	for _, q := range []string{
		"Name=" + long + ")" + long,
		"Name=" + long + "," + long + "$",
		"X=f(" + long,
		"Name=\"" + long,
		"Name=" + strings.Repeat("é", 500) + ")" + strings.Repeat("é", 500),
	} {
		_, err := Parse(q)
		require.Error(t, err)
		msg := err.Error()
		assert.Less(t, len(msg), 60+80, msg)
		assert.Contains(t, msg, "…")
		assert.True(t, strings.ToValidUTF8(msg, "?") == msg, "clipped inside a rune: %q", msg)
	}
	_, err := Parse("Format=<" + long + ">")
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 120, err.Error())
}

func TestErrorWithoutMsg(t *testing.T) {
	assert.Equal(t, "unexpected ')' at 3", (&Error{Pos: 3, Token: ")"}).Error())
	assert.Equal(t, "syntax error at 4", (&Error{Pos: 4}).Error())
}
