package cardformat

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func undecodedXML(bits, guid, raw string) string {
	return "<UndecodedWiegand><BitLength>" + bits + "</BitLength><FormatType>" + guid +
		"</FormatType><Raw>" + raw + "</Raw></UndecodedWiegand>"
}

const std26 = "00000000-0000-0000-0000-000000000200"

func TestFromXMLCapture(t *testing.T) {
	c, err := FromXML(undecodedXML("26", std26, "00000000000000000000000002EC01B2"))
	require.NoError(t, err)
	assert.Equal(t, "Standard 26 bits", c.Spec.Name)
	assert.Equal(t, "26 bit Wiegand", c.Spec.ShortName)
	assert.Equal(t, 26, c.Spec.Bits)
	assert.Equal(t, uint64(118), c.Facility)
	assert.Equal(t, uint64(217), c.Card)
	assert.Equal(t, std26, c.Spec.ID)
	assert.Equal(t, "00000000000000000000000002EC01B2", c.Raw)
	assert.Equal(t, "00000000000000000000000002EC01B2|26", c.UniqueID())
	assert.True(t, c.ParityOK)
	assert.Equal(t, "118:217", c.WorldCard())
}

func TestFromXMLUndecoded(t *testing.T) {
	// The brief's example, built by a client from facility 6, card 28807.
	c, err := FromXML(undecodedXML("26", std26, "000000000000000000000000020CE10F"))
	require.NoError(t, err)
	assert.Equal(t, []uint64{6, 28807}, []uint64{c.Facility, c.Card})
	assert.True(t, c.ParityOK)
	raw, _ := Encode(c.Spec, 6, 28807)
	assert.Equal(t, raw, c.Raw)

	// Short, lower-case raw data, an upper-case GUID in braces, spaces and
	// another element order: all normalised.
	c, err = FromXML(`<?xml version="1.0"?>
		<UndecodedWiegand>
		  <Raw> 2ec01b2 </Raw>
		  <FormatType>{00000000-0000-0000-0000-000000000200}</FormatType>
		  <BitLength>26</BitLength>
		</UndecodedWiegand>  <!-- trailing comment -->`)
	require.NoError(t, err)
	assert.Equal(t, "00000000000000000000000002EC01B2|26", c.UniqueID())
	assert.Equal(t, std26, c.Spec.ID)

	// A parity error is kept, not refused.
	c, err = FromXML(undecodedXML("26", std26, "02EC01B3"))
	require.NoError(t, err)
	assert.False(t, c.ParityOK)
	assert.Equal(t, []uint64{118, 217}, []uint64{c.Facility, c.Card})
	assert.Equal(t, "00000000000000000000000002EC01B3|26", c.UniqueID())

	// Every built-in Wiegand format reads back what it encodes.
	for _, s := range Builtins() {
		if s.Kind != Wiegand {
			continue
		}
		raw, err := Encode(s, s.MaxFacility, s.MaxCard/7)
		require.NoError(t, err)
		c, err := FromXML(undecodedXML(strconv.Itoa(s.Bits), s.ID, raw))
		require.NoError(t, err, s.Name)
		assert.Equal(t, s, c.Spec)
		assert.Equal(t, []uint64{s.MaxFacility, s.MaxCard / 7}, []uint64{c.Facility, c.Card})
		assert.True(t, c.ParityOK)
	}
}

