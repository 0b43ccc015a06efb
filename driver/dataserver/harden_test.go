package dataserver_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/driver/dataserver"
)

func TestHealthAndReady(t *testing.T) {
	var reason error = errors.New("not logged in to SmartService yet")
	e := newEnv(t, dataserver.WithReady(func() error { return reason }))
	code, _, b := e.do("GET", "/healthz", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\n", string(b))
	code, _, b = e.do("GET", "/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "not ready: not logged in to SmartService yet\n", string(b))
	reason = nil
	code, _, b = e.do("GET", "/readyz", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok\n", string(b))
}

func TestEventStreamsAreCapped(t *testing.T) {
	e := newEnv(t, dataserver.WithMaxStreams(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	openStream(t, ctx, e.ts.Client(), e.ts.URL+"/events", "")
	msg := e.errorOf(http.StatusServiceUnavailable, "GET", "/events", "")
	assert.Contains(t, msg, "already serves 1 event streams")
}

// TestErrorsEchoAClippedPrefix: a huge id or path is not echoed whole.
func TestErrorsEchoAClippedPrefix(t *testing.T) {
	e := newEnv(t)
	huge := strings.Repeat("7", 100<<10)
	for _, path := range []string{"/assets/door/" + huge, "/" + huge, "/assets?type=" + huge} {
		code, _, b := e.do("GET", path, "")
		assert.GreaterOrEqual(t, code, 400)
		assert.Less(t, len(b), 600, "%s…: %d bytes echoed", path[:16], len(b))
	}
	code, _, b := e.do("POST", "/selection", `{"`+huge[:60<<10]+`":1}`)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Less(t, len(b), 600)
}
