package query

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	good := []struct {
		in   string
		want time.Time
	}{
		{"2025-01-01T08:00:00", utc(2025, 1, 1, 8, 0, 0, 0)},
		{"2025-01-01T0:00:00", utc(2025, 1, 1, 0, 0, 0, 0)},
		{"2025-12-31T23:59:59", utc(2025, 12, 31, 23, 59, 59, 0)},
		{"2025-01-01T8:05:09", utc(2025, 1, 1, 8, 5, 9, 0)},
		{"2025-01-01", utc(2025, 1, 1, 0, 0, 0, 0)},
		{"2025-01-01T08:00:00Z", utc(2025, 1, 1, 8, 0, 0, 0)},
		{"2025-01-01T08:00:00.5", utc(2025, 1, 1, 8, 0, 0, 500_000_000)},
		{"2025-01-01T08:00:00.1234567", utc(2025, 1, 1, 8, 0, 0, 123_456_700)},
		{"2025-01-01T08:00:00.123456789Z", utc(2025, 1, 1, 8, 0, 0, 123_456_789)},
		{"2025-01-01T08:00:00+02:00", utc(2025, 1, 1, 6, 0, 0, 0)},
		{"2025-01-01T08:00:00-05:30", utc(2025, 1, 1, 13, 30, 0, 0)},
		{"2025-01-01T01:00:00+0200", utc(2024, 12, 31, 23, 0, 0, 0)},
		{"2024-02-29T12:00:00", utc(2024, 2, 29, 12, 0, 0, 0)},
	}
	for _, tt := range good {
		got, err := ParseTime(tt.in)
		require.NoError(t, err, tt.in)
		assert.True(t, tt.want.Equal(got), "%s: got %v, want %v", tt.in, got, tt.want)
		assert.Equal(t, time.UTC, got.Location(), tt.in)
	}
	for _, in := range []string{
		"", "garbage", "2025", "2025-1-01", "2025-01-1", "2025/01/01",
		"2025-13-01", "2025-00-01", "2025-02-30", "2025-02-29", "2025-01-00",
		"2025-01-01T", "2025-01-01T24:00:00", "2025-01-01T08:60:00", "2025-01-01T08:00:60",
		"2025-01-01T08:00", "2025-01-01T123:00:00", "2025-01-01T08:00:00.", "2025-01-01T08:00:00.1234567890",
		"2025-01-01 08:00:00", "2025-01-01T08:00:00+2", "2025-01-01T08:00:00+24:00",
		"2025-01-01T08:00:00ZZ", "2025-01-01Z", " 2025-01-01", "2025-01-01T08:00:00 ",
		"2025-01-01T-8:00:00",
	} {
		_, err := ParseTime(in)
		assert.Error(t, err, "%q", in)
	}
}

func TestParseTimeSpan(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{"00:00:00", 0},
		{"08:30:15", 8*time.Hour + 30*time.Minute + 15*time.Second},
		{"8:30:15", 8*time.Hour + 30*time.Minute + 15*time.Second},
		{"6.00:00:00", 6 * 24 * time.Hour},
		{"1.02:03:04.5", 26*time.Hour + 3*time.Minute + 4*time.Second + 500*time.Millisecond},
		{"00:00:00.0000001", 100 * time.Nanosecond},
		{"-01:00:00", -time.Hour},
		{"106750.23:59:59", 106750*24*time.Hour + 23*time.Hour + 59*time.Minute + 59*time.Second},
	}
	for _, tt := range good {
		got, err := ParseTimeSpan(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for _, in := range []string{
		"", "garbage", "6", "6.", "00:00", "24:00:00", "00:60:00", "00:00:60",
		"6.24:00:00", ".01:00:00", "1.2.03:00:00", "00:00:00.", "00:00:00.1234567890",
		"99999999.00:00:00", "106752.00:00:00", "--01:00:00", "01:00:00 ", "1:2:3",
	} {
		_, err := ParseTimeSpan(in)
		assert.Error(t, err, "%q", in)
	}
}
