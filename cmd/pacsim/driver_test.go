package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/sim"
	simep "github.com/pacsim/pacsim/sim/entrapass"
)

// The operator the driver logs in as: a password unlike anything else
// printed, so that the test can tell it was never shown.
const (
	driverUser     = "psim-runtime"
	driverPassword = "Zq7-secret-Pw!"
)

var (
	dataserverLine = regexp.MustCompile(`^dataserver: (http://\S+)$`)
	debugLine      = regexp.MustCompile(`^debug log stream: (http://\S+/logs)$`)
)

// lockedBuffer is an io.Writer safe for the driver's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// simSite serves the default site's SmartService on 127.0.0.1 with an
// extra operator, and returns the world and the server's port.
func simSite(t *testing.T) (*sim.World, int) {
	t.Helper()
	site := sim.DefaultSite()
	site.EntraPass.Operators = append(site.EntraPass.Operators, sim.OperatorSpec{ID: 399, Name: driverUser, Password: driverPassword})
	w, err := sim.New(site)
	require.NoError(t, err)
	ep, err := simep.New(w)
	require.NoError(t, err)
	ts := httptest.NewServer(ep.Handler())
	t.Cleanup(func() { ts.Close(); ep.Close() })
	return w, ts.Listener.Addr().(*net.TCPAddr).Port
}

// startDriver runs `pacsim driver args…` in process and returns the
// dataserver's base URL and the debug stream's URL once printed, and
// everything the command printed so far and later.
func startDriver(t *testing.T, args ...string) (ds, logs string, out *lockedBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	out = &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := runDriver(ctx, append([]string{"--dataserver", "127.0.0.1:0", "--debug", "127.0.0.1:0"}, args...), pw, out)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	for ds == "" || logs == "" {
		if !sc.Scan() {
			break
		}
		out.Write([]byte(sc.Text() + "\n"))
		if m := dataserverLine.FindStringSubmatch(sc.Text()); m != nil {
			ds = m[1]
		}
		if m := debugLine.FindStringSubmatch(sc.Text()); m != nil {
			logs = m[1]
		}
	}
	go func() {
		for sc.Scan() {
			out.Write([]byte(sc.Text() + "\n"))
		}
	}()
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	require.NotEmpty(t, ds, "driver printed no dataserver address: %s", out)
	require.NotEmpty(t, logs, "driver printed no debug log stream address: %s", out)
	return ds, logs, out, stop
}

// stream opens a streaming GET (events or logs) bounded by ctx.
func stream(t *testing.T, ctx context.Context, url string) *bufio.Scanner {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return bufio.NewScanner(resp.Body)
}

