package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// send makes one request with the given headers and returns its status
// and body.
func send(t *testing.T, method, url, body string, hdr ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// waitReady polls GET /readyz until it answers 200 (the driver logged in
// and discovered the site): nothing can be waited on from outside.
func waitReady(t *testing.T, base string, hdr ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := send(t, "GET", base+"/readyz", "", hdr...)
		if code == http.StatusOK {
			return
		}
		require.True(t, time.Now().Before(deadline), "never ready: %d %s", code, body)
		time.Sleep(20 * time.Millisecond)
	}
}

// waitAsset polls an asset until the driver has discovered it.
func waitAsset(t *testing.T, url string, hdr ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := send(t, "GET", url, "", hdr...)
		if code == http.StatusOK {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s never found: %d %s", url, code, body)
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDriverRefusesBrowserRequests (issue 18): a web page on the PSIM host
// cannot unlock a door: text/plain, a cross-origin Origin and a rebound
// Host are refused, and the door stays locked; the same command sent as a
// client would is carried out.
func TestDriverRefusesBrowserRequests(t *testing.T) {
	w, port := simSite(t)
	ds, _, _, _ := startDriver(t, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", driverUser, "--password", driverPassword, "--poll", "100ms")
	waitReady(t, ds)
	waitAsset(t, ds+"/assets/door/20")

	unlock := `{"command":"Unlock"}`
	host := strings.TrimPrefix(ds, "http://")
	for _, c := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"a form post with text/plain", []string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType},
		{"a form post", []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"no Content-Type", nil, http.StatusUnsupportedMediaType},
		{"a cross-origin fetch", []string{"Content-Type", "application/json", "Origin", "https://evil.example"}, http.StatusForbidden},
		{"a sandboxed page", []string{"Content-Type", "application/json", "Origin", "null"}, http.StatusForbidden},
		{"DNS rebinding", []string{"Content-Type", "application/json", "Host", "evil.example:" + host[strings.LastIndex(host, ":")+1:]}, http.StatusForbidden},
	} {
		code, body := send(t, "POST", ds+"/assets/door/20/commands", unlock, c.hdr...)
		assert.Equal(t, c.want, code, "%s: %s", c.name, body)
		assert.Contains(t, body, `"error"`, c.name)
		d, err := w.Door(20)
		require.NoError(t, err)
		require.Equal(t, sim.LockLocked, d.Lock, "%s unlocked the door", c.name)
	}
	// DNS rebinding cannot read states either.
	code, _ := send(t, "GET", ds+"/assets", "", "Host", "evil.example")
	assert.Equal(t, http.StatusForbidden, code)

	// The same command from a client (same origin, JSON) unlocks it.
	code, body := send(t, "POST", ds+"/assets/door/20/commands", unlock, "Content-Type", "application/json", "Origin", ds)
	require.Equal(t, http.StatusOK, code, body)
	d, err := w.Door(20)
	require.NoError(t, err)
	assert.Equal(t, sim.LockUnlockedOperator, d.Lock)
}

// TestDriverToken: with a token set, every request but the health probes
// must carry it, and a host given with --allow-host is accepted.
func TestDriverToken(t *testing.T) {
	_, port := simSite(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte("Tk-0123456789\n"), 0o600))
	ds, logs, out, _ := startDriver(t, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", driverUser, "--password", driverPassword, "--poll", "100ms",
		"--token-file", tokenFile, "--allow-host", "psim.example")
	auth := []string{"Authorization", "Bearer Tk-0123456789"}
	code, body := send(t, "GET", ds+"/healthz", "")
	assert.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "ok\n", body)
	waitReady(t, ds)

	code, body = send(t, "GET", ds+"/assets", "")
	assert.Equal(t, http.StatusUnauthorized, code, body)
	assert.Contains(t, body, "--token-file")
	code, _ = send(t, "GET", ds+"/assets", "", "Authorization", "Bearer wrong")
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _ = send(t, "GET", logs, "", "Authorization", "Bearer wrong")
	assert.Equal(t, http.StatusUnauthorized, code, "the debug log stream asks the token too")
	code, body = send(t, "GET", ds+"/assets", "", auth...)
	assert.Equal(t, http.StatusOK, code, body)
	code, body = send(t, "GET", ds+"/assets", "", append(auth, "Host", "PSIM.example:9628")...)
	assert.Equal(t, http.StatusOK, code, body)
	assert.NotContains(t, out.String(), "Tk-0123456789", "the token is never printed")
	assert.NotContains(t, out.String(), "off loopback", "no warning on loopback")
}

