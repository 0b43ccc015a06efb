package dataserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
)

var (
	door   = asset.Ref{Type: asset.Door, ID: 12}
	door13 = asset.Ref{Type: asset.Door, ID: 13}
	reader = asset.Ref{Type: asset.Reader, ID: 12}
	output = asset.Ref{Type: asset.Output, ID: 5}
	input  = asset.Ref{Type: asset.Input, ID: 7}
)

// fakeHW records the hardware commands and fails those of the refs in fail.
type fakeHW struct {
	mu    sync.Mutex
	calls []string
	fail  map[asset.Ref]string
}

func (h *fakeHW) Do(_ context.Context, ref asset.Ref, cmd asset.Command) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if msg, ok := h.fail[ref]; ok {
		return &hwError{msg}
	}
	h.calls = append(h.calls, ref.String()+" "+cmd.String())
	return nil
}

func (h *fakeHW) sent() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.calls...)
}

type hwError struct{ msg string }

func (e *hwError) Error() string { return e.msg }

// env is a registry with a door, its reader, an output and an input, served
// on an httptest server.
type env struct {
	t   *testing.T
	hw  *fakeHW
	reg *asset.Registry
	ds  *dataserver.Server
	ts  *httptest.Server
}

func newEnv(t *testing.T, opts ...dataserver.Option) *env {
	t.Helper()
	hw := &fakeHW{fail: map[asset.Ref]string{}}
	return newEnvWith(t, hw, hw, opts...)
}

func newEnvWith(t *testing.T, fake *fakeHW, hw asset.Hardware, opts ...dataserver.Option) *env {
	t.Helper()
	reg := asset.NewRegistry(hw, nil)
	require.NoError(t, reg.Add(door, "Front Door", map[string]string{asset.PropDoorID: "12"}))
	require.NoError(t, reg.Add(door13, "Office Door", map[string]string{asset.PropDoorID: "13"}))
	require.NoError(t, reg.Add(reader, "Front Door entry", map[string]string{asset.PropDoorID: "12"}))
	require.NoError(t, reg.Add(output, "Siren", map[string]string{asset.PropOutputID: "5"}))
	require.NoError(t, reg.Add(input, "Motion", map[string]string{asset.PropInputID: "7"}))
	require.NoError(t, reg.UpdateAll(func(a *asset.Asset) error {
		switch a.Type() {
		case asset.System:
			return a.SetHardware()
		case asset.Door:
			return a.SetHardware(asset.Secure)
		case asset.Reader:
			return a.SetHardware(asset.Enabled)
		case asset.Output:
			return a.SetHardware(asset.Present)
		case asset.Input:
			return a.SetHardware(asset.Inactive)
		}
		return nil
	}))
	ds := dataserver.New(reg, opts...)
	ts := httptest.NewServer(ds.Handler())
	t.Cleanup(func() { ds.Close(); ts.Close() })
	return &env{t: t, hw: fake, reg: reg, ds: ds, ts: ts}
}

// do sends a request and returns the status, the headers and the body.
func (e *env) do(method, path, body string) (int, http.Header, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	require.NoError(e.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.ts.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp.StatusCode, resp.Header, b
}

// errorOf checks the answer is a JSON error with that status and returns
// its message.
func (e *env) errorOf(code int, method, path, body string) string {
	e.t.Helper()
	got, h, b := e.do(method, path, body)
	require.Equal(e.t, code, got, "%s %s %s: %s", method, path, body, b)
	require.Equal(e.t, "application/json", h.Get("Content-Type"))
	var v map[string]any
	require.NoError(e.t, json.Unmarshal(b, &v), "%s", b)
	require.Len(e.t, v, 1, "%s", b)
	msg, ok := v["error"].(string)
	require.True(e.t, ok, "%s", b)
	require.NotEmpty(e.t, msg)
	return msg
}

// ok checks a 200 JSON answer and decodes it into v.
func (e *env) ok(method, path, body string, v any) {
	e.t.Helper()
	got, _, b := e.do(method, path, body)
	require.Equal(e.t, http.StatusOK, got, "%s %s %s: %s", method, path, body, b)
	if v != nil {
		require.NoError(e.t, json.Unmarshal(b, v), "%s", b)
	}
}

// sseEvent is one server-sent event.
type sseEvent struct {
	id, name, data string
}

// sseReader reads an event stream; every read is bounded by the context
// the stream was opened with.
type sseReader struct {
	resp *http.Response
	sc   *bufio.Scanner
}

// openStream opens a streaming GET and returns once the headers arrived
// (the server has subscribed by then). The stream is closed when ctx ends.
func openStream(t *testing.T, ctx context.Context, client *http.Client, url, accept string) *sseReader {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return &sseReader{resp: resp, sc: bufio.NewScanner(resp.Body)}
}

// next returns the next event, skipping comments; ok is false at the end of
// the stream (or when the context ended).
func (r *sseReader) next() (ev sseEvent, ok bool) {
	var data []string
	seen := false
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case line == "":
			if seen {
				ev.data = strings.Join(data, "\n")
				return ev, true
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "id: "):
			ev.id, seen = strings.TrimPrefix(line, "id: "), true
		case strings.HasPrefix(line, "event: "):
			ev.name, seen = strings.TrimPrefix(line, "event: "), true
		case strings.HasPrefix(line, "data: "):
			data, seen = append(data, strings.TrimPrefix(line, "data: ")), true
		}
	}
	return ev, false
}

// line returns the next line of a text stream.
func (r *sseReader) line() (string, bool) {
	if r.sc.Scan() {
		return r.sc.Text(), true
	}
	return "", false
}

func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

func slogTo(l *dataserver.LogStream) *slog.Logger {
	return slog.New(l.SlogHandler(&slog.HandlerOptions{Level: slog.LevelDebug}))
}
