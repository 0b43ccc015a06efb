package limit

import (
	"encoding/xml"
	"io"
)

// XML is an xml.TokenReader that stops, with a *Error, at the first token
// past its limits, before the underlying decoder has followed the nesting
// any further. Once past, every call returns the same error.
type XML struct {
	d      *xml.Decoder
	l      Limits
	depth  int
	tokens int
	err    error
}

// NewXML reads the XML of r strictly (an undefined entity or an unclosed
// tag is an error) within l.
func NewXML(r io.Reader, l Limits) *XML {
	d := xml.NewDecoder(r)
	d.Strict = true
	return &XML{d: d, l: l}
}

// Decoder returns an xml.Decoder reading through x, for Decode into a
// struct under the same limits.
func (x *XML) Decoder() *xml.Decoder { return xml.NewTokenDecoder(x) }

// Token returns the next token, as xml.Decoder.Token does, or a *Error
// when it would pass the limits.
func (x *XML) Token() (xml.Token, error) {
	if x.err != nil {
		return nil, x.err
	}
	tok, err := x.d.Token()
	if err != nil {
		return tok, err
	}
	x.tokens++
	switch t := tok.(type) {
	case xml.StartElement:
		x.tokens += len(t.Attr)
		x.depth++
		if x.l.Depth > 0 && x.depth > x.l.Depth {
			x.err = &Error{Depth: true, Limit: x.l.Depth}
			return nil, x.err
		}
	case xml.EndElement:
		x.depth--
	}
	if x.l.Tokens > 0 && x.tokens > x.l.Tokens {
		x.err = &Error{Limit: x.l.Tokens}
		return nil, x.err
	}
	return tok, nil
}

// Skip reads through the end of the element whose start was just read,
// as xml.Decoder.Skip does, within the limits.
func (x *XML) Skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.Token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// InputOffset is the underlying decoder's offset in the input.
func (x *XML) InputOffset() int64 { return x.d.InputOffset() }
