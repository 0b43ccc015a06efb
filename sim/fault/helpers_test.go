package fault_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
)

// innerBody is what the trivial head-end answers on every path but
// /stream: a compact XML document, as SmartService writes them.
const innerBody = `<ArrayOfSmartLinkDataRow><SmartLinkDataRow><Item>PKDATA</Item><Value>20</Value></SmartLinkDataRow><SmartLinkDataRow><Item>DESCRIPTION</Item><Value>Front Door</Value></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`

// head is a trivial head-end: it counts requests, answers innerBody, and on
// /stream writes ten flushed events ("event N\n") and reports how its
// stream ended.
type head struct {
	mu     sync.Mutex
	served int
	// streamEnd receives the error that ended a /stream handler (nil when
	// it wrote all ten events).
	streamEnd chan error
}

func newHead() *head { return &head{streamEnd: make(chan error, 16)} }

func (h *head) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.served++
	h.mu.Unlock()
	if r.URL.Path == "/stream" {
		w.Header().Set("Content-Type", "text/plain")
		var err error
		for i := 0; i < 10 && err == nil; i++ {
			if _, err = io.WriteString(w, "event "+strconv.Itoa(i)+"\n"); err == nil {
				w.(http.Flusher).Flush()
				err = r.Context().Err()
			}
		}
		h.streamEnd <- err
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(innerBody)))
	_, _ = io.WriteString(w, innerBody)
}

func (h *head) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.served
}

// site is a world with its manual clock and a plan on it.
type site struct {
	world *sim.World
	clock *sim.ManualClock
	plan  *fault.Plan
}

func newSite(t testing.TB, opts ...fault.Option) *site {
	t.Helper()
	w, err := sim.New(sim.DefaultSite())
	require.NoError(t, err)
	c, ok := w.Clock().(*sim.ManualClock)
	require.True(t, ok)
	return &site{world: w, clock: c, plan: fault.New(w, opts...)}
}

// serve starts a real HTTP server on 127.0.0.1 with h behind the plan's
// middleware for target.
func (s *site) serve(t testing.TB, target string, h http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s.plan.Middleware(target, h))
	t.Cleanup(ts.Close)
	return ts
}

func (s *site) add(t testing.TB, f fault.Fault) fault.Status {
	t.Helper()
	st, err := s.plan.Add(f)
	require.NoError(t, err)
	return st
}

// get does one request and returns status and body; a transport error
// fails the test.
func get(t testing.TB, c *http.Client, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// fresh is a client that opens a new connection per request, so that a
// connection the fault broke is never reused (nor the request retried).
func fresh() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// hooks collects a plan's events on channels, one per event name.
type hooks struct {
	mu sync.Mutex
	ch map[string]chan string
}

func watch(p *fault.Plan) *hooks {
	h := &hooks{ch: map[string]chan string{}}
	fault.SetHook(p, func(ev, id string) { h.events(ev) <- id })
	return h
}

func (h *hooks) events(ev string) chan string {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.ch[ev]
	if !ok {
		c = make(chan string, 1024)
		h.ch[ev] = c
	}
	return c
}

// wait returns the id of the next event ev, failing after 5 s (a bound on a
// defect, not a wait for state).
func (h *hooks) wait(t testing.TB, ev string) string {
	t.Helper()
	select {
	case id := <-h.events(ev):
		return id
	case <-time.After(5 * time.Second):
		t.Fatalf("no %q event within 5s", ev)
		return ""
	}
}
