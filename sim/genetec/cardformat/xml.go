package cardformat

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// maxXML bounds the inline XML of a format. Real forms are under 200 bytes;
// the bound keeps a hostile query from making the decoder work hard.
const maxXML = 4 << 10

// maxDepth is the deepest nesting of any form (<FascN><Field><Key>).
const maxDepth = 3

// node is an element of the small tree FromXML reads before interpreting
// it: checking names and counts on a tree is simpler and stricter than
// xml.Unmarshal, which silently keeps the last of repeated elements and
// ignores unknown ones.
type node struct {
	name     string
	text     string // trimmed; only on leaves
	children []node
}

// FromXML parses the inline XML forms <UndecodedWiegand>…</UndecodedWiegand>,
// <Keypad><Code>…</Code></Keypad> and <Plate><Plate>…</Plate></Plate>, and
// our <FascN>…</FascN> (see Serialize). The text is at most 4 KiB; an
// unknown root element is an error naming it.
//
// <UndecodedWiegand> takes BitLength, FormatType (a GUID) and Raw (up to 32
// hex digits that fit in BitLength bits). A built-in FormatType must come
// with its bit length, and is decoded into facility and card; a wrong parity
// is kept with ParityOK false, since Security Center stores what it is
// given. A FormatType that is not built in is a site's own format: the raw
// data is kept as it is, with Spec.Kind Custom.
func FromXML(x string) (Credential, error) {
	root, err := parseTree(x)
	if err != nil {
		return Credential{}, err
	}
	switch root.name {
	case "UndecodedWiegand":
		return fromUndecoded(root)
	case "Keypad":
		kids, err := leaves(root, "Code")
		if err != nil {
			return Credential{}, err
		}
		return FromConstructor("KeypadCredentialFormat", []string{kids["Code"]})
	case "Plate":
		kids, err := leaves(root, "Plate")
		if err != nil {
			return Credential{}, err
		}
		return FromConstructor("LicensePlateCredentialFormat", []string{kids["Plate"]})
	case "FascN":
		return fromFascNXML(root)
	}
	return Credential{}, errf("format", "unknown credential format element <%s>", clip(root.name))
}

// fromUndecoded interprets <UndecodedWiegand>.
func fromUndecoded(root node) (Credential, error) {
	kids, err := leaves(root, "BitLength", "FormatType", "Raw")
	if err != nil {
		return Credential{}, err
	}
	bl := kids["BitLength"]
	n, err := strconv.Atoi(bl)
	if !isDecimal(bl) || err != nil || n < 1 {
		return Credential{}, errf("bit length", "bit length %s is not a positive number", shown(bl))
	}
	guid, err := normGUID(kids["FormatType"])
	if err != nil {
		return Credential{}, err
	}
	s, builtin := ByID(guid)
	if !builtin {
		// A site's own format: all we can check is that the raw data fits
		// the bit length, which itself cannot exceed what Raw holds.
		if n > 4*maxRawDigits {
			return Credential{}, errf("bit length", "bit length %d is more than the %d bits raw data holds", n, 4*maxRawDigits)
		}
		r, err := parseRaw(kids["Raw"], n)
		if err != nil {
			return Credential{}, err
		}
		c := Credential{Spec: customSpec(guid, n), Raw: r.String(), ParityOK: true}
		if r.hi == 0 {
			c.Card = r.lo
		}
		return c, nil
	}
	if s.Kind == Keypad || s.Kind == Plate {
		return Credential{}, errf("format type", "format type %s is %s, which has no raw data", guid, s.Name)
	}
	if n != s.Bits {
		return Credential{}, errf("bit length", "bit length %d does not match %s (%d bits)", n, s.Name, s.Bits)
	}
	r, err := parseRaw(kids["Raw"], n)
	if err != nil {
		return Credential{}, err
	}
	if s.Kind == FascN {
		// pacsim does not decode FASC-N bits: keep the raw data.
		return Credential{Spec: s, Raw: r.String(), ParityOK: true}, nil
	}
	fac, card, ok, err := Decode(s, kids["Raw"])
	if err != nil {
		return Credential{}, err
	}
	return Credential{Spec: s, Facility: fac, Card: card, Raw: r.String(), ParityOK: ok}, nil
}

