package panel_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/control/panel"
)

// The page and its assets are served from the binary, with the types a
// browser needs for ES modules; everything else keeps the API's JSON
// answers.
func TestRoutes(t *testing.T) {
	w, err := sim.New(sim.DefaultSite())
	require.NoError(t, err)
	ctl := control.New(w, control.WithRoutes(panel.Routes()))
	ts := httptest.NewServer(ctl.Handler())
	t.Cleanup(func() { ctl.Close(); ts.Close() })
	get := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, nil)
		require.NoError(t, err)
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}

	resp, body := get("GET", "/")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'")
	assert.Contains(t, body, `<script type="module" src="/panel/panel.js">`)
	assert.NotContains(t, body, "http://", "nothing from elsewhere")
	assert.NotContains(t, body, "https://")

	for _, f := range []struct{ path, ctype string }{
		{"/panel/panel.js", "text/javascript; charset=utf-8"},
		{"/panel/api.js", "text/javascript; charset=utf-8"},
		{"/panel/journal.js", "text/javascript; charset=utf-8"},
		{"/panel/panel.css", "text/css; charset=utf-8"},
	} {
		resp, body := get("GET", f.path)
		require.Equal(t, 200, resp.StatusCode, f.path)
		assert.Equal(t, f.ctype, resp.Header.Get("Content-Type"), f.path)
		assert.NotEmpty(t, body)
		assert.NotContains(t, body, "https://", "%s loads nothing from elsewhere", f.path)
	}

	resp, body = get("GET", "/panel/nothing.js")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, body, `"error":"the panel has no file \"nothing.js\""`)
	resp, body = get("POST", "/")
	assert.Equal(t, 405, resp.StatusCode)
	assert.True(t, strings.Contains(body, "GET"), body)
	resp, _ = get("GET", "/v1/site")
	assert.Equal(t, 200, resp.StatusCode, "the API is untouched")
}
