package dataserver_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/dataserver"
)

func TestLogStreamText(t *testing.T) {
	logs := dataserver.NewLogStream()
	ts := newServer(t, logs.Handler())
	s := openStream(t, deadline(t), ts.Client(), ts.URL+"/logs", "")
	assert.Equal(t, "text/plain; charset=utf-8", s.resp.Header.Get("Content-Type"))
	require.Equal(t, 1, logs.Subscribers())

	slogTo(logs).Debug("entrapass: logged in", "user", "pacsim")
	fmt.Fprint(logs, "two\nlines\n")
	fmt.Fprint(logs, "no newline")

	line, ok := s.line()
	require.True(t, ok)
	assert.Contains(t, line, "level=DEBUG")
	assert.Contains(t, line, `msg="entrapass: logged in" user=pacsim`)
	for _, want := range []string{"two", "lines", "no newline"} {
		line, ok = s.line()
		require.True(t, ok)
		assert.Equal(t, want, line)
	}
}

func TestLogStreamSSE(t *testing.T) {
	logs := dataserver.NewLogStream()
	ts := newServer(t, logs.Handler())
	for _, c := range []struct{ path, accept string }{{"/logs", "text/event-stream"}, {"/logs?format=sse", ""}} {
		ctx, cancel := context.WithCancel(deadline(t))
		s := openStream(t, ctx, ts.Client(), ts.URL+c.path, c.accept)
		assert.Equal(t, "text/event-stream", s.resp.Header.Get("Content-Type"))
		fmt.Fprintln(logs, "hello")
		ev, ok := s.next()
		require.True(t, ok)
		assert.Equal(t, "hello", ev.data)
		cancel()
	}
}

func TestLogStreamRoutes(t *testing.T) {
	logs := dataserver.NewLogStream()
	e := &env{t: t, ts: newServer(t, logs.Handler())}
	code, h, _ := e.do("POST", "/logs", "{}")
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	assert.Equal(t, "GET", h.Get("Allow"))
	assert.Contains(t, e.errorOf(http.StatusNotFound, "GET", "/assets", ""), "GET /logs")
	assert.Contains(t, e.errorOf(http.StatusBadRequest, "GET", "/logs?format=xml", ""), "xml")
}

func TestLogStreamEndsOnClose(t *testing.T) {
	logs := dataserver.NewLogStream()
	ts := newServer(t, logs.Handler())
	s := openStream(t, deadline(t), ts.Client(), ts.URL+"/logs", "")
	logs.Close()
	_, ok := s.line()
	assert.False(t, ok)
	e := &env{t: t, ts: ts}
	assert.Contains(t, e.errorOf(http.StatusServiceUnavailable, "GET", "/logs", ""), "shutting down")
	n, err := fmt.Fprintln(logs, "after close")
	assert.NoError(t, err)
	assert.Equal(t, 12, n)
}

func TestLogStreamClientLeaves(t *testing.T) {
	logs := dataserver.NewLogStream()
	ts := newServer(t, logs.Handler())
	ctx, cancel := context.WithCancel(deadline(t))
	openStream(t, ctx, ts.Client(), ts.URL+"/logs", "")
	cancel()
	require.Eventually(t, func() bool { return logs.Subscribers() == 0 }, 5*time.Second, time.Millisecond)
}

func TestLogStreamHeartbeatSSE(t *testing.T) {
	logs := dataserver.NewLogStream(dataserver.WithLogHeartbeat(time.Millisecond))
	ts := newServer(t, logs.Handler())
	s := openStream(t, deadline(t), ts.Client(), ts.URL+"/logs?format=sse", "")
	line, ok := s.line()
	require.True(t, ok)
	assert.Equal(t, ": keep-alive", line)
}