func TestFromXMLCustom(t *testing.T) {
	const g = "1f0094ce-2bc3-46f2-b934-ad6759d78b2a"
	c, err := FromXML(undecodedXML("40", strings.ToUpper(g), "123456789a"))
	require.NoError(t, err)
	assert.Equal(t, Custom, c.Spec.Kind)
	assert.Equal(t, g, c.Spec.ID)
	assert.Equal(t, 40, c.Spec.Bits)
	assert.False(t, c.Spec.HasFacility)
	assert.Equal(t, uint64(0), c.Facility)
	assert.Equal(t, uint64(0x123456789A), c.Card)
	assert.Equal(t, "0000000000000000000000123456789A", c.Raw)
	assert.Equal(t, "0000000000000000000000123456789A|40", c.UniqueID())
	assert.Equal(t, "78187493530", c.WorldCard())
	assert.True(t, c.ParityOK)
	assert.Equal(t, undecodedXML("40", g, "0000000000000000000000123456789A"), c.Serialize())

	// 128 bits: the card number is beyond uint64, the world's is not.
	c, err = FromXML(undecodedXML("128", g, strings.Repeat("F", 32)))
	require.NoError(t, err)
	assert.Equal(t, uint64(0), c.Card)
	assert.Equal(t, "340282366920938463463374607431768211455", c.WorldCard())
}

func TestFromXMLFascNRaw(t *testing.T) {
	c, err := FromXML(undecodedXML("75", "00000000-0000-0000-0000-000000000900", "7FF"))
	require.NoError(t, err)
	assert.Equal(t, FascN, c.Spec.Kind)
	assert.Nil(t, c.Fields)
	assert.Equal(t, "000000000000000000000000000007FF|75", c.UniqueID())
	assert.Equal(t, "2047", c.WorldCard())
	again, err := FromXML(c.Serialize())
	require.NoError(t, err)
	assert.Equal(t, c, again)
}

func TestFromXMLKeypadPlate(t *testing.T) {
	c, err := FromXML("<Keypad><Code>1234</Code></Keypad>")
	require.NoError(t, err)
	assert.Equal(t, Keypad, c.Spec.Kind)
	assert.Equal(t, "1234", c.Code)

	c, err = FromXML("<Plate><Plate> ABC123 </Plate></Plate>")
	require.NoError(t, err)
	assert.Equal(t, Plate, c.Spec.Kind)
	assert.Equal(t, "ABC123", c.Code)

	_, err = FromXML("<Keypad><Code>12a</Code></Keypad>")
	assert.EqualError(t, err, `code "12a" is not a number`)
	_, err = FromXML("<Plate><Plate>A B</Plate></Plate>")
	assert.EqualError(t, err, `plate "A B" is not valid for License plate (1–16 letters or digits)`)
}

func TestFromXMLRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, x, field, msg string
	}{
		{"unknown root", "<Card><Raw>1</Raw></Card>", "format", "unknown credential format element <Card>"},
		{"not xml", "WiegandStandardCredentialFormat(1,2)", "xml", "credential format XML has text outside its element"},
		{"empty", "", "xml", "credential format XML has no element"},
		{"unclosed", "<Keypad><Code>1</Code>", "xml", ""},
		{"mismatched", "<Keypad><Code>1</Keypad></Code>", "xml", ""},
		{"bad entity", "<Keypad><Code>&foo;</Code></Keypad>", "xml", ""},
		{"doctype", `<!DOCTYPE x [<!ENTITY a "1">]><Keypad><Code>&a;</Code></Keypad>`, "xml", "credential format XML may not have a DOCTYPE or other directive"},
		{"two roots", "<Keypad><Code>1</Code></Keypad><Keypad><Code>2</Code></Keypad>", "xml", "credential format XML has more than one root element"},
		{"trailing text", "<Keypad><Code>1</Code></Keypad>x", "xml", "credential format XML has text outside its element"},
		{"too big", "<Keypad><Code>1</Code></Keypad>" + strings.Repeat(" ", 4096), "xml", "credential format XML is 4127 bytes; at most 4096 are allowed"},
		{"too deep", "<Keypad><Code><a><b>1</b></a></Code></Keypad>", "xml", "credential format XML is nested too deep at <b>"},
		{"mixed", "<Keypad>x<Code>1</Code></Keypad>", "xml", "<Keypad> mixes text and elements"},
		{"missing code", "<Keypad></Keypad>", "xml", "<Keypad> has no <Code>"},
		{"twice", "<Keypad><Code>1</Code><Code>2</Code></Keypad>", "xml", "<Code> appears twice in <Keypad>"},
		{"unknown child", "<Keypad><Code>1</Code><Pin>2</Pin></Keypad>", "xml", "unknown element <Pin> in <Keypad>"},
		{"nested child", "<Plate><Plate><b>1</b></Plate></Plate>", "xml", "<Plate> in <Plate> must hold text only"},
		{"no raw", "<UndecodedWiegand><BitLength>26</BitLength><FormatType>" + std26 + "</FormatType></UndecodedWiegand>", "xml", "<UndecodedWiegand> has no <Raw>"},
		{"bit length word", undecodedXML("twenty", std26, "1"), "bit length", `bit length "twenty" is not a positive number`},
		{"bit length zero", undecodedXML("0", std26, "1"), "bit length", `bit length "0" is not a positive number`},
		{"bit length sign", undecodedXML("+26", std26, "1"), "bit length", `bit length "+26" is not a positive number`},
		{"bit length huge", undecodedXML("99999999999999999999", std26, "1"), "bit length", `bit length "99999999999999999999" is not a positive number`},
		{"bit length mismatch", undecodedXML("34", std26, "1"), "bit length", "bit length 34 does not match Standard 26 bits (26 bits)"},
		{"guid", undecodedXML("26", "200", "1"), "format type", `format type "200" is not a GUID`},
		{"guid dashes", undecodedXML("26", "00000000000000000000000000000000200", "1"), "format type", `format type "00000000000000000000000000000000200" is not a GUID`},
		{"keypad guid", undecodedXML("26", keypadID, "1"), "format type", "format type " + keypadID + " is Keypad, which has no raw data"},
		{"raw not hex", undecodedXML("26", std26, "XYZ"), "raw", `raw "XYZ" is not hexadecimal`},
		{"raw too long", undecodedXML("26", std26, strings.Repeat("0", 33)), "raw", "raw has 33 hex digits; at most 32 are allowed"},
		{"raw too wide", undecodedXML("26", std26, "FFFFFFF"), "raw", "raw FFFFFFF does not fit in 26 bits"},
		{"raw empty", undecodedXML("26", std26, ""), "raw", "raw is empty"},
		{"custom too wide", undecodedXML("8", "1f0094ce-2bc3-46f2-b934-ad6759d78b2a", "100"), "raw", "raw 100 does not fit in 8 bits"},
		{"custom bit length", undecodedXML("129", "1f0094ce-2bc3-46f2-b934-ad6759d78b2a", "1"), "bit length", "bit length 129 is more than the 128 bits raw data holds"},
		{"fascn no type", "<FascN><Field><Key>A</Key><Value>1</Value></Field></FascN>", "xml", "<FascN> has no <FormatType>"},
		{"fascn wrong type", "<FascN><FormatType>" + std26 + "</FormatType><Field><Key>A</Key><Value>1</Value></Field></FascN>", "format type", "format type " + std26 + " is not a FASC-N format"},
		{"fascn no fields", "<FascN><FormatType>00000000-0000-0000-0000-000000000900</FormatType></FascN>", "fields", "FascN75BitCardCredentialFormat takes 1–16 fields, got 0"},
		{"fascn stray", "<FascN><FormatType>00000000-0000-0000-0000-000000000900</FormatType><X/></FascN>", "xml", "unknown element <X> in <FascN>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromXML(tc.x)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tc.field, e.Field)
			if tc.msg != "" {
				assert.Equal(t, tc.msg, e.Msg)
			} else {
				assert.True(t, strings.HasPrefix(e.Msg, "credential format XML is malformed: "), e.Msg)
			}
		})
	}
}

// Namespaces and attributes are ignored; no known form uses them, and
// refusing them would buy nothing.
func TestFromXMLIgnoresNamespacesAndAttributes(t *testing.T) {
	c, err := FromXML(`<Keypad xmlns="urn:x" a="b"><Code x="y">77</Code></Keypad>`)
	require.NoError(t, err)
	assert.Equal(t, "77", c.Code)
}
