package query

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGUID(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when not a GUID
	}{
		{"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"},
		{"6F1C2A3B-4D5E-4F60-8A9B-0C1D2E3F4A5B", "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"},
		{"6f1c2a3b4d5e4f608a9b0c1d2e3f4a5b", "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"},
		{"0A1B2C3D4E5F40718293A4B5C6D7E8F9", "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9"},
		{"00000000-0000-0000-0000-00000000000b", "00000000-0000-0000-0000-00000000000b"},
		{"", ""},
		{"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5", ""},   // short
		{"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5bb", ""}, // long
		{"6f1c2a3b4-d5e-4f60-8a9b-0c1d2e3f4a5b", ""},  // dash misplaced
		{"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5g", ""},  // not hex
		{"6f1c2a3b-4d5e-4f60-8a9b0c1d2e3f4a5b-", ""},
		{"{6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a}", ""},
		{"6f1c2a3b4d5e4f608a9b0c1d2e3f4a5-", ""},
		{"Cardholder", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizeGUID(tt.in)
		assert.Equal(t, tt.want != "", ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.want != "", IsGUID(tt.in), tt.in)
	}
}
