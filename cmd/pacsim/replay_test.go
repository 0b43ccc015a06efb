package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/simtest"
)

// writeRecording writes a recording file as `pacsim record` would: the
// header, then one exchange a line.
func writeReplayFile(t *testing.T, h scenarios.Header, exs ...scenarios.Exchange) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	require.NoError(t, enc.Encode(h))
	for i := range exs {
		exs[i].Seq = i + 1
		require.NoError(t, enc.Encode(exs[i]))
	}
	path := filepath.Join(t.TempDir(), "recording.jsonl")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	return path
}

func replayHeader(system string) scenarios.Header {
	return scenarios.Header{Format: scenarios.FormatName, Version: scenarios.Version, System: system,
		RecordedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), Upstream: "http://10.0.0.5:8801", Redacted: true}
}

func replaySmallFile(t *testing.T) string {
	return writeReplayFile(t, replayHeader(scenarios.SystemEntraPass),
		scenarios.Exchange{
			Request:  scenarios.Request{Method: "GET", Path: "/SmartService/Login", Query: "userName=op-1&password=pw-1"},
			Response: scenarios.Response{Status: 200, Header: map[string][]string{"Content-Type": {"application/xml"}}, Body: "<Operator><SessionKey>K</SessionKey></Operator>"},
		},
		scenarios.Exchange{
			Request:  scenarios.Request{Method: "GET", Path: "/SmartService/Doors", Query: "sdKey=K"},
			Response: scenarios.Response{Status: 200, Header: map[string][]string{"Content-Type": {"application/xml"}}, Body: "<ArrayOfSmartLinkDataRow/>"},
		})
}

var replayingLine = regexp.MustCompile(`^replaying .* on (http://\S+)$`)

// startReplay runs `pacsim replay args…` in process and returns the
// address it prints, and a stop that cancels it and returns its error and
// everything it printed.
func startReplay(t *testing.T, args ...string) (base string, stop func() (error, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"replay"}, args...), pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	for base == "" && sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if m := replayingLine.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	require.NotEmpty(t, base, "replay printed no address: %s", out.String())
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(pr)
		rest <- string(b)
	}()
	stopped := false
	stop = func() (error, string) {
		stopped = true
		cancel()
		err := <-done
		return err, out.String() + <-rest
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return base, stop
}

func replayHTTPGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestReplayListenServesTheRecording(t *testing.T) {
	t.Parallel()
	file := replaySmallFile(t)
	base, stop := startReplay(t, file, "--listen", "127.0.0.1:0")

	code, body := replayHTTPGet(t, base+"/SmartService/Doors?sdKey=K")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "<ArrayOfSmartLinkDataRow/>", body)
	code, body = replayHTTPGet(t, base+"/SmartService/Doors?sdKey=NOT-K")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body, "line 3")

	err, out := stop()
	require.NoError(t, err)
	assert.Contains(t, out, "replaying "+file+" (2 exchanges of entrapass recorded at 2026-12-03T10:00:00Z) on http://127.0.0.1:")
	assert.Contains(t, out, "served 2 requests, 1 unmatched")
}

func TestReplayTakesTheFileAfterTheFlags(t *testing.T) {
	t.Parallel()
	file := replaySmallFile(t)
	base, stop := startReplay(t, "--listen", "127.0.0.1:0", "--speed", "max", file)
	code, _ := replayHTTPGet(t, base+"/SmartService/Login?userName=op-1&password=pw-1")
	assert.Equal(t, http.StatusOK, code)
	err, out := stop()
	require.NoError(t, err)
	assert.Contains(t, out, "served 1 requests, 0 unmatched")
}

func TestReplayUsageErrors(t *testing.T) {
	t.Parallel()
	file := replaySmallFile(t)
	for name, args := range map[string][]string{
		"no file":            {"--listen", "127.0.0.1:0"},
		"two files":          {file, file, "--listen", "127.0.0.1:0"},
		"both":               {file, "--listen", "127.0.0.1:0", "--against", "http://127.0.0.1:1/"},
		"neither":            {file},
		"speed 0":            {file, "--listen", "127.0.0.1:0", "--speed", "0"},
		"speed words":        {file, "--listen", "127.0.0.1:0", "--speed", "fast"},
		"speed negative":     {file, "--listen", "127.0.0.1:0", "--speed", "-1"},
		"flag value":         {file, "--listen"},
		"unknown flag":       {file, "--listen", "127.0.0.1:0", "--loud"},
		"json with listen":   {file, "--listen", "127.0.0.1:0", "--json"},
		"speed with against": {file, "--against", "http://127.0.0.1:1/", "--speed", "10"},
		"against not a URL":  {file, "--against", "127.0.0.1:1"},
		"redacted, no user":  {file, "--against", "http://127.0.0.1:1/"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), append([]string{"replay"}, args...), io.Discard, &stderr)
			require.ErrorIs(t, err, errUsage, stderr.String())
			assert.NotEmpty(t, stderr.String())
		})
	}
}

