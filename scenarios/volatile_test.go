package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVolatileQuery(t *testing.T) {
	for _, tc := range []struct {
		system, name string
		volatile     bool
	}{
		{SystemEntraPass, "connectedprogram", true},
		{SystemEntraPass, "password", true},
		{SystemEntraPass, "username", true},
		{SystemEntraPass, "encrypted", true},
		{SystemEntraPass, "_", true},
		{SystemEntraPass, "sdkey", false},
		{SystemEntraPass, "startdate", false},
		{SystemGenetec, "_", true},
		{SystemGenetec, "q", false},
		{SystemGenetec, "password", false},
	} {
		assert.Equal(t, tc.volatile, isVolatile(tc.system, tc.name), "%s %s", tc.system, tc.name)
	}
}

func TestVolatileTimeRanges(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"TimeRange.SetTimeRange(2026-01-05T09:00:00,2026-01-05T10:00:00),SortOrder=Ascending",
			"TimeRange.SetTimeRange(*,*),SortOrder=Ascending"},
		{"timerange.settimerange(2026-01-05T9:00:00, 2026-01-05T10:00:00)", "TimeRange.SetTimeRange(*,*)"},
		{"Departure=2026-01-05T17:00:00", "Departure=2026-01-05T17:00:00"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, NormalizeTimeRanges(tc.in))
	}
}
