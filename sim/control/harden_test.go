package control_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

// TestErrorsEchoAClippedPrefix: a 100 KB id, query value or path comes back
// in the error as a short prefix, not whole (issue 18).
func TestErrorsEchoAClippedPrefix(t *testing.T) {
	e := newEnv(t)
	huge := strings.Repeat("9x", 50<<10)
	for _, path := range []string{
		"/v1/doors/" + huge,
		"/v1/events?after=" + huge,
		"/v1/events?limit=" + huge,
		"/v1/" + huge,
	} {
		a := e.call("GET", path, "")
		assert.GreaterOrEqual(t, a.status, 400, path[:20])
		msg := a.errMsg(t)
		assert.Less(t, len(msg), 400, "%s…: the error echoes %d bytes", path[:20], len(msg))
		assert.Contains(t, msg, " bytes)")
	}
	a := e.call("POST", "/v1/clock/advance", `{"duration":"`+strings.Repeat("z", 60<<10)+`"}`)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Less(t, len(a.errMsg(t)), 400)
	// A message built by the world from a huge card is cut too.
	a = e.call("POST", "/v1/readers/30/present", `{"card":"`+strings.Repeat("7", 60<<10)+`"}`)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.LessOrEqual(t, len(a.errMsg(t)), 1100)
}

func TestHealthAndReady(t *testing.T) {
	var reason error = errors.New("site not loaded")
	e := newEnv(t, control.WithReady(func() error { return reason }))
	a := e.call("GET", "/healthz", "")
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, "ok\n", string(a.body))
	a = e.call("GET", "/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "not ready: site not loaded\n", string(a.body))
	reason = nil
	a = e.call("GET", "/readyz", "")
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, "ok\n", string(a.body))
	a = e.call("POST", "/healthz", "")
	assert.Equal(t, http.StatusMethodNotAllowed, a.status)
}

// TestStreamsAreCapped: one stream past the cap is refused with 503, and
// a closed one frees its place.
func TestStreamsAreCapped(t *testing.T) {
	e := newEnv(t, control.WithMaxStreams(2))
	s1 := e.openStream("")
	e.openStream("")
	a := e.call("GET", "/v1/events/stream", "")
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Contains(t, a.errMsg(t), "already serves 2 event streams")
	s1.close()
	// The handler of s1 ends once it sees its client gone; nothing tells
	// this client when, so poll with a deadline.
	status := func() int {
		c, cancel := context.WithCancel(ctx(t))
		defer cancel()
		req, _ := http.NewRequestWithContext(c, "GET", e.ts.URL+"/v1/events/stream", nil)
		resp, err := e.ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(10 * time.Second)
	code := status()
	for code == http.StatusServiceUnavailable && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		code = status()
	}
	assert.Equal(t, http.StatusOK, code, "a closed stream frees its place")
}

// TestEntraPassRequestLog: what a head-end answered is listed with its
// status, secrets redacted, bounded, and cleared by DELETE.
func TestEntraPassRequestLog(t *testing.T) {
	w := newWorld(t, sim.WithClock(sim.NewManualClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))))
	log := control.NewRequestLog(3, w.Now)
	e := newEnvWorld(t, w, control.WithEntraPassRequests(log))
	headEnd := httptest.NewServer(log.Middleware(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/SmartService/Missing" {
			http.NotFound(rw, r)
			return
		}
		rw.Write([]byte("<ok/>"))
	})))
	defer headEnd.Close()
	for _, u := range []string{
		"/SmartService/Login?userName=pacsim&Password=hunter2&encrypted=0",
		"/SmartService/GetDoors?sdKey=abc123&x=1",
		"/SmartService/Missing",
	} {
		resp, err := http.Get(headEnd.URL + u)
		require.NoError(t, err)
		resp.Body.Close()
	}
	p, err := e.c.EntraPassRequests(ctx(t))
	require.NoError(t, err)
	require.Len(t, p.Requests, 3)
	assert.Equal(t, 3, p.Capacity)
	first := p.Requests[0]
	assert.Equal(t, uint64(1), first.Seq)
	assert.Equal(t, "GET", first.Method)
	assert.Equal(t, "/SmartService/Login", first.Path)
	assert.Equal(t, "userName=pacsim&Password=REDACTED&encrypted=0", first.Query)
	assert.Equal(t, http.StatusOK, first.Status)
	assert.True(t, first.Time.Equal(w.Now()), "site time")
	assert.Equal(t, "sdKey=REDACTED&x=1", p.Requests[1].Query)
	assert.Equal(t, http.StatusNotFound, p.Requests[2].Status)
	a := e.call("GET", "/v1/entrapass/requests", "")
	assert.NotContains(t, string(a.body), "hunter2")
	assert.NotContains(t, string(a.body), "abc123")

	// The ring keeps the last 3.
	resp, err := http.Get(headEnd.URL + "/SmartService/Fourth")
	require.NoError(t, err)
	resp.Body.Close()
	p, err = e.c.EntraPassRequests(ctx(t))
	require.NoError(t, err)
	require.Len(t, p.Requests, 3)
	assert.Equal(t, uint64(1), p.Dropped)
	assert.Equal(t, "/SmartService/GetDoors", p.Requests[0].Path)
	assert.Equal(t, "/SmartService/Fourth", p.Requests[2].Path)

	require.NoError(t, e.c.ClearEntraPassRequests(ctx(t)))
	p, err = e.c.EntraPassRequests(ctx(t))
	require.NoError(t, err)
	assert.Empty(t, p.Requests)
	assert.Zero(t, p.Dropped)
}

func TestRedactQuery(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		"a=1&b":                      "a=1&b",
		"PASSWORD=x&sdkey=y&SDKey=z": "PASSWORD=REDACTED&sdkey=REDACTED&SDKey=REDACTED",
		"operatorLoginKey=k&ConnectedProgram=c&userName=u": "operatorLoginKey=REDACTED&ConnectedProgram=REDACTED&userName=u",
		"pass%77ord=x": "pass%77ord=REDACTED",
		"password":     "password",
	} {
		assert.Equal(t, want, control.RedactQuery(in), in)
	}
}

// TestRequestLogWithoutRoute: a server without the log has no such route.
func TestRequestLogWithoutRoute(t *testing.T) {
	e := newEnv(t)
	a := e.call("GET", "/v1/entrapass/requests", "")
	assert.Equal(t, http.StatusNotFound, a.status)
}
