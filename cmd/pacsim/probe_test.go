package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// probeRun runs `pacsim probe args…` in process.
func probeRun(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), append([]string{"probe"}, args...), &o, &e)
	return o.String(), e.String(), err
}

// TestProbeOK: 200 is success, and says so on one line.
func TestProbeOK(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, err := probeRun(t, srv.URL+"/readyz")
	require.NoError(t, err, stderr)
	assert.Equal(t, "GET "+srv.URL+"/readyz: 200 OK\n", stdout)
	assert.Empty(t, stderr)

	// Flags after the URL, as in the chart's command line, or before.
	_, _, err = probeRun(t, srv.URL+"/readyz", "--timeout", "2s")
	require.NoError(t, err)
	_, _, err = probeRun(t, "--timeout=2s", srv.URL+"/readyz")
	require.NoError(t, err)

	_, _, err = probeRun(t, srv.URL+"/elsewhere")
	require.EqualError(t, err, "probe: GET "+srv.URL+"/elsewhere: 404 Not Found: 404 page not found")
}

// TestProbeNotReady: any status but 200 fails with the status and the
// body's first line, clipped.
func TestProbeNotReady(t *testing.T) {
	body := "not ready: the driver is not logged in to 127.0.0.1:8801\nsecond line\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/long":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(strings.Repeat("é", 300)))
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(srv.Close)
	stdout, _, err := probeRun(t, srv.URL+"/readyz")
	require.Error(t, err)
	assert.False(t, errors.Is(err, errUsage), "exit 1, not 2")
	assert.Equal(t, "probe: GET "+srv.URL+"/readyz: 503 Service Unavailable: not ready: the driver is not logged in to 127.0.0.1:8801", err.Error())
	assert.Empty(t, stdout)

	_, _, err = probeRun(t, srv.URL+"/long")
	require.Error(t, err)
	line := strings.TrimPrefix(err.Error(), "probe: GET "+srv.URL+"/long: 503 Service Unavailable: ")
	assert.Equal(t, strings.Repeat("é", probeLineMax/2)+"…", line, "clipped on a rune boundary")

	_, _, err = probeRun(t, srv.URL+"/empty")
	require.EqualError(t, err, "probe: GET "+srv.URL+"/empty: 204 No Content: (empty body)", "only 200 passes")
}

// TestProbeRefused: nothing listening is named as such.
func TestProbeRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	_, _, err = probeRun(t, "http://"+addr+"/readyz")
	require.EqualError(t, err, "probe: GET http://"+addr+"/readyz: connection refused: nothing listens on "+addr)
}

// TestProbeTimeout: a server that accepts and never answers fails after
// --timeout, saying so.
func TestProbeTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	_, _, err := probeRun(t, srv.URL+"/readyz", "--timeout", "200ms")
	require.EqualError(t, err, "probe: GET "+srv.URL+"/readyz: no answer within 200ms (--timeout)")

	// The same when the status came but the body does not.
	half := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(half.Close)
	t.Cleanup(func() { close(release) }) // runs first: the handlers return, Close need not wait
	_, _, err = probeRun(t, half.URL+"/readyz", "--timeout", "200ms")
	require.EqualError(t, err, "probe: GET "+half.URL+"/readyz: 503 Service Unavailable: (the body did not come within 200ms)")
}

// TestProbeUsage: a missing or malformed URL, or a wrong --timeout, is a
// usage error naming it.
func TestProbeUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "pacsim probe: no URL: pacsim probe http://host:port/path"},
		{[]string{"http://a/", "http://b/"}, `pacsim probe: one URL at a time, got ["http://a/" "http://b/"]`},
		{[]string{"127.0.0.1:9700/readyz"}, `pacsim probe: URL "127.0.0.1:9700/readyz": not http:// or https://`},
		{[]string{"http://127.0.0.1:port/readyz"}, `pacsim probe: URL "http://127.0.0.1:port/readyz": invalid port ":port" after host`},
		{[]string{"ftp://127.0.0.1/readyz"}, `pacsim probe: URL "ftp://127.0.0.1/readyz": not http:// or https://`},
		{[]string{"http:///readyz"}, `pacsim probe: URL "http:///readyz": no host`},
		{[]string{"http://127.0.0.1/", "--timeout", "0s"}, "pacsim probe: --timeout: 0s is not between 0 and 10m0s"},
		{[]string{"http://127.0.0.1/", "--timeout", "5"}, `pacsim probe: --timeout: "5" is not a duration like 5s or 500ms`},
		{[]string{"http://127.0.0.1/", "--timeout"}, "pacsim probe: flag needs an argument: --timeout"},
	} {
		stdout, stderr, err := probeRun(t, c.args...)
		require.ErrorIs(t, err, errUsage, "%q", c.args)
		assert.Empty(t, stdout)
		assert.Equal(t, c.want+"\nrun 'pacsim probe -h' for the flags\n", stderr, "%q", c.args)
	}
}

// TestProbeExitStatus: as the helm test pod runs it: exit 0 on 200; 1 and
// one line on stderr otherwise.
func TestProbeExitStatus(t *testing.T) {
	bin := binary(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			http.Error(w, "not ready: loading the site", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	for path, want := range map[string]int{"/healthz": 0, "/readyz": 1} {
		code, stderr := runBinary(t, bin, "probe", srv.URL+path)
		assert.Equal(t, want, code, "%s: %s", path, stderr)
		if want != 0 {
			assert.Equal(t, "pacsim: probe: GET "+srv.URL+path+": 503 Service Unavailable: not ready: loading the site\n", stderr)
		}
	}
}
