package guard

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveWrapped answers one request through Wrap and reports the status,
// the error message and whether the handler ran.
func serveWrapped(t *testing.T, o Options, req *http.Request) (int, string, bool) {
	t.Helper()
	ran := false
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran = true }), o)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body struct{ Error string }
	if rec.Code != http.StatusOK {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
		assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	}
	return rec.Code, body.Error, ran
}

func request(method, host, body string, header ...string) *http.Request {
	r := httptest.NewRequest(method, "/assets/door/20/commands", strings.NewReader(body))
	if body == "" {
		r = httptest.NewRequest(method, "/assets/door/20/commands", nil)
	}
	r.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

var listenAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9628}

func TestWrapHost(t *testing.T) {
	o := Options{Addr: listenAddr, AllowHosts: []string{"PSIM-Host.corp"}}
	for _, host := range []string{"127.0.0.1:9628", "localhost:9628", "[::1]:9628", "LOCALHOST", "10.1.2.3:9628",
		"127.0.0.1:19628" /* a forwarded port */, "psim-host.corp:9628", "psim-host.corp.", "[fe80::1]:80"} {
		code, msg, ran := serveWrapped(t, o, request("GET", host, ""))
		assert.Equal(t, http.StatusOK, code, "%s: %s", host, msg)
		assert.True(t, ran, host)
	}
	for _, host := range []string{"evil.example:9628", "attacker.localhost.evil:9628", "", "psim-host.corp.evil"} {
		code, msg, ran := serveWrapped(t, o, request("GET", host, ""))
		assert.Equal(t, http.StatusForbidden, code, host)
		assert.Contains(t, msg, "DNS rebinding", host)
		assert.False(t, ran, host)
	}
	code, _, _ := serveWrapped(t, Options{AllowHosts: []string{"*"}}, request("GET", "anything.example", ""))
	assert.Equal(t, http.StatusOK, code, "* accepts any host")
	// A listener on a named host accepts that name.
	code, _, _ = serveWrapped(t, Options{Addr: namedAddr("pacsim-0.pacsim:9700")}, request("GET", "pacsim-0.pacsim:9700", ""))
	assert.Equal(t, http.StatusOK, code)
}

type namedAddr string

func (a namedAddr) Network() string { return "tcp" }
func (a namedAddr) String() string  { return string(a) }

func TestWrapOrigin(t *testing.T) {
	o := Options{Addr: listenAddr}
	code, _, ran := serveWrapped(t, o, request("POST", "127.0.0.1:9628", `{"command":"Unlock"}`,
		"Content-Type", "application/json", "Origin", "http://127.0.0.1:9628"))
	assert.Equal(t, http.StatusOK, code, "same origin")
	assert.True(t, ran)
	for _, origin := range []string{"https://evil.example", "null", "http://127.0.0.1:9700", "http://localhost:9628", "::"} {
		code, msg, ran := serveWrapped(t, o, request("POST", "127.0.0.1:9628", `{"command":"Unlock"}`,
			"Content-Type", "application/json", "Origin", origin))
		assert.Equal(t, http.StatusForbidden, code, origin)
		assert.Contains(t, msg, "cross-origin", origin)
		assert.False(t, ran, origin)
	}
	code, msg, ran := serveWrapped(t, o, request("GET", "127.0.0.1:9628", "", "Sec-Fetch-Site", "cross-site"))
	assert.Equal(t, http.StatusForbidden, code)
	assert.Contains(t, msg, "cross-site")
	assert.False(t, ran)
}

func TestWrapContentType(t *testing.T) {
	o := Options{}
	for _, ct := range []string{"text/plain", "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json;"} {
		code, msg, ran := serveWrapped(t, o, request("POST", "127.0.0.1", `{"command":"Unlock"}`, "Content-Type", ct))
		assert.Equal(t, http.StatusUnsupportedMediaType, code, ct)
		assert.Contains(t, msg, "application/json", ct)
		assert.False(t, ran, ct)
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"} {
		code, _, ran := serveWrapped(t, o, request("PUT", "127.0.0.1", `{}`, "Content-Type", ct))
		assert.Equal(t, http.StatusOK, code, ct)
		assert.True(t, ran, ct)
	}
	code, _, ran := serveWrapped(t, o, request("POST", "127.0.0.1", ""))
	assert.Equal(t, http.StatusOK, code, "a POST without a body needs no Content-Type")
	assert.True(t, ran)
	// A chunked body (length unknown) is a body.
	r := request("POST", "127.0.0.1", `{}`, "Content-Type", "text/plain")
	r.ContentLength = -1
	code, _, _ = serveWrapped(t, o, r)
	assert.Equal(t, http.StatusUnsupportedMediaType, code)
}

