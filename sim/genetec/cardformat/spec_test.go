package cardformat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinsTable(t *testing.T) {
	b := Builtins()
	var names, ids []string
	for _, s := range b {
		names = append(names, s.Name)
		ids = append(ids, s.ID)
	}
	assert.Equal(t, []string{
		"Standard 26 bits", "HID H10306 34 Bits", "HID H10302 37 Bits", "HID H10304 37 Bits",
		"HID Corporate 1000 35 Bits", "CSN 32 Bits", "HID Corporate 1000 48 Bits",
		"FASC-N 75 bits", "FASC-N 200 bits", "Keypad", "License plate",
	}, names)
	assert.Equal(t, []string{
		"00000000-0000-0000-0000-000000000200", "00000000-0000-0000-0000-000000000300",
		"00000000-0000-0000-0000-000000000400", "00000000-0000-0000-0000-000000000500",
		"00000000-0000-0000-0000-000000000600", "00000000-0000-0000-0000-000000000700",
		"00000000-0000-0000-0000-000000000800", "00000000-0000-0000-0000-000000000900",
		"00000000-0000-0000-0000-000000000a00", keypadID, plateID,
	}, ids)

	std := b[0]
	assert.Equal(t, Spec{ID: "00000000-0000-0000-0000-000000000200", Name: "Standard 26 bits",
		ShortName: "26 bit Wiegand", Constructor: "WiegandStandardCredentialFormat", Bits: 26,
		Kind: Wiegand, HasFacility: true, MaxFacility: 255, MaxCard: 65535}, std)

	// Field ranges of the brief.
	want := map[string][2]uint64{
		"Standard 26 bits":           {255, 65535},
		"HID H10306 34 Bits":         {65535, 65535},
		"HID H10302 37 Bits":         {0, 34359738367},
		"HID H10304 37 Bits":         {65535, 524287},
		"HID Corporate 1000 35 Bits": {4095, 1048575},
		"CSN 32 Bits":                {0, 4294967295},
		"HID Corporate 1000 48 Bits": {4194303, 8388607},
	}
	for _, s := range b {
		if r, ok := want[s.Name]; ok {
			assert.Equal(t, r, [2]uint64{s.MaxFacility, s.MaxCard}, s.Name)
			assert.Equal(t, r[0] != 0, s.HasFacility, s.Name)
			assert.Contains(t, layouts, s.ID, s.Name)
		}
	}
	assert.Len(t, layouts, len(want))

	// Builtins hands out a copy.
	b[0].Name = "changed"
	assert.Equal(t, "Standard 26 bits", Builtins()[0].Name)
}

func TestByIDAndConstructor(t *testing.T) {
	s, ok := ByID("00000000-0000-0000-0000-000000000a00")
	require.True(t, ok)
	assert.Equal(t, "FASC-N 200 bits", s.Name)
	s, ok = ByID("00000000-0000-0000-0000-000000000A00")
	require.True(t, ok)
	assert.Equal(t, FascN, s.Kind)
	_, ok = ByID("6655ce03-3048-4999-9db9-9c526cb75a77")
	assert.False(t, ok)

	s, ok = ByConstructor("wiegandcsn32credentialformat")
	require.True(t, ok)
	assert.Equal(t, "CSN 32 Bits", s.Name)
	s, ok = ByConstructor("KEYPADCREDENTIALFORMAT")
	require.True(t, ok)
	assert.Equal(t, Keypad, s.Kind)
	_, ok = ByConstructor("RawCardCredentialFormat")
	assert.False(t, ok)

	for _, s := range Builtins() {
		byID, ok := ByID(s.ID)
		require.True(t, ok)
		assert.Equal(t, s, byID)
		byCtor, ok := ByConstructor(s.Constructor)
		require.True(t, ok)
		assert.Equal(t, s, byCtor)
	}
}