// fromFascNXML interprets our <FascN> form.
func fromFascNXML(root node) (Credential, error) {
	var guid string
	var fields [][2]string
	seenType := false
	for _, k := range root.children {
		switch k.name {
		case "FormatType":
			if seenType || len(k.children) > 0 {
				return Credential{}, errf("xml", "<FascN> takes one <FormatType> holding a GUID")
			}
			seenType = true
			g, err := normGUID(k.text)
			if err != nil {
				return Credential{}, err
			}
			guid = g
		case "Field":
			kv, err := leaves(k, "Key", "Value")
			if err != nil {
				return Credential{}, err
			}
			fields = append(fields, [2]string{kv["Key"], kv["Value"]})
		default:
			return Credential{}, errf("xml", "unknown element <%s> in <FascN>", clip(k.name))
		}
	}
	if !seenType {
		return Credential{}, errf("xml", "<FascN> has no <FormatType>")
	}
	s, ok := ByID(guid)
	if !ok || s.Kind != FascN {
		return Credential{}, errf("format type", "format type %s is not a FASC-N format", guid)
	}
	return FromFields(s.Constructor, fields)
}

// leaves checks that n has exactly the named children, once each, holding
// only text, and returns their texts by name.
func leaves(n node, names ...string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, k := range n.children {
		known := false
		for _, want := range names {
			known = known || k.name == want
		}
		switch {
		case !known:
			return nil, errf("xml", "unknown element <%s> in <%s>", clip(k.name), n.name)
		case len(k.children) > 0:
			return nil, errf("xml", "<%s> in <%s> must hold text only", k.name, n.name)
		}
		if _, dup := out[k.name]; dup {
			return nil, errf("xml", "<%s> appears twice in <%s>", k.name, n.name)
		}
		out[k.name] = k.text
	}
	for _, want := range names {
		if _, ok := out[want]; !ok {
			return nil, errf("xml", "<%s> has no <%s>", n.name, want)
		}
	}
	return out, nil
}

// parseTree reads x into a node tree with encoding/xml in strict mode:
// exactly one root element, optionally preceded by an XML declaration, with
// comments and white space around; no DOCTYPE; elements hold either
// children or text, never both. Namespaces are ignored (local names only)
// and so are attributes: no form uses them.
func parseTree(x string) (node, error) {
	if len(x) > maxXML {
		return node{}, errf("xml", "credential format XML is %d bytes; at most %d are allowed", len(x), maxXML)
	}
	d := xml.NewDecoder(strings.NewReader(x))
	d.Strict = true
	var root *node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return node{}, malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil {
				return node{}, errf("xml", "credential format XML has more than one root element")
			}
			n, err := parseElement(d, t, 1)
			if err != nil {
				return node{}, err
			}
			root = &n
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return node{}, errf("xml", "credential format XML has text outside its element")
			}
		case xml.Directive:
			return node{}, errf("xml", "credential format XML may not have a DOCTYPE or other directive")
		}
		// Comments and processing instructions (<?xml …?>) are ignored.
	}
	if root == nil {
		return node{}, errf("xml", "credential format XML has no element")
	}
	return *root, nil
}

// parseElement reads the element opened by start, at the given depth.
func parseElement(d *xml.Decoder, start xml.StartElement, depth int) (node, error) {
	if depth > maxDepth {
		return node{}, errf("xml", "credential format XML is nested too deep at <%s>", clip(start.Name.Local))
	}
	n := node{name: start.Name.Local}
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return node{}, malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := parseElement(d, t, depth+1)
			if err != nil {
				return node{}, err
			}
			n.children = append(n.children, k)
		case xml.CharData:
			text.Write(t)
		case xml.Directive:
			return node{}, errf("xml", "credential format XML may not have a DOCTYPE or other directive")
		case xml.EndElement:
			// The strict decoder has already matched the end tag.
			n.text = strings.TrimSpace(text.String())
			if len(n.children) > 0 && n.text != "" {
				return node{}, errf("xml", "<%s> mixes text and elements", clip(n.name))
			}
			return n, nil
		}
	}
}

// malformed wraps a decoder error (a cut-off document is a syntax error
// "unexpected EOF" in strict mode).
func malformed(err error) error {
	return errf("xml", "credential format XML is malformed: %v", err)
}

// clip shortens an element name for a message.
func clip(s string) string {
	if len(s) > maxShown {
		return strings.ToValidUTF8(s[:maxShown], "") + "…"
	}
	return s
}
