package wire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/pacsim/pacsim/internal/limit"
)

// docReader walks a document element by element. Every parser here reads
// the same way — find the root, iterate its children, read leaf text — so the
// rules (what counts as malformed, what is tolerated) live in one place
// instead of drifting apart per document type.
//
// Namespaces are ignored when matching names: WCF clients may put the
// DataContract or serialization namespace on an element the real service
// also accepts without one.
//
// It reads within limit.Server: a body nested deeper, or holding more
// tokens, is refused as soon as the parser gets there, before
// encoding/xml's stack follows the nesting any further (a MaxBodySize body
// of "<a><a>…" held some 23 MB).
type docReader struct {
	d *limit.XML
}

// newDocReader reads data strictly: an undefined entity (&nbsp;) or an
// unclosed tag is an error instead of a guess.
func newDocReader(data []byte) *docReader {
	return &docReader{d: limit.NewXML(bytes.NewReader(data), limit.Server)}
}

// errEOFBeforeRoot is returned for an empty or whitespace-only document.
var errEOFBeforeRoot = errors.New("no document element")

// root returns the document element, skipping a declaration, comments, a
// DOCTYPE and whitespace.
func (r *docReader) root() (xml.StartElement, error) {
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			return xml.StartElement{}, errEOFBeforeRoot
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, errors.New("text before the document element")
			}
		}
	}
}

// next returns the next child element of the element being read, or ok ==
// false once that element's end tag has been consumed. Non-whitespace text
// between children is an error: no document of this API has mixed content,
// so stray text means the producer is broken.
func (r *docReader) next() (start xml.StartElement, ok bool, err error) {
	for {
		tok, err := r.d.Token()
		if err != nil {
			return xml.StartElement{}, false, eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, false, fmt.Errorf("unexpected text %q", clip(string(t)))
			}
		}
	}
}

// text reads the character data of the element just returned by root or
// next, through its end tag. <x/> and <x></x> both give "". A child element
// is an error: a leaf that grew children is not the value the caller expects.
func (r *docReader) text(start xml.StartElement) (string, error) {
	var buf []byte
	for {
		tok, err := r.d.Token()
		if err != nil {
			return "", eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			buf = append(buf, t...)
		case xml.StartElement:
			return "", fmt.Errorf("element <%s> inside <%s>, which holds text", t.Name.Local, start.Name.Local)
		case xml.EndElement:
			if err := checkXMLChars(buf); err != nil {
				return "", err
			}
			return string(buf), nil
		}
	}
}

// checkXMLChars rejects text holding a character XML 1.0 forbids.
// encoding/xml checks literal characters but not character references, so
// &#0; or &#x1B; would otherwise come through as a control character that no
// writer can reproduce.
func checkXMLChars(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return fmt.Errorf("illegal character U+%04X", c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !isXMLChar(r) {
			return fmt.Errorf("illegal character %U", r)
		}
		i += size
	}
	return nil
}

// skip consumes the rest of the element just returned, children included.
// Unknown elements are skipped rather than refused because WCF ignores them
// and real clients send plenty (Session, GOPass, CardDoorAccessList, …).
func (r *docReader) skip() error {
	return eofIsUnexpected(r.d.Skip())
}

// end checks that only comments, processing instructions and whitespace
// follow the document element. A second root is malformed XML, and accepting
// it would let two concatenated bodies pass as one.
func (r *docReader) end() error {
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fmt.Errorf("second document element <%s>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errors.New("text after the document element")
			}
		}
	}
}

// malformedText says why a body could not be read: past its limits (which
// names the limit), or malformed XML.
func malformedText(err error) string {
	if errors.Is(err, limit.ErrLimit) {
		return "the body is refused: " + err.Error()
	}
	return "malformed XML: " + err.Error()
}

// eofIsUnexpected turns a bare io.EOF inside an element into an error that
// says so; encoding/xml only reports a syntax error when EOF splits a token.
func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// clip shortens s for an error message, so a hostile body cannot make a
// fault or log line arbitrarily long.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	// Back up to a rune boundary so the message stays valid UTF-8.
	i := max
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
