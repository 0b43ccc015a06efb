package wire

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestAppendEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain 123", "plain 123"},
		{"a&b", "a&amp;b"},
		{"<x>", "&lt;x&gt;"},
		{`"q" 'a'`, `"q" 'a'`},
		{"]]>", "]]&gt;"},
		{"tab\tnl\n", "tab\tnl\n"},
		{"cr\r", "cr&#xD;"},
		{"nul\x00esc\x1b", "nul\uFFFDesc\uFFFD"},
		{"é€😀\u007f", "é€😀\u007f"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"truncated\xe2\x82", "truncated\uFFFD\uFFFD"},
		{"nonchar\uFFFE\uFFFF", "nonchar\uFFFD\uFFFD"},
		{"private\uE000 ok", "private\uE000 ok"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendEscaped(nil, tt.in)), "%q", tt.in)
	}
	assert.Equal(t, "pre&amp;", string(appendEscaped([]byte("pre"), "&")))
}

func TestClip(t *testing.T) {
	assert.Equal(t, "short", clip("short"))
	long := strings.Repeat("é", 30) // 60 bytes
	c := clip(long)
	assert.True(t, utf8.ValidString(c))
	assert.True(t, strings.HasSuffix(c, "…"))
	assert.LessOrEqual(t, len(c), 40+len("…"))
}

func FuzzAppendEscaped(f *testing.F) {
	for _, s := range []string{"", "a&b<c>\"'", "\r\n\t", "\x00\xff", "é€😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Whatever the input, the output is one well-formed value that reads
		// back as the input with unrepresentable characters replaced.
		rows, err := ParseRows(MarshalRows([]Row{{{Key: "K", Value: s}}}))
		if err != nil {
			t.Fatalf("escaped %q is not well-formed: %v", s, err)
		}
		want := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != utf8.RuneError && (r < 0x80 || isXMLChar(r))) {
				return r
			}
			return utf8.RuneError
		}, s)
		if got := rows[0][0].Value; got != want {
			t.Fatalf("read back %q, want %q", got, want)
		}
	})
}
