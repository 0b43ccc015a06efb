package query

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueString(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{C("LogicalID", T("Door"), T("1")), "LogicalID(Door,1)"},
		{C("Checkout"), "Checkout()"},
		{C("F", L(L(Q("Agency Code"), Q("1234")))), `F({{"Agency Code","1234"}})`},
		{L(), "{}"},
		{T("Bob Smith"), "Bob Smith"},
		{T("a@b.com"), "a@b.com"},
		{T(""), ""},
		{T("Hi, there"), `Hi\, there`},
		{T("Foo(1)"), `Foo\(1\)`},
		{T(`"x" <y>`), `\"x" <y>`},
		{T("<y>"), `\<y>`},
		{T(" a "), `\ a\ `},
		{T(`C:\x #1 {}`), `C:\\x \#1 \{\}`},
		{Q(`say "hi" \o/`), `"say \"hi\" \\o/"`},
		{X("<K><C>1,2</C></K>"), "<K><C>1,2</C></K>"},
		{Value{}, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.v.String())
	}
}

// String is meant to be usable as query text: written after '=', it parses
// back to the same value.
func TestValueStringParsesBack(t *testing.T) {
	for _, v := range []Value{
		T(`Hi, (there) {x} #1 \ "q" <x> @ - * =`),
		T(" lead"), T("trail "), T(`"`), T("<"), T(""),
		C("A.B", T(""), T("x"), L(), L(Q(`a"b\c`), X(`<a b="1,2"/>`))),
		X(wiegandXML),
	} {
		q, err := Parse("X=" + v.String())
		require.NoError(t, err, v.String())
		assert.Equal(t, []Value{v}, stripValues(q.Terms[0].Values), v.String())
	}
}
