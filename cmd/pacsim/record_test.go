package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/simtest"
)

var recordingLine = regexp.MustCompile(`^recording (\S+) on (http://\S+) to (\S+) \((redacted|NOT redacted)\)$`)

// startRecord runs `pacsim record args…` in process and returns the
// address it listens on once printed, its stdout so far and to come, and a
// stop that cancels it and returns its error.
func startRecord(t *testing.T, args ...string) (proxy string, out *lockedBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"record"}, args...), pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	out = &lockedBuffer{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.Write([]byte(sc.Text() + "\n"))
		if m := recordingLine.FindStringSubmatch(sc.Text()); m != nil {
			proxy = m[2]
			break
		}
	}
	if proxy == "" {
		cancel()
		t.Fatalf("pacsim record printed no address: %q, %v", out.String(), <-done)
	}
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(out, pr)
		close(copied)
	}()
	return proxy, out, func() error {
		cancel()
		err := <-done
		<-copied // stdout is complete
		return err
	}
}

// (d) The command end to end: it records what passes, redacted by default,
// and at the stop says how many exchanges it recorded; the file reads
// back. An existing --out is overwritten only with --force.
func TestRecordCommand(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	file := filepath.Join(t.TempDir(), "site.jsonl")
	require.NoError(t, os.WriteFile(file, []byte("an earlier recording\n"), 0o644))

	proxy, out, stop := startRecord(t, "--upstream", s.EntraPassURL(), "--listen", "127.0.0.1:0", "--out", file, "--force")
	require.Contains(t, out.String(), "recording "+s.EntraPassURL()+" on "+proxy+" to "+file+" (redacted)")
	user, pass := s.Operator()
	resp, err := http.Get(proxy + "/SmartService/Login?" + url.Values{"userName": {user}, "password": {pass}}.Encode())
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	key := regexp.MustCompile(`<SessionKey>([^<]+)</SessionKey>`).FindSubmatch(body)
	require.NotNil(t, key, "%s", body)
	resp, err = http.Get(proxy + "/SmartService/GatewaysSites?sdKey=" + url.QueryEscape(string(key[1])))
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, stop(), "a stop is exit 0")
	require.Contains(t, out.String(), "\nrecorded 2 exchanges\n")

	rec, err := scenarios.Open(file)
	require.NoError(t, err)
	require.Equal(t, scenarios.SystemEntraPass, rec.Header.System)
	require.True(t, rec.Header.Redacted)
	require.Len(t, rec.Exchanges, 2)
	require.Equal(t, "/SmartService/Login", rec.Exchanges[0].Request.Path)
	require.Equal(t, "/SmartService/GatewaysSites", rec.Exchanges[1].Request.Path)
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "password=pacsim", "redacted by default")
	require.NotContains(t, string(raw), "an earlier recording")
}

// --no-redact is written in the header, and the Web SDK's system is told
// by the upstream's path.
func TestRecordCommandNoRedact(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, simtest.WithGenetecPlainHTTP())
	file := filepath.Join(t.TempDir(), "g.jsonl")
	proxy, out, stop := startRecord(t, "--upstream", s.GenetecURL(), "--listen", "127.0.0.1:0", "--out", file, "--no-redact")
	require.Contains(t, out.String(), "(NOT redacted)")
	user, app, pass := s.GenetecUser()
	req, err := http.NewRequest(http.MethodGet, proxy+"/WebSdk/", nil)
	require.NoError(t, err)
	req.SetBasicAuth(user+";"+app, pass)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, stop())
	require.Contains(t, out.String(), "recorded 1 exchanges")

	rec, err := scenarios.Open(file)
	require.NoError(t, err)
	require.Equal(t, scenarios.SystemGenetec, rec.Header.System)
	require.False(t, rec.Header.Redacted)
	require.Equal(t, []string{req.Header.Get("Authorization")}, rec.Exchanges[0].Request.Header["Authorization"])
}

// An existing --out is refused without --force, and left alone.
func TestRecordCommandRefusesExistingOut(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "site.jsonl")
	require.NoError(t, os.WriteFile(file, []byte("keep me\n"), 0o644))
	var stderr strings.Builder
	err := run(context.Background(), []string{"record", "--upstream", "http://127.0.0.1:8801", "--listen", "127.0.0.1:0", "--out", file},
		io.Discard, &stderr)
	require.Error(t, err)
	require.NotErrorIs(t, err, errUsage, "the flags are right, the file is in the way: exit 1")
	require.Contains(t, err.Error(), "exists")
	require.Contains(t, err.Error(), "--force")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, "keep me\n", string(b))
}

// Usage errors exit 2 before anything listens or is written.
func TestRecordCommandUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "r.jsonl")
	for _, args := range [][]string{
		{"--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "http://127.0.0.1:8801", "--out", out},
		{"--upstream", "http://127.0.0.1:8801", "--listen", "127.0.0.1:0"},
		{"--upstream", "ftp://127.0.0.1:8801", "--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "127.0.0.1:8801", "--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "http://127.0.0.1:9000", "--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "http://127.0.0.1:8801", "--system", "lenel", "--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "http://127.0.0.1:8801", "--upstream-insecure", "--listen", "127.0.0.1:0", "--out", out},
		{"--upstream", "http://127.0.0.1:8801", "--listen", "127.0.0.1:0", "--out", out, "--cert", "c.pem"},
		{"--upstream", "http://127.0.0.1:8801", "--listen", "127.0.0.1:0", "--out", out, "extra"},
		{"--bogus"},
	} {
		var stderr strings.Builder
		err := run(context.Background(), append([]string{"record"}, args...), io.Discard, &stderr)
		require.ErrorIs(t, err, errUsage, "%q", args)
		require.NotEmpty(t, stderr.String(), "%q says why", args)
	}
	_, err := os.Stat(out)
	require.True(t, os.IsNotExist(err), "nothing is written on a usage error")
}
