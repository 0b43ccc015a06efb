package image

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func parseAddrs(t *testing.T, line string) map[string]string {
	t.Helper()
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(line), &m), "not the address line: %s", line)
	return m
}