func TestWrapToken(t *testing.T) {
	o := Options{Token: "s3cret-token", Open: []string{"/healthz"}, TokenHint: "--token-file"}
	code, msg, ran := serveWrapped(t, o, request("GET", "127.0.0.1", ""))
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, msg, "--token-file")
	assert.NotContains(t, msg, "s3cret")
	assert.False(t, ran)
	for _, auth := range []string{"Bearer wrong", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token", "Bearer"} {
		code, _, ran := serveWrapped(t, o, request("GET", "127.0.0.1", "", "Authorization", auth))
		assert.Equal(t, http.StatusUnauthorized, code, auth)
		assert.False(t, ran, auth)
	}
	code, _, ran = serveWrapped(t, o, request("GET", "127.0.0.1", "", "Authorization", "Bearer s3cret-token"))
	assert.Equal(t, http.StatusOK, code)
	assert.True(t, ran)
	code, _, _ = serveWrapped(t, o, request("GET", "127.0.0.1", "", "Authorization", "bearer s3cret-token"))
	assert.Equal(t, http.StatusOK, code, "the scheme is case-insensitive")
	r := httptest.NewRequest("GET", "/healthz", nil)
	r.Host = "127.0.0.1"
	code, _, _ = serveWrapped(t, o, r)
	assert.Equal(t, http.StatusOK, code, "an open path needs no token")
}

func TestClip(t *testing.T) {
	assert.Equal(t, "short", Clip("short"))
	long := strings.Repeat("x", 100<<10)
	c := Clip(long)
	assert.Less(t, len(c), 100)
	assert.Contains(t, c, "102400 bytes")
	// Never cuts a rune in two.
	c = Clip(strings.Repeat("é", 100))
	assert.True(t, strings.HasPrefix(c, strings.Repeat("é", MaxEcho/2)+"…"), c)
}

func TestHostListAndWarning(t *testing.T) {
	var h HostList
	require.NoError(t, h.Set("psim.corp, other.corp"))
	require.NoError(t, h.Set("[::1]"))
	assert.Equal(t, HostList{"psim.corp", "other.corp", "[::1]"}, h)
	assert.ErrorContains(t, h.Set("psim.corp:9628"), "without a port")

	assert.Empty(t, Warning("the API", listenAddr, false, "--token-file"))
	wild := &net.TCPAddr{IP: net.IPv4zero, Port: 9628}
	assert.Contains(t, Warning("the API", wild, false, "--token-file"), "off loopback")
	assert.Empty(t, Warning("the API", wild, true, "--token-file"))
}

// TestWrapScriptBodies: the control API takes a script's body whatever its
// Content-Type (curl -d sends a form type), but a page's only as JSON.
func TestWrapScriptBodies(t *testing.T) {
	o := Options{ScriptBodies: true}
	code, _, ran := serveWrapped(t, o, request("POST", "127.0.0.1:9700", `{"card":"100:1001"}`, "Content-Type", "application/x-www-form-urlencoded"))
	assert.Equal(t, http.StatusOK, code, "curl -d")
	assert.True(t, ran)
	for _, h := range [][]string{
		{"Content-Type", "text/plain", "Origin", "http://127.0.0.1:9700"},
		{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"},
	} {
		code, msg, ran := serveWrapped(t, o, request("POST", "127.0.0.1:9700", `{}`, h...))
		assert.Equal(t, http.StatusUnsupportedMediaType, code, h)
		assert.Contains(t, msg, "application/json")
		assert.False(t, ran, h)
	}
	code, _, ran = serveWrapped(t, o, request("POST", "127.0.0.1:9700", `{}`, "Content-Type", "text/plain", "Origin", "http://evil.example"))
	assert.Equal(t, http.StatusForbidden, code, "a foreign page")
	assert.False(t, ran)
}
