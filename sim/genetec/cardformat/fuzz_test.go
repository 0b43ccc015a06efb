package cardformat

import (
	"errors"
	"strings"
	"testing"
)

// checkCredential is what every accepted credential must satisfy: its XML
// reads back to a credential with the same identity, and raw data is 32
// upper-case hex digits.
func checkCredential(t *testing.T, c Credential) {
	t.Helper()
	if c.Raw != "" {
		if len(c.Raw) != maxRawDigits || strings.ToUpper(c.Raw) != c.Raw {
			t.Fatalf("raw %q is not 32 upper-case hex digits", c.Raw)
		}
	}
	back, err := FromXML(c.Serialize())
	if err != nil {
		t.Fatalf("Serialize() = %q does not read back: %v", c.Serialize(), err)
	}
	if back.UniqueID() != c.UniqueID() || back.WorldCard() != c.WorldCard() || back.Spec != c.Spec {
		t.Fatalf("round trip changed %+v into %+v", c, back)
	}
	if c.Spec.Kind == Wiegand {
		raw, err := Encode(c.Spec, c.Facility, c.Card)
		if err != nil {
			t.Fatalf("Encode of a decoded credential: %v", err)
		}
		if c.ParityOK != (raw == c.Raw) {
			t.Fatalf("ParityOK %v but re-encoding gives %s for %s", c.ParityOK, raw, c.Raw)
		}
	}
}

// checkErr is what every refusal must satisfy: an *Error with a field and a
// message.
func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Field == "" || e.Msg == "" {
		t.Fatalf("error %v (%T) is not a complete *Error", err, err)
	}
}

func FuzzFromXML(f *testing.F) {
	for _, seed := range []string{
		undecodedXML("26", std26, "00000000000000000000000002EC01B2"),
		undecodedXML("26", std26, "000000000000000000000000020CE10F"),
		undecodedXML("37", "00000000-0000-0000-0000-000000000400", "1"),
		undecodedXML("48", "00000000-0000-0000-0000-000000000800", "FFFFFFFFFFFF"),
		undecodedXML("36", "1f0094ce-2bc3-46f2-b934-ad6759d78b2a", "abc"),
		undecodedXML("75", "00000000-0000-0000-0000-000000000900", "1"),
		"<Keypad><Code>1234</Code></Keypad>",
		"<Plate><Plate>ABC123</Plate></Plate>",
		"<FascN><FormatType>00000000-0000-0000-0000-000000000a00</FormatType><Field><Key>A</Key><Value>&amp;</Value></Field></FascN>",
		`<?xml version="1.0"?><!-- c --><Keypad><Code><![CDATA[42]]></Code></Keypad>`,
		"<Keypad><Code>1</Code>",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, x string) {
		c, err := FromXML(x)
		if err != nil {
			checkErr(t, err)
			return
		}
		checkCredential(t, c)
	})
}

// FuzzFromConstructor splits its argument text on commas, as the Web SDK's
// parser would, and also feeds pairs of arguments to FromFields.
func FuzzFromConstructor(f *testing.F) {
	for _, seed := range [][2]string{
		{"WiegandStandardCredentialFormat", "200,2001"},
		{"WiegandStandardCredentialFormat", " 118 , 217 "},
		{"WiegandH10306CredentialFormat", "65535,65535"},
		{"WiegandH10302CredentialFormat", "34359738367"},
		{"WiegandH10304CredentialFormat", "1,-1"},
		{"WiegandCorporate1000CredentialFormat", "4095,0x10"},
		{"WiegandCsn32CredentialFormat", "3000000001"},
		{"Wiegand48BitCorporate1000CredentialFormat", "4194303,8388607"},
		{"KeypadCredentialFormat", "0001234"},
		{"LicensePlateCredentialFormat", "ABC123"},
		{"FascN75BitCardCredentialFormat", "Agency Code,1234,System Code,16383"},
		{"fascn200bitcardcredentialformat", "LRC,F"},
		{"Nope", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, name, joined string) {
		args := strings.Split(joined, ",")
		c, err := FromConstructor(name, args)
		if err != nil {
			checkErr(t, err)
		} else {
			checkCredential(t, c)
		}
		var fields [][2]string
		for i := 0; i+1 < len(args); i += 2 {
			fields = append(fields, [2]string{args[i], args[i+1]})
		}
		c, err = FromFields(name, fields)
		if err != nil {
			checkErr(t, err)
		} else {
			checkCredential(t, c)
		}
	})
}