func TestReplaySpeedAcceptsAnyPositiveNumber(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]float64{"1": 1, "10": 10, "max": 0, "MAX": 0, "2.5": 2.5} {
		got, err := parseSpeed(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
}

func TestReplayBadRecordingNamesFileAndLine(t *testing.T) {
	t.Parallel()
	file := replaySmallFile(t)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	lines[2] = "{not json\n"
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(lines, "")), 0o600))

	err = run(context.Background(), []string{"replay", file, "--listen", "127.0.0.1:0"}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.False(t, errors.Is(err, errUsage))
	assert.True(t, strings.HasPrefix(err.Error(), file+": line 3: "), err.Error())
	var le *scenarios.LineError
	require.ErrorAs(t, err, &le)
}

// recordFromSimulator records Login, GatewaysSites and Doors on s and
// redacts the credentials and session key, as `pacsim record` would.
func replayRecordSim(t *testing.T, s *simtest.Site, alter func(doorsBody string) string) string {
	t.Helper()
	user, pass := s.Operator()
	call := func(path, query string) scenarios.Exchange {
		u, err := url.Parse(s.EntraPassURL())
		require.NoError(t, err)
		u.Path, u.RawQuery = path, query
		resp, err := s.HTTPClient().Get(u.String())
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		return scenarios.Exchange{
			Request:  scenarios.Request{Method: "GET", Path: path, Query: query},
			Response: scenarios.Response{Status: resp.StatusCode, Header: map[string][]string{"Content-Type": resp.Header.Values("Content-Type")}, Body: string(body)},
		}
	}
	login := call("/SmartService/Login", "userName="+url.QueryEscape(user)+"&password="+url.QueryEscape(pass))
	m := regexp.MustCompile(`<SessionKey>([^<]*)</SessionKey>`).FindStringSubmatch(login.Response.Body)
	require.NotNil(t, m, login.Response.Body)
	sites := call("/SmartService/GatewaysSites", "sdKey="+m[1])
	doors := call("/SmartService/Doors", "sdKey="+m[1])

	const pseudo = "0badc0de-0000-4000-8000-000000000001"
	login.Request.Query = "userName=operator-1&password=password-1"
	login.Response.Body = strings.ReplaceAll(login.Response.Body, m[1], pseudo)
	sites.Request.Query, doors.Request.Query = "sdKey="+pseudo, "sdKey="+pseudo
	if alter != nil {
		doors.Response.Body = alter(doors.Response.Body)
	}
	return writeReplayFile(t, replayHeader(scenarios.SystemEntraPass), login, sites, doors)
}

// The --against tests set $PACSIM_ENTRAPASS_PASSWORD: not parallel.

func TestReplayAgainstTheSimulatorNoDifferenceExitsZero(t *testing.T) {
	s := simtest.Start(t)
	user, pass := s.Operator()
	t.Setenv(passwordEnv, pass)
	file := replayRecordSim(t, s, nil)

	var stdout bytes.Buffer
	err := run(context.Background(), []string{"replay", "--against", s.EntraPassURL(), "--username", user, file}, &stdout, io.Discard)
	require.NoError(t, err, stdout.String())
	assert.Equal(t, "3 exchanges sent, 0 differences\n", stdout.String())
}

func TestReplayAgainstADifferenceExitsOne(t *testing.T) {
	s := simtest.Start(t)
	user, pass := s.Operator()
	t.Setenv(passwordEnv, pass)
	file := replayRecordSim(t, s, func(body string) string {
		body = strings.Replace(body, "<SmartLinkDataRow>", "<SmartLinkDataRecord>", 1)
		return strings.Replace(body, "</SmartLinkDataRow>", "</SmartLinkDataRecord>", 1)
	})

	var stdout bytes.Buffer
	err := run(context.Background(), []string{"replay", file, "--against", s.EntraPassURL(), "--username", user}, &stdout, io.Discard)
	require.ErrorIs(t, err, errDifferences)
	assert.False(t, errors.Is(err, errUsage))
	assert.Equal(t, "3 exchanges sent, 1 differences\n"+
		"exchange 3 (line 4) GET /SmartService/Doors: body: /ArrayOfSmartLinkDataRow/SmartLinkDataRecord: missing\n", stdout.String())

	// The same as JSON.
	stdout.Reset()
	err = run(context.Background(), []string{"replay", file, "--against", s.EntraPassURL(), "--username", user, "--json"}, &stdout, io.Discard)
	require.ErrorIs(t, err, errDifferences)
	var rep scenarios.Report
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), stdout.String())
	assert.Equal(t, 3, rep.Exchanges)
	assert.Equal(t, 3, rep.Sent)
	require.Len(t, rep.Differences, 1)
	assert.Equal(t, 3, rep.Differences[0].Seq)
	assert.Equal(t, 4, rep.Differences[0].Line)
}

func TestReplayAgainstARedactedRecordingNeedsThePassword(t *testing.T) {
	t.Setenv(passwordEnv, "")
	file := replaySmallFile(t)
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"replay", file, "--against", "http://127.0.0.1:1/", "--username", "u"}, io.Discard, &stderr)
	require.ErrorIs(t, err, errUsage)
	assert.Contains(t, stderr.String(), "$"+passwordEnv)
}
