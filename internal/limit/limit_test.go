package limit

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll reads every token of s through NewXML and returns the error
// that ended it (nil at EOF).
func readAll(s string, l Limits) (int, error) {
	x := NewXML(strings.NewReader(s), l)
	n := 0
	for {
		_, err := x.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func TestXMLDepth(t *testing.T) {
	l := Limits{Depth: 3}
	_, err := readAll("<a><b><c/></b></a>", l)
	assert.NoError(t, err, "depth 3 is allowed")
	_, err = readAll("<a><b><c><d/></c></b></a>", l)
	var le *Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, &Error{Depth: true, Limit: 3}, le)
	assert.ErrorIs(t, err, ErrLimit)
	assert.EqualError(t, err, "the document is nested deeper than 3 levels")
	_, err = readAll("<a></a><a></a><a><b></b></a>", Limits{Depth: 2})
	assert.NotErrorIs(t, err, ErrLimit, "siblings do not add up (the second root is the parser's business)")
}

func TestXMLTokens(t *testing.T) {
	// <a x="1" y="2">t</a>: start, two attributes, text, end = 5.
	n, err := readAll(`<a x="1" y="2">t</a>`, Limits{Tokens: 5})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	_, err = readAll(`<a x="1" y="2">t</a>`, Limits{Tokens: 4})
	assert.EqualError(t, err, "the document holds more than 4 tokens")
}

func TestXMLErrorSticks(t *testing.T) {
	x := NewXML(strings.NewReader("<a><b><c>"), Limits{Depth: 1})
	_, err := x.Token()
	require.NoError(t, err)
	_, err = x.Token()
	require.ErrorIs(t, err, ErrLimit)
	_, err2 := x.Token()
	assert.Same(t, err, err2)
}

func TestXMLSkip(t *testing.T) {
	x := NewXML(strings.NewReader("<r><u><v>1</v></u><k>2</k></r>"), Limits{Depth: 3})
	for range 2 { // <r>, <u>
		_, err := x.Token()
		require.NoError(t, err)
	}
	require.NoError(t, x.Skip())
	tok, err := x.Token()
	require.NoError(t, err)
	assert.Equal(t, "k", tok.(xml.StartElement).Name.Local)

	deep := NewXML(strings.NewReader("<r><u>"+strings.Repeat("<v>", 1000)), Limits{Depth: 8})
	for range 2 {
		_, err := deep.Token()
		require.NoError(t, err)
	}
	assert.ErrorIs(t, deep.Skip(), ErrLimit)
	assert.Less(t, deep.InputOffset(), int64(100), "reading stopped at the limit")
}

func TestXMLDecoder(t *testing.T) {
	var doc struct {
		XMLName xml.Name
		P       string `xml:"P"`
	}
	require.NoError(t, NewXML(strings.NewReader("<D><P>x</P></D>"), Server).Decoder().Decode(&doc))
	assert.Equal(t, "x", doc.P)
	err := NewXML(strings.NewReader("<D><P>"+strings.Repeat("<q>", 100)), Limits{Depth: 10}).Decoder().Decode(&doc)
	assert.ErrorIs(t, err, ErrLimit)
	err = NewXML(strings.NewReader("<D>&nbsp;</D>"), Server).Decoder().Decode(&doc)
	assert.Error(t, err, "strict: an undefined entity is an error")
}

func TestJSON(t *testing.T) {
	for _, c := range []struct {
		in     string
		l      Limits
		reason string // "" when within
	}{
		{`{"a":[1,2,{"b":null}]}`, Limits{Depth: 3}, ""},
		{`{"a":[1,2,{"b":null}]}`, Limits{Depth: 2}, "the document is nested deeper than 2 levels"},
		// object, "a", array, 1, 2, object, "b", null = 8
		{`{"a":[1,2,{"b":null}]}`, Limits{Tokens: 8}, ""},
		{`{"a":[1,2,{"b":null}]}`, Limits{Tokens: 7}, "the document holds more than 7 tokens"},
		{`{"a":"[[[[{{{{\"]]]}"}`, Limits{Depth: 1, Tokens: 3}, ""},
		{`"\\"`, Limits{Tokens: 1}, ""},
		{`[-1.5e+3, true,false ,null]`, Limits{Tokens: 5}, ""},
		{`[-1.5e+3, true,false ,null]`, Limits{Tokens: 4}, "the document holds more than 4 tokens"},
		{strings.Repeat("[", 100), Limits{Depth: 64}, "the document is nested deeper than 64 levels"},
		{`]]]][`, Limits{Depth: 1}, ""},
	} {
		err := JSON([]byte(c.in), c.l)
		if c.reason == "" {
			assert.NoError(t, err, c.in)
		} else {
			assert.EqualError(t, err, c.reason, c.in)
			assert.ErrorIs(t, err, ErrLimit)
		}
	}
}

// jsonTokens counts tokens and depth the way encoding/json's Decoder sees
// them, the reference for JSON's count.
func jsonTokens(data []byte) (tokens, depth int, ok bool) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	cur := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return tokens, depth, true
		}
		if err != nil {
			return 0, 0, false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			tokens++
			cur++
			depth = max(depth, cur)
		case json.Delim('}'), json.Delim(']'):
			cur--
		default:
			tokens++
		}
	}
}

