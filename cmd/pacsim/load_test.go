package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoadDeliversEveryEventOnce: whatever the machine's speed, every card
// presented is delivered once, and the figures are reported. How many are
// sent in the second, and how fast, is the benchmarks' business
// (bench/RESULTS.md): a shared machine once sent 312 of the 500 asked.
func TestLoadDeliversEveryEventOnce(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"load", "--doors", "16", "--users", "100", "--rate", "500",
		"--duration", "1s", "--poll", "100ms", "--json"}, &out, io.Discard)
	require.NoError(t, err, out.String())
	var res map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &res), out.String())
	for _, k := range []string{"events_per_s", "p50_ms", "p99_ms", "max_ms", "poll_ms", "allocs_per_event", "peak_heap_bytes", "lost", "duplicated"} {
		require.Contains(t, res, k)
	}
	require.Equal(t, float64(0), res["lost"])
	require.Equal(t, float64(0), res["duplicated"])
	require.GreaterOrEqual(t, res["sent"], float64(1), "cards were presented")
	require.Equal(t, res["sent"], res["delivered"])
	require.Equal(t, float64(100), res["poll_ms"])
}

func TestLoadRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"load", "--doors", "0"},
		{"load", "--users", "0"},
		{"load", "--rate", "-1"},
		{"load", "--duration", "0s"},
		{"load", "--poll", "10ms"},
		{"load", "--cpuprofile", "--memprofile"},
		{"load", "extra"},
	} {
		require.ErrorIs(t, run(context.Background(), args, io.Discard, io.Discard), errUsage, "%v: exit 2", args)
	}
}
