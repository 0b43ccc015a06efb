package cardformat

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFromConstructor(t *testing.T) {
	for _, tc := range []struct {
		ctor      string
		args      []string
		fac, card uint64
		raw       string
		world     string
	}{
		{"WiegandStandardCredentialFormat", []string{"118", "217"}, 118, 217, "00000000000000000000000002EC01B2", "118:217"},
		{"WiegandStandardCredentialFormat", []string{" 200 ", "\t2001"}, 200, 2001, "", "200:2001"},
		{"wiegandstandardcredentialformat", []string{"007", "0"}, 7, 0, "", "7:0"},
		{"WiegandH10306CredentialFormat", []string{"65535", "1"}, 65535, 1, "", "65535:1"},
		{"WiegandH10302CredentialFormat", []string{"34359738367"}, 0, 34359738367, "", "34359738367"},
		{"WiegandH10304CredentialFormat", []string{"1", "524287"}, 1, 524287, "", "1:524287"},
		{"WiegandCorporate1000CredentialFormat", []string{"4095", "1048575"}, 4095, 1048575, "", "4095:1048575"},
		{"WiegandCsn32CredentialFormat", []string{"3000000001"}, 0, 3000000001, "000000000000000000000000B2D05E01", "3000000001"},
		{"Wiegand48BitCorporate1000CredentialFormat", []string{"4194303", "8388607"}, 4194303, 8388607, "", "4194303:8388607"},
	} {
		t.Run(tc.ctor+"("+strings.Join(tc.args, ",")+")", func(t *testing.T) {
			c, err := FromConstructor(tc.ctor, tc.args)
			require.NoError(t, err)
			assert.Equal(t, Wiegand, c.Spec.Kind)
			assert.Equal(t, tc.fac, c.Facility)
			assert.Equal(t, tc.card, c.Card)
			assert.True(t, c.ParityOK)
			if tc.raw != "" {
				assert.Equal(t, tc.raw, c.Raw)
			}
			want, err := Encode(c.Spec, tc.fac, tc.card)
			require.NoError(t, err)
			assert.Equal(t, want, c.Raw)
			assert.Equal(t, tc.world, c.WorldCard())
		})
	}
}

func TestFromConstructorRefusals(t *testing.T) {
	for _, tc := range []struct {
		ctor  string
		args  []string
		field string
		msg   string
	}{
		{"WiegandStandardCredentialFormat", []string{"256", "1"}, "facility", "facility 256 is out of range for Standard 26 bits (0–255)"},
		{"WiegandStandardCredentialFormat", []string{"1", "65536"}, "card", "card 65536 is out of range for Standard 26 bits (0–65535)"},
		{"WiegandStandardCredentialFormat", []string{"1", "12a"}, "card", `card "12a" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"1"}, "format", "WiegandStandardCredentialFormat takes 2 arguments (facility, card), got 1"},
		{"WiegandStandardCredentialFormat", nil, "format", "WiegandStandardCredentialFormat takes 2 arguments (facility, card), got 0"},
		{"WiegandStandardCredentialFormat", []string{"-1", "1"}, "facility", `facility "-1" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"+5", "1"}, "facility", `facility "+5" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"0x10", "1"}, "facility", `facility "0x10" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"1 0", "1"}, "facility", `facility "1 0" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"", "1"}, "facility", `facility "" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"1", "1.5"}, "card", `card "1.5" is not a number`},
		{"WiegandStandardCredentialFormat", []string{"1", "99999999999999999999999"}, "card", "card 99999999999999999999999 is out of range for Standard 26 bits (0–65535)"},
		{"WiegandH10306CredentialFormat", []string{"65536", "1"}, "facility", "facility 65536 is out of range for HID H10306 34 Bits (0–65535)"},
		{"WiegandH10302CredentialFormat", []string{"34359738368"}, "card", "card 34359738368 is out of range for HID H10302 37 Bits (0–34359738367)"},
		{"WiegandH10302CredentialFormat", []string{"1", "2"}, "format", "WiegandH10302CredentialFormat takes 1 argument (card), got 2"},
		{"WiegandH10304CredentialFormat", []string{"1", "524288"}, "card", "card 524288 is out of range for HID H10304 37 Bits (0–524287)"},
		{"WiegandCorporate1000CredentialFormat", []string{"4096", "1"}, "company", "company 4096 is out of range for HID Corporate 1000 35 Bits (0–4095)"},
		{"WiegandCorporate1000CredentialFormat", []string{"1"}, "format", "WiegandCorporate1000CredentialFormat takes 2 arguments (company, card), got 1"},
		{"WiegandCsn32CredentialFormat", []string{"4294967296"}, "card", "card 4294967296 is out of range for CSN 32 Bits (0–4294967295)"},
		{"Wiegand48BitCorporate1000CredentialFormat", []string{"4194304", "1"}, "company", "company 4194304 is out of range for HID Corporate 1000 48 Bits (0–4194303)"},
		{"Wiegand48BitCorporate1000CredentialFormat", []string{"1", "8388608"}, "card", "card 8388608 is out of range for HID Corporate 1000 48 Bits (0–8388607)"},
		{"KeypadCredentialFormat", []string{"12a"}, "code", `code "12a" is not a number`},
		{"KeypadCredentialFormat", []string{"1234567890123456"}, "code", `code "1234567890123456" is too long for Keypad (1–15 digits)`},
		{"KeypadCredentialFormat", []string{""}, "code", `code "" is not a number`},
		{"KeypadCredentialFormat", []string{"1", "2"}, "format", "KeypadCredentialFormat takes 1 argument (code), got 2"},
		{"LicensePlateCredentialFormat", []string{"AB-123"}, "plate", `plate "AB-123" is not valid for License plate (1–16 letters or digits)`},
		{"LicensePlateCredentialFormat", []string{"ABCDEFGHIJKLMNOPQ"}, "plate", `plate "ABCDEFGHIJKLMNOPQ" is not valid for License plate (1–16 letters or digits)`},
		{"LicensePlateCredentialFormat", []string{"ÄBC"}, "plate", `plate "ÄBC" is not valid for License plate (1–16 letters or digits)`},
		{"LicensePlateCredentialFormat", nil, "format", "LicensePlateCredentialFormat takes 1 argument (plate), got 0"},
		{"FascN75BitCardCredentialFormat", []string{"1"}, "format", "FascN75BitCardCredentialFormat takes a list of {name, value} fields, not 1 argument"},
		{"RawCardCredentialFormat", []string{"1234", "32"}, "format", `unknown credential format "RawCardCredentialFormat"`},
	} {
		t.Run(tc.ctor+"("+strings.Join(tc.args, ",")+")", func(t *testing.T) {
			_, err := FromConstructor(tc.ctor, tc.args)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tc.field, e.Field)
			assert.Equal(t, tc.msg, e.Error())
		})
	}
}