func driverDo(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func TestDriverEndToEnd(t *testing.T) {
	w, port := simSite(t)
	ds, logsURL, out, stop := startDriver(t, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", driverUser, "--password", driverPassword, "--poll", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// Wait for door 20 to show Secure with the driver's own events: subscribe
	// first, then look, then read the stream until it says so.
	events := stream(t, ctx, ds+"/events")
	door20 := asset.Ref{Type: asset.Door, ID: 20}
	var snap asset.Snapshot
	code, b := driverDo(t, "GET", ds+"/assets/door/20", "")
	if code == http.StatusOK {
		require.NoError(t, json.Unmarshal(b, &snap))
	}
	for snap.Status != asset.Secure {
		require.True(t, events.Scan(), "no Status Changed of door/20 to Secure before the deadline (%s)", snap.Status)
		data, ok := strings.CutPrefix(events.Text(), "data: ")
		if !ok {
			continue
		}
		e, err := asset.DecodeEvent([]byte(data))
		require.NoError(t, err)
		if sc, ok := e.(*asset.StatusChanged); ok && sc.Ref == door20 {
			snap.Status = sc.To
		}
	}
	code, b = driverDo(t, "GET", ds+"/assets/door/20", "")
	require.Equal(t, http.StatusOK, code, "%s", b)
	require.NoError(t, json.Unmarshal(b, &snap))
	assert.Equal(t, asset.Secure, snap.Status)
	assert.Equal(t, "Front Door", snap.Name)
	assert.Equal(t, "20", snap.Properties[asset.PropDoorID])

	// Pass 5: the world's door 20 is unlocked for 5 s; the debug stream
	// shows the command.
	logs := stream(t, ctx, logsURL)
	code, b = driverDo(t, "POST", ds+"/assets/door/20/commands", `{"command":"Pass","seconds":5}`)
	require.Equal(t, http.StatusOK, code, "%s", b)
	d, err := w.Door(20)
	require.NoError(t, err)
	assert.Equal(t, sim.LockUnlockedTemporary, d.Lock)
	for {
		require.True(t, logs.Scan(), "the debug log stream did not show the command")
		if strings.Contains(logs.Text(), "command carried out") {
			assert.Contains(t, logs.Text(), `command="Pass 5s"`)
			break
		}
	}

	// Pass 0 is refused before anything is sent.
	code, b = driverDo(t, "POST", ds+"/assets/door/21/commands", `{"command":"Pass","seconds":0}`)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, string(b), "Seconds Unlocked")
	d, err = w.Door(21)
	require.NoError(t, err)
	assert.Equal(t, sim.LockLocked, d.Lock)

	require.NoError(t, stop())
	assert.Contains(t, out.String(), "pacsim driver: stopping")
	assert.Contains(t, out.String(), `as "`+driverUser+`"`)
	assert.NotContains(t, out.String(), driverPassword, "the password is never printed")
}

func TestDriverRejectsBadConfig(t *testing.T) {
	t.Setenv(passwordEnv, "")
	base := []string{"--host", "127.0.0.1", "--port", "1", "--username", "u", "--password", driverPassword}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--port", "70000"}, []string{"--port", "Port", "70000"}},
		{[]string{"--port", "0"}, []string{"--port", "0"}},
		{[]string{"--poll", "10ms"}, []string{"--poll", "Poll", "10ms"}},
		{[]string{"--poll", "soon"}, []string{"--poll", "soon"}},
		{[]string{"--host", "http://x"}, []string{"--host", "Host", "scheme"}},
		{[]string{"--username", " "}, []string{"--username", "Username", "required"}},
		{[]string{"--password", ""}, []string{"--password", "Password", "required"}},
		{[]string{"--insecure"}, []string{"--insecure", "InsecureSkipVerify", "TLS"}},
		{[]string{"--dataserver", "127.0.0.1:99999"}, []string{"--dataserver"}},
		{[]string{"extra"}, []string{"no arguments"}},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := runDriver(ctx, append(append([]string{"--debug", "127.0.0.1:0"}, base...), c.args...), &stdout, &stderr)
		cancel()
		require.Error(t, err, "%q", c.args)
		for _, w := range c.want {
			assert.Contains(t, err.Error(), w, "%q", c.args)
		}
		assert.NotContains(t, err.Error()+stdout.String()+stderr.String(), driverPassword)
		assert.Empty(t, stdout.String(), "%q: nothing started", c.args)
	}
}

func TestDriverConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return runDriver(ctx, args, io.Discard, io.Discard)
	}
	bad := write("bad.json", `{"host":"127.0.0.1","port":70000,"username":"u","password":"`+driverPassword+`","poll":"1s"}`)
	err := run("--config", bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Port")
	assert.NotContains(t, err.Error(), driverPassword)

	// A flag given overrides the file.
	err = run("--config", bad, "--port", "1", "--poll", "5ms")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Poll")

	err = run("--config", write("unknown.json", `{"host":"127.0.0.1","pasword":"x"}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pasword")

	err = run("--config", filepath.Join(dir, "missing.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--config")
}

func TestDriverPasswordFromEnvironment(t *testing.T) {
	t.Setenv(passwordEnv, "")
	err := runDriver(context.Background(), []string{"--host", "127.0.0.1", "--username", "u"}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--password")

	// With the password in the environment, the next field is checked.
	t.Setenv(passwordEnv, driverPassword)
	err = runDriver(context.Background(), []string{"--host", "127.0.0.1", "--username", "u", "--poll", "2h"}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--poll")
	assert.NotContains(t, err.Error(), driverPassword)
}
