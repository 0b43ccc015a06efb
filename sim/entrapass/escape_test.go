package entrapass

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// TestAppendTextMatchesWire checks our element writer escapes as wire's
// does, by comparing with a <string> written by wire.
func TestAppendTextMatchesWire(t *testing.T) {
	for _, s := range []string{"plain", "O'Brien \"x\"", "a&b<c>d", "cr\r\nlf\ttab", "ctl\x01\x1f", "bad\xff\xfe", "é€𝄞", "\uFFFE"} {
		require.Equal(t, string(wire.AppendString(nil, s)), string(appendElem(nil, "string", s)), "%q", s)
	}
}