// TestDriverReadiness: /readyz is 503 with the reason while the driver is
// not logged in.
func TestDriverReadiness(t *testing.T) {
	_, port := simSite(t)
	ds, _, _, _ := startDriver(t, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", driverUser, "--password", "wrong-password", "--poll", "100ms")
	code, body := send(t, "GET", ds+"/healthz", "")
	assert.Equal(t, http.StatusOK, code)
	code, body = send(t, "GET", ds+"/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "not logged in to SmartService")
	assert.NotContains(t, body, "wrong-password")
}

// TestDriverPasswordFile: the password can come from a file, never from
// both a file and the command line.
func TestDriverPasswordFile(t *testing.T) {
	_, port := simSite(t)
	f := filepath.Join(t.TempDir(), "password")
	require.NoError(t, os.WriteFile(f, []byte(driverPassword+"\n"), 0o600))
	ds, _, out, _ := startDriver(t, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", driverUser, "--password-file", f, "--poll", "100ms")
	waitReady(t, ds)
	assert.NotContains(t, out.String(), driverPassword)

	err := runDriver(context.Background(), []string{"--host", "127.0.0.1", "--username", "u", "--password", "x", "--password-file", f}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "not both")
	err = runDriver(context.Background(), []string{"--host", "127.0.0.1", "--username", "u", "--password-file", f + ".missing"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--password-file")
	empty := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	err = runDriver(context.Background(), []string{"--host", "127.0.0.1", "--username", "u", "--password-file", empty}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "is empty")
}

// TestServePrintAddresses: --print-addresses json puts one JSON object of
// the actual addresses on the first line of stdout, for scripts using :0.
func TestServePrintAddresses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0",
			"--print-addresses", "json"}, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan())
	var addrs map[string]string
	require.NoError(t, json.Unmarshal(sc.Bytes(), &addrs), sc.Text())
	go io.Copy(io.Discard, pr)
	for _, k := range []string{"control", "control_url", "entrapass", "entrapass_url", "genetec", "genetec_url"} {
		assert.NotEmpty(t, addrs[k], k)
	}
	assert.NotContains(t, addrs["control"], ":0")
	assert.Equal(t, "http://"+addrs["control"]+"/v1", addrs["control_url"])
	code, body := send(t, "GET", "http://"+addrs["control"]+"/healthz", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\n", body)
	code, body = send(t, "GET", "http://"+addrs["control"]+"/readyz", "")
	assert.Equal(t, http.StatusOK, code, body)
	cancel()
	require.NoError(t, <-done)

	err := run(context.Background(), []string{"serve", "--print-addresses", "yaml"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--print-addresses")
	err = run(context.Background(), []string{"serve", "--max-conns", "0"}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "--max-conns")
}

// TestServeControlRefusesForeignPages: the control API has the driver's
// Host, Origin and body rules; its own page (same origin, JSON) passes.
func TestServeControlRefusesForeignPages(t *testing.T) {
	base, ep, _ := startServe(t)
	origin := strings.TrimSuffix(base, "/v1")
	// A page's body must be JSON, even its own page's (a script's need
	// not: curl -d sends a form type and keeps working, below).
	code, body := send(t, "POST", base+"/doors/20/open", `{}`, "Content-Type", "text/plain", "Origin", origin)
	assert.Equal(t, http.StatusUnsupportedMediaType, code, body)
	code, body = send(t, "POST", base+"/doors/20/open", `{}`, "Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site")
	assert.Equal(t, http.StatusForbidden, code, body)
	code, body = send(t, "POST", base+"/doors/20/open", "", "Origin", "https://evil.example")
	assert.Equal(t, http.StatusForbidden, code, body)
	code, body = send(t, "GET", base+"/site", "", "Host", "evil.example")
	assert.Equal(t, http.StatusForbidden, code, body)
	var site sim.Snapshot
	getJSON(t, base+"/site", &site)
	for _, d := range site.Doors {
		if d.ID == 20 {
			assert.Equal(t, sim.ContactClosed, d.Contact, "the door was not opened")
		}
	}
	code, body = send(t, "POST", base+"/doors/20/open", "", "Origin", origin)
	assert.Equal(t, http.StatusOK, code, body)
	code, body = send(t, "POST", base+"/readers/30/present", `{"card":"100:1001"}`, "Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, http.StatusOK, code, "a script's curl -d: %s", body)

	// The request log of SmartService (GET/DELETE /v1/entrapass/requests).
	code, _ = send(t, "GET", ep+"Login?userName=pacsim&password=pacsim", "")
	assert.Equal(t, http.StatusOK, code)
	code, body = send(t, "GET", base+"/entrapass/requests", "")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"query":"userName=pacsim\u0026password=REDACTED"`)
	code, body = send(t, "DELETE", base+"/entrapass/requests", "")
	assert.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "{\"cleared\":1}\n", body)
}
