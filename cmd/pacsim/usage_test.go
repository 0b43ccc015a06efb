package main

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsageErrorsSayWhyFirst: a usage error of any command is one line
// naming the command and the mistake, then a one-line hint — never the
// whole usage over it — and it is errUsage (exit 2).
func TestUsageErrorsSayWhyFirst(t *testing.T) {
	t.Setenv(passwordEnv, "")
	dir := t.TempDir()
	recording := replaySmallFile(t)
	driver := []string{"driver", "--host", "127.0.0.1", "--username", "u", "--password", "p", "--debug", "127.0.0.1:0", "--dataserver", "127.0.0.1:0"}
	for _, c := range []struct {
		args  []string
		first string // the first line, or its start when it ends in …
	}{
		{[]string{"serve", "--bogus"}, "pacsim serve: flag provided but not defined: -bogus"},
		{[]string{"serve", "--control"}, "pacsim serve: flag needs an argument: -control"},
		{[]string{"serve", "extra"}, `pacsim serve: takes no arguments, got ["extra"]`},
		{[]string{"serve", "--clock", "sundial"}, `pacsim serve: --clock: "sundial" is not real or virtual`},
		{[]string{"serve", "--start", "2026-01-05 09:00:00"}, "pacsim serve: --start needs --clock virtual"},
		{[]string{"serve", "--site", "a.yaml", "--generate", "doors=1,users=1"}, "pacsim serve: --site and --generate exclude each other"},
		{[]string{"serve", "--fault", "entrapass:latency=876000h"}, `pacsim serve: invalid value "entrapass:latency=876000h" for flag -fault: invalid fault: params.latency 876000h0m0s is longer than the maximum, 10m0s`},
		{[]string{"driver", "--bogus"}, "pacsim driver: flag provided but not defined: -bogus"},
		{[]string{"driver", "--port", "x"}, `pacsim driver: invalid value "x" for flag -port: parse error`},
		{append(driver, "--poll", "soon"), `pacsim driver: --poll: "soon" is not a duration like 1s or 100ms`},
		{append(driver, "--port", "0"), "pacsim driver: --port: 0 is out of range (1–65535)"},
		{append(driver, "--poll", "10ms"), "pacsim driver: --poll: …"},
		{[]string{"visitors", "--bogus"}, "pacsim visitors: flag provided but not defined: -bogus"},
		{[]string{"visitors", "--timeout", "2h"}, "pacsim visitors: --timeout: 2h0m0s is not between 0 and 1h"},
		{[]string{"visitors", "--timezone", "Mars/Olympus"}, `pacsim visitors: --timezone: unknown time zone "Mars/Olympus"`},
		{[]string{"load", "--bogus"}, "pacsim load: flag provided but not defined: -bogus"},
		{[]string{"load", "--doors", "0"}, "pacsim load: --doors: must be between 1 and 100000, got 0"},
		{[]string{"load", "extra"}, `pacsim load: takes no arguments, got ["extra"]`},
		{[]string{"site", "--bogus"}, "pacsim site: flag provided but not defined: -bogus"},
		{[]string{"site", "--generate", "doors=x"}, "pacsim site: --generate: …"},
		{[]string{"site", "extra"}, `pacsim site: takes no arguments, got ["extra"]`},
		{[]string{"record", "--bogus"}, "pacsim record: flag provided but not defined: -bogus"},
		{[]string{"record", "--listen", "127.0.0.1:0", "--out", filepath.Join(dir, "r.jsonl")}, "pacsim record: --upstream is required"},
		{[]string{"replay", "--bogus"}, "pacsim replay: flag provided but not defined: -bogus"},
		{[]string{"replay", recording}, "pacsim replay: --listen ADDR to serve the recording, or --against URL to compare a live server with it"},
	} {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // should anything start by mistake, it stops at once
		err := run(ctx, c.args, &stdout, &stderr)
		require.ErrorIs(t, err, errUsage, "%q: %v", c.args, err)
		lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
		require.Len(t, lines, 2, "%q: one line of error, one of hint:\n%s", c.args, stderr.String())
		if prefix, ok := strings.CutSuffix(c.first, "…"); ok {
			assert.True(t, strings.HasPrefix(lines[0], prefix), "%q: %q does not start with %q", c.args, lines[0], prefix)
		} else {
			assert.Equal(t, c.first, lines[0], "%q", c.args)
		}
		assert.Equal(t, "run 'pacsim "+c.args[0]+" -h' for the flags", lines[1], "%q", c.args)
		assert.Empty(t, stdout.String(), "%q", c.args)
	}
}

// TestUsageUnknownCommand: the same for a command that does not exist.
func TestUsageUnknownCommand(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serv"}, &bytes.Buffer{}, &stderr)
	require.ErrorIs(t, err, errUsage)
	assert.Equal(t, "pacsim: unknown command \"serv\"\nrun 'pacsim -h' for the commands\n", stderr.String())
}

// TestHelpIsNotAnError: -h prints the whole usage and is flag.ErrHelp,
// which main turns into exit 0.
func TestHelpIsNotAnError(t *testing.T) {
	for _, cmd := range []string{"serve", "driver", "visitors", "load", "site", "record", "replay", "probe", "conform"} {
		for _, h := range []string{"-h", "--help"} {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{cmd, h}, &stdout, &stderr)
			require.ErrorIs(t, err, flag.ErrHelp, cmd)
			out := stdout.String() + stderr.String()
			assert.Contains(t, out, "Usage: pacsim "+cmd, cmd)
			assert.Greater(t, strings.Count(out, "\n"), 5, "%s %s: the whole usage", cmd, h)
			assert.NotContains(t, out, "flag provided", cmd)
		}
	}
}

// TestUsageExitStatus: as a user runs it, a usage error exits 2 with the
// error first, and -h exits 0.
func TestUsageExitStatus(t *testing.T) {
	bin := binary(t)
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"serve", "--bogus"}, 2},
		{[]string{"load", "--doors", "0"}, 2},
		{[]string{"site", "--generate", "doors=x"}, 2},
		{[]string{"nope"}, 2},
		{[]string{"site", "-h"}, 0},
		{[]string{"site", "--site", filepath.Join(t.TempDir(), "missing.yaml")}, 1},
	} {
		code, stderr := runBinary(t, bin, c.args...)
		assert.Equal(t, c.code, code, "%q: %s", c.args, stderr)
		if c.code == 2 {
			assert.LessOrEqual(t, strings.Count(stderr, "\n"), 2, "%q: %s", c.args, stderr)
			assert.True(t, strings.HasPrefix(stderr, "pacsim"), "%q: %s", c.args, stderr)
		}
	}
}