func TestFromConstructorKeypadPlate(t *testing.T) {
	c, err := FromConstructor("KeypadCredentialFormat", []string{" 1234 "})
	require.NoError(t, err)
	assert.Equal(t, Keypad, c.Spec.Kind)
	assert.Equal(t, "1234", c.Code)
	assert.Equal(t, uint64(1234), c.Card)
	assert.Empty(t, c.Raw)

	// The SDK keeps a PIN as a number: leading zeros go.
	c, err = FromConstructor("KeypadCredentialFormat", []string{"000000000000042"})
	require.NoError(t, err)
	assert.Equal(t, "42", c.Code)
	c, err = FromConstructor("KeypadCredentialFormat", []string{"999999999999999"})
	require.NoError(t, err)
	assert.Equal(t, uint64(maxPIN), c.Card)

	c, err = FromConstructor("LicensePlateCredentialFormat", []string{"ABC123"})
	require.NoError(t, err)
	assert.Equal(t, Plate, c.Spec.Kind)
	assert.Equal(t, "ABC123", c.Code)
	c, err = FromConstructor("licenseplatecredentialformat", []string{" abc1234567890XYZ "})
	require.NoError(t, err)
	assert.Equal(t, "abc1234567890XYZ", c.Code, "kept as given")
}

func TestFromFields(t *testing.T) {
	fields := [][2]string{{"Agency Code", "1234"}, {"System Code", "16383"}, {"Credential Number", "1234"}, {"Exp Date", "9999"}}
	c, err := FromFields("FascN75BitCardCredentialFormat", fields)
	require.NoError(t, err)
	assert.Equal(t, FascN, c.Spec.Kind)
	assert.Equal(t, 75, c.Spec.Bits)
	assert.Equal(t, fields, c.Fields)
	assert.Empty(t, c.Raw)
	fields[0][1] = "changed"
	assert.Equal(t, "1234", c.Fields[0][1], "the credential keeps its own copy")

	c, err = FromFields("fascn200bitcardcredentialformat", [][2]string{{"LRC", "F"}, {"Agency Code", "9999"}})
	require.NoError(t, err)
	assert.Equal(t, 200, c.Spec.Bits)

	for _, tc := range []struct {
		name   string
		fields [][2]string
		msg    string
	}{
		{"FascN75BitCardCredentialFormat", nil, "FascN75BitCardCredentialFormat takes 1–16 fields, got 0"},
		{"FascN75BitCardCredentialFormat", make([][2]string, 17), "FascN75BitCardCredentialFormat takes 1–16 fields, got 17"},
		{"FascN75BitCardCredentialFormat", [][2]string{{"", "1"}}, "field 1 of FASC-N 75 bits has an empty name"},
		{"FascN75BitCardCredentialFormat", [][2]string{{"A", "1"}, {"A", "2"}}, `field "A" is given twice`},
		{"FascN75BitCardCredentialFormat", [][2]string{{"A=B", "1"}}, `field "A=B"="1" of FASC-N 75 bits: names and values are up to 64 characters, without surrounding spaces, control characters or any of = ; |`},
		{"FascN75BitCardCredentialFormat", [][2]string{{"A", " 1"}}, `field "A"=" 1" of FASC-N 75 bits: names and values are up to 64 characters, without surrounding spaces, control characters or any of = ; |`},
		{"FascN75BitCardCredentialFormat", [][2]string{{"A", "1\x00"}}, `field "A"="1\x00" of FASC-N 75 bits: names and values are up to 64 characters, without surrounding spaces, control characters or any of = ; |`},
		{"FascN75BitCardCredentialFormat", [][2]string{{"A", strings.Repeat("9", 65)}}, `field "A"="9999999999999999999999999999999999999999"… of FASC-N 75 bits: names and values are up to 64 characters, without surrounding spaces, control characters or any of = ; |`},
		{"WiegandStandardCredentialFormat", [][2]string{{"A", "1"}}, "WiegandStandardCredentialFormat does not take a list of fields"},
		{"Nope", [][2]string{{"A", "1"}}, `unknown credential format "Nope"`},
	} {
		_, err := FromFields(tc.name, tc.fields)
		var e *Error
		require.True(t, errors.As(err, &e), "%v", err)
		assert.Equal(t, tc.msg, e.Msg)
	}
}
