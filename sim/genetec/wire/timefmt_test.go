package wire_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// renderTime renders t the way every format does, via the legacy XML
// envelope whose result is the bare text.
func renderTime(t time.Time) string {
	out := wire.Append(nil, wire.LegacyXML, wire.Ok, t)
	return string(out[len(`<rsp status="ok">`) : len(out)-len(`</rsp>`)])
}

func TestTimeRendering(t *testing.T) {
	plus2 := time.FixedZone("UTC+2", 2*3600)
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2023, 7, 4, 9, 25, 43, 50_000_000, time.UTC), "2023-07-04T09:25:43.05Z"},
		{time.Date(2023, 7, 4, 9, 25, 43, 123_000_000, time.UTC), "2023-07-04T09:25:43.123Z"},
		{time.Date(2023, 7, 4, 9, 26, 31, 0, time.UTC), "2023-07-04T09:26:31Z"},
		{time.Date(2023, 7, 4, 9, 26, 31, 100, time.UTC), "2023-07-04T09:26:31.0000001Z"},
		// Below the 100 ns tick of a .NET DateTime: not shown, as the server cannot.
		{time.Date(2023, 7, 4, 9, 26, 31, 99, time.UTC), "2023-07-04T09:26:31Z"},
		{time.Date(2023, 7, 4, 9, 26, 31, 123_456_789, time.UTC), "2023-07-04T09:26:31.1234567Z"},
		{time.Time{}, "0001-01-01T00:00:00"},
		{time.Time{}.In(plus2), "0001-01-01T00:00:00"},
		{time.Date(2026, 1, 1, 1, 0, 0, 500_000_000, plus2), "2025-12-31T23:00:00.5Z"},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "0001-01-01T00:00:01Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), "9999-12-31T23:59:59.9999999Z"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, renderTime(c.t), "%v", c.t)
	}
}

func TestTimeRenderingMatchesStandardLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		ts := time.Unix(r.Int64N(253402300799), r.Int64N(1e9)).In(time.FixedZone("", int(r.Int64N(50_000))-25_000))
		if r.IntN(4) == 0 {
			ts = ts.Truncate(time.Second)
		}
		assert.Equal(t, serverTime(ts), renderTime(ts))
	}
}
