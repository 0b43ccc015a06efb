package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDriverConfigFileErrorsNameTheKey: a --config value of the wrong type
// is named by its JSON key, line and column — never by the Go type it is
// read into (driverFile.port).
func TestDriverConfigFileErrorsNameTheKey(t *testing.T) {
	t.Setenv(passwordEnv, "")
	dir := t.TempDir()
	for _, c := range []struct{ body, want string }{
		{"{\n  \"host\": \"127.0.0.1\",\n  \"port\": \"8801\"\n}", `port: want a whole number, got a string (line 3)`},
		{`{"host":"127.0.0.1","tls":"yes"}`, `tls: want true or false, got a string (line 1)`},
		{`{"host":["a"]}`, `host: want a string, got an array (line 1)`},
		{`{"host":"127.0.0.1","port":1.5}`, `port: want a whole number, got 1.5 (line 1)`},
		{`{"host":"127.0.0.1",}`, `line 1, column 21: invalid character '}' looking for beginning of object key string`},
		{`{"host":"127.0.0.1","pasword":"x"}`, `unknown key "pasword" (the keys are host, port, username, password, tls, insecure, poll, dataserver, debug, state)`},
	} {
		p := filepath.Join(dir, "driver.json")
		require.NoError(t, os.WriteFile(p, []byte(c.body), 0o600))
		err := runDriver(context.Background(), []string{"--config", p}, io.Discard, io.Discard)
		require.Error(t, err, c.body)
		assert.Equal(t, "--config "+p+": "+c.want, err.Error(), c.body)
		assert.NotContains(t, err.Error(), "driverFile", c.body)
		assert.NotErrorIs(t, err, errUsage, "the flags are right, the file is not: exit 1")
	}
}
