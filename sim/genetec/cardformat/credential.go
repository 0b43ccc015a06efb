package cardformat

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
)

// Credential is a decoded credential format value.
type Credential struct {
	// Spec is the format: a built-in one, or for a site's own format a
	// synthesised Spec of Kind Custom with the client's GUID and bit length.
	Spec Spec
	// Facility is the facility (company) code; 0 when the format has none.
	Facility uint64
	// Card is the card number. For a keypad it is the PIN's value; for a
	// custom format the raw value, or 0 when that exceeds 64 bits (WorldCard
	// has the full number).
	Card uint64
	// Code is the keypad PIN (decimal, no leading zeros) or the plate text.
	Code string
	// Fields are the FASC-N key/values as given.
	Fields [][2]string
	// Raw is the raw data as 32 upper-case hex digits; "" for keypad, plate
	// and FASC-N given by fields.
	Raw string
	// ParityOK is false when raw data was given whose parity bits are wrong.
	// It is true when nothing was checked (keypad, plate, formats without
	// parity, FASC-N, custom formats).
	ParityOK bool
}

// UniqueID is what CredentialConfiguration UniqueIds@ matches on and what
// the server shows as UniqueId. For raw data (Wiegand, custom, FASC-N given
// raw) it is "<32 hex digits>|<bits>", as captured from a real server.
//
// The others are our reading, in the same "<value>|<qualifier>" shape:
// "<pin>|Keypad", "<plate>|Plate", and for FASC-N given by fields the fields
// sorted by name as "name=value;…" followed by "|<bits>" (sorted, because the
// SDK takes them as a dictionary, whose order carries no meaning).
func (c Credential) UniqueID() string {
	switch c.Spec.Kind {
	case Keypad:
		return c.Code + "|Keypad"
	case Plate:
		return c.Code + "|Plate"
	case FascN:
		if c.Raw == "" {
			return fieldsKey(c.Fields) + "|" + strconv.Itoa(c.Spec.Bits)
		}
	}
	return c.Raw + "|" + strconv.Itoa(c.Spec.Bits)
}

// fieldsKey is FASC-N fields as "name=value;…" sorted by name. checkFields
// keeps '=', ';' and '|' out of names and values, so it is unambiguous.
func fieldsKey(fields [][2]string) string {
	sorted := slices.Clone(fields)
	slices.SortFunc(sorted, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	parts := make([]string, len(sorted))
	for i, kv := range sorted {
		parts[i] = kv[0] + "=" + kv[1]
	}
	return strings.Join(parts, ";")
}

// WorldCard is the card number the simulated world uses for it:
// "facility:card" in decimal for formats with a facility ("200:2001"), the
// plain decimal card number otherwise ("3000000001"); keypad → "pin:<code>";
// plate → "plate:<text>". A custom format's number is its whole raw value in
// decimal (up to 39 digits for 128 bits). FASC-N has no card number pacsim
// understands: given raw it is the raw value in decimal like a custom
// format, given by fields it is "fascn:" and the UniqueID.
func (c Credential) WorldCard() string {
	switch c.Spec.Kind {
	case Keypad:
		return "pin:" + c.Code
	case Plate:
		return "plate:" + c.Code
	case FascN:
		if c.Raw == "" {
			return "fascn:" + c.UniqueID()
		}
		return rawDecimal(c.Raw)
	case Custom:
		return rawDecimal(c.Raw)
	}
	if c.Spec.HasFacility {
		return strconv.FormatUint(c.Facility, 10) + ":" + strconv.FormatUint(c.Card, 10)
	}
	return strconv.FormatUint(c.Card, 10)
}

// Serialize returns the XML form that `Format.Serialize()` answers, which
// FromXML reads back:
// <UndecodedWiegand><BitLength>26</BitLength><FormatType>GUID</FormatType><Raw>HEX</Raw></UndecodedWiegand>,
// <Keypad><Code>1234</Code></Keypad>, <Plate><Plate>ABC</Plate></Plate>.
//
// A FASC-N credential given by fields has no form in the evidence; ours is
// <FascN><FormatType>GUID</FormatType><Field><Key>…</Key><Value>…</Value></Field>…</FascN>.
// The zero Credential serialises to "".
func (c Credential) Serialize() string {
	var b strings.Builder
	switch c.Spec.Kind {
	case Keypad:
		b.WriteString("<Keypad><Code>")
		esc(&b, c.Code)
		b.WriteString("</Code></Keypad>")
	case Plate:
		b.WriteString("<Plate><Plate>")
		esc(&b, c.Code)
		b.WriteString("</Plate></Plate>")
	case FascN:
		if c.Raw != "" {
			return undecoded(c)
		}
		b.WriteString("<FascN><FormatType>")
		b.WriteString(c.Spec.ID)
		b.WriteString("</FormatType>")
		for _, kv := range c.Fields {
			b.WriteString("<Field><Key>")
			esc(&b, kv[0])
			b.WriteString("</Key><Value>")
			esc(&b, kv[1])
			b.WriteString("</Value></Field>")
		}
		b.WriteString("</FascN>")
	case Wiegand, Custom:
		return undecoded(c)
	}
	return b.String()
}

// undecoded is the <UndecodedWiegand> form of raw data.
func undecoded(c Credential) string {
	return "<UndecodedWiegand><BitLength>" + strconv.Itoa(c.Spec.Bits) +
		"</BitLength><FormatType>" + c.Spec.ID +
		"</FormatType><Raw>" + c.Raw + "</Raw></UndecodedWiegand>"
}

// esc writes s as XML text. Writing to a strings.Builder cannot fail.
func esc(b *strings.Builder, s string) { _ = xml.EscapeText(b, []byte(s)) }