// FuzzJSON: on valid JSON, JSON's count agrees with encoding/json's, to
// the token and the level; on anything, it never panics.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\\\""`, `[[],{}]`, `{"k\"]":"v{"}`, `1 2 3`, `[1e5,-0,true]`, `[`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tokens, depth, ok := jsonTokens(data)
		err := JSON(data, Limits{})
		if err != nil {
			t.Fatalf("no limits, yet %v", err)
		}
		if !ok || !json.Valid(data) {
			return
		}
		if tokens > 0 && JSON(data, Limits{Tokens: tokens}) != nil {
			t.Fatalf("%d tokens refused at a limit of %d", tokens, tokens)
		}
		if tokens > 1 && !errors.Is(JSON(data, Limits{Tokens: tokens - 1}), ErrLimit) {
			t.Fatalf("%d tokens allowed at a limit of %d", tokens, tokens-1)
		}
		if depth > 0 && JSON(data, Limits{Depth: depth}) != nil {
			t.Fatalf("depth %d refused at a limit of %d", depth, depth)
		}
		if depth > 1 && !errors.Is(JSON(data, Limits{Depth: depth - 1}), ErrLimit) {
			t.Fatalf("depth %d allowed at a limit of %d", depth, depth-1)
		}
	})
}

// FuzzXML: XML passes on exactly the tokens a plain decoder reads, and
// refuses at the depth it reaches.
func FuzzXML(f *testing.F) {
	for _, s := range []string{`<a x="1"><b>t</b><!-- c --><?p i?></a>`, `<a><a><a/></a></a>`, `<a>`, `</a>`, `<a>&nbsp;</a>`, `<?xml version="1.0"?><r/>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := xml.NewDecoder(strings.NewReader(s))
		var want []xml.Token
		depth, cur := 0, 0
		var wantErr error
		for {
			tok, err := d.Token()
			if err != nil {
				if err != io.EOF {
					wantErr = err
				}
				break
			}
			switch tok.(type) {
			case xml.StartElement:
				cur++
				depth = max(depth, cur)
			case xml.EndElement:
				cur--
			}
			want = append(want, xml.CopyToken(tok))
		}
		x := NewXML(strings.NewReader(s), Limits{})
		for i, w := range want {
			got, err := x.Token()
			if err != nil {
				t.Fatalf("token %d: %v, want %v", i, err, w)
			}
			if !tokenEqual(got, w) {
				t.Fatalf("token %d: %#v, want %#v", i, got, w)
			}
		}
		if _, err := x.Token(); (err == io.EOF) != (wantErr == nil) {
			t.Fatalf("end: %v, want %v", err, wantErr)
		}
		if depth > 1 {
			if _, err := readAll(s, Limits{Depth: depth - 1}); !errors.Is(err, ErrLimit) {
				t.Fatalf("depth %d allowed at %d: %v", depth, depth-1, err)
			}
		}
	})
}

func tokenEqual(a, b xml.Token) bool {
	switch a := a.(type) {
	case xml.StartElement:
		b, ok := b.(xml.StartElement)
		if !ok || a.Name != b.Name || len(a.Attr) != len(b.Attr) {
			return false
		}
		for i := range a.Attr {
			if a.Attr[i] != b.Attr[i] {
				return false
			}
		}
		return true
	case xml.CharData:
		b, ok := b.(xml.CharData)
		return ok && bytes.Equal(a, b)
	case xml.Comment:
		b, ok := b.(xml.Comment)
		return ok && bytes.Equal(a, b)
	case xml.Directive:
		b, ok := b.(xml.Directive)
		return ok && bytes.Equal(a, b)
	case xml.ProcInst:
		b, ok := b.(xml.ProcInst)
		return ok && a.Target == b.Target && bytes.Equal(a.Inst, b.Inst)
	default:
		return a == b
	}
}
