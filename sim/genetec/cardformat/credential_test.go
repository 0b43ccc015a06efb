package cardformat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialForms(t *testing.T) {
	mustCtor := func(name string, args ...string) Credential {
		c, err := FromConstructor(name, args)
		require.NoError(t, err)
		return c
	}
	fascn75, err := FromFields("FascN75BitCardCredentialFormat", [][2]string{
		{"System Code", "16383"}, {"Agency Code", "1234"}, {"Credential Number", "1 & <2>"},
	})
	require.NoError(t, err)
	custom, err := FromXML(undecodedXML("40", "1F0094CE-2BC3-46F2-B934-AD6759D78B2A", "FF"))
	require.NoError(t, err)

	for _, tc := range []struct {
		name              string
		c                 Credential
		unique, world, xm string
	}{
		{"26 bits", mustCtor("WiegandStandardCredentialFormat", "118", "217"),
			"00000000000000000000000002EC01B2|26", "118:217",
			"<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType><Raw>00000000000000000000000002EC01B2</Raw></UndecodedWiegand>"},
		{"CSN", mustCtor("WiegandCsn32CredentialFormat", "3000000001"),
			"000000000000000000000000B2D05E01|32", "3000000001",
			"<UndecodedWiegand><BitLength>32</BitLength><FormatType>00000000-0000-0000-0000-000000000700</FormatType><Raw>000000000000000000000000B2D05E01</Raw></UndecodedWiegand>"},
		{"H10302", mustCtor("WiegandH10302CredentialFormat", "0"),
			"00000000000000000000000000000001|37", "0",
			"<UndecodedWiegand><BitLength>37</BitLength><FormatType>00000000-0000-0000-0000-000000000400</FormatType><Raw>00000000000000000000000000000001</Raw></UndecodedWiegand>"},
		{"Corporate 1000 35", mustCtor("WiegandCorporate1000CredentialFormat", "0", "0"),
			"00000000000000000000000000000001|35", "0:0",
			"<UndecodedWiegand><BitLength>35</BitLength><FormatType>00000000-0000-0000-0000-000000000600</FormatType><Raw>00000000000000000000000000000001</Raw></UndecodedWiegand>"},
		{"keypad", mustCtor("KeypadCredentialFormat", "01234"),
			"1234|Keypad", "pin:1234", "<Keypad><Code>1234</Code></Keypad>"},
		{"plate", mustCtor("LicensePlateCredentialFormat", "ABC123"),
			"ABC123|Plate", "plate:ABC123", "<Plate><Plate>ABC123</Plate></Plate>"},
		{"FASC-N fields", fascn75,
			"Agency Code=1234;Credential Number=1 & <2>;System Code=16383|75",
			"fascn:Agency Code=1234;Credential Number=1 & <2>;System Code=16383|75",
			"<FascN><FormatType>00000000-0000-0000-0000-000000000900</FormatType>" +
				"<Field><Key>System Code</Key><Value>16383</Value></Field>" +
				"<Field><Key>Agency Code</Key><Value>1234</Value></Field>" +
				"<Field><Key>Credential Number</Key><Value>1 &amp; &lt;2&gt;</Value></Field></FascN>"},
		{"custom", custom,
			"000000000000000000000000000000FF|40", "255",
			"<UndecodedWiegand><BitLength>40</BitLength><FormatType>1f0094ce-2bc3-46f2-b934-ad6759d78b2a</FormatType><Raw>000000000000000000000000000000FF</Raw></UndecodedWiegand>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.unique, tc.c.UniqueID())
			assert.Equal(t, tc.world, tc.c.WorldCard())
			assert.Equal(t, tc.xm, tc.c.Serialize())

			// Serialize is read back by FromXML to the same credential.
			back, err := FromXML(tc.c.Serialize())
			require.NoError(t, err)
			assert.Equal(t, tc.c, back)
		})
	}
}

// A FASC-N UniqueID does not depend on the order the fields were given in.
func TestFascNUniqueIDOrderFree(t *testing.T) {
	a, err := FromFields("FascN200BitCardCredentialFormat", [][2]string{{"A", "1"}, {"B", "2"}})
	require.NoError(t, err)
	b, err := FromFields("FascN200BitCardCredentialFormat", [][2]string{{"B", "2"}, {"A", "1"}})
	require.NoError(t, err)
	assert.Equal(t, a.UniqueID(), b.UniqueID())
	assert.Equal(t, "A=1;B=2|200", a.UniqueID())
	assert.NotEqual(t, a.Serialize(), b.Serialize(), "the XML keeps the order given")
}

func TestZeroCredential(t *testing.T) {
	var c Credential
	assert.Equal(t, "", c.Serialize())
	assert.Equal(t, "|0", c.UniqueID())
	assert.Equal(t, "0", c.WorldCard())
}
