package control_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

// Component ids of the default site used by the tests.
const (
	gateway1     sim.ID = 1
	siteOffice   sim.ID = 2
	officeCtrl   sim.ID = 10
	shopCtrl     sim.ID = 11
	frontDoor    sim.ID = 20
	officeDoor   sim.ID = 21
	frontEntry   sim.ID = 30
	officeEntry  sim.ID = 32 // keypad
	officeMotion sim.ID = 52
	buzzer       sim.ID = 70
)

// testDecider grants card 100:1001 (Alice Martin) everywhere; card 100:1002
// (Bruno Bernard) with PIN 12345 at keypad readers, and no access elsewhere;
// every other card is unknown.
func testDecider() sim.Decider {
	return sim.DeciderFunc(func(r sim.AccessRequest) sim.Decision {
		switch r.Card {
		case "100:1001":
			return sim.Decision{Granted: true, User: "Alice Martin", UserID: 200}
		case "100:1002":
			d := sim.Decision{User: "Bruno Bernard", UserID: 201}
			switch {
			case !r.Keypad:
				d.Reason = sim.ReasonNoAccessLevel
			case r.PIN == "":
				d.Reason = sim.ReasonPINRequired
			case r.PIN != "12345":
				d.Reason = sim.ReasonPINWrong
			default:
				d.Granted = true
			}
			return d
		}
		return sim.Decision{Reason: sim.ReasonUnknownCard}
	})
}

// env is a world on the default site with its manual clock, served over
// real HTTP on a loopback port.
type env struct {
	t     *testing.T
	w     *sim.World
	clock *sim.ManualClock
	srv   *control.Server
	ts    *httptest.Server
	c     *control.Client
}

func newWorld(t testing.TB, opts ...sim.Option) *sim.World {
	t.Helper()
	w, err := sim.New(sim.DefaultSite(), append([]sim.Option{sim.WithDecider(testDecider())}, opts...)...)
	require.NoError(t, err)
	return w
}

func newEnv(t *testing.T, opts ...control.Option) *env {
	t.Helper()
	return newEnvWorld(t, newWorld(t), opts...)
}

func newEnvWorld(t *testing.T, w *sim.World, opts ...control.Option) *env {
	t.Helper()
	srv := control.New(w, opts...)
	ts := httptest.NewServer(srv.Handler())
	// Cleanups run last-in first-out: streams end before the server waits
	// for its connections.
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	clock, _ := w.Clock().(*sim.ManualClock)
	return &env{t: t, w: w, clock: clock, srv: srv, ts: ts, c: control.NewClient(ts.URL + "/v1")}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// answer is a raw HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// obj decodes the answer as a JSON object.
func (a answer) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), "answer %d %q is not a JSON object", a.status, a.body)
	return m
}

// errMsg returns the "error" of a JSON error answer.
func (a answer) errMsg(t *testing.T) string {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
	m := a.obj(t)
	msg, ok := m["error"].(string)
	require.True(t, ok, "no error message in %s", a.body)
	require.NotEmpty(t, msg)
	return msg
}

// call sends a raw request; body "" sends none.
func (e *env) call(method, path, body string, hdr ...string) answer {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequestWithContext(ctx(e.t), method, e.ts.URL+path, rd)
	require.NoError(e.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// ok sends a request that must answer 200 and returns its JSON object.
func (e *env) ok(method, path, body string) map[string]any {
	e.t.Helper()
	a := e.call(method, path, body)
	require.Equal(e.t, http.StatusOK, a.status, "%s %s: %s", method, path, a.body)
	return a.obj(e.t)
}

func (e *env) door(id sim.ID) sim.DoorState {
	e.t.Helper()
	d, err := e.w.Door(id)
	require.NoError(e.t, err)
	return d
}

// frozen is what a rejected request must leave unchanged.
type frozen struct {
	snap sim.Snapshot
	last uint64
	held int
}

func (e *env) freeze() frozen {
	return frozen{snap: e.snapshot(), last: e.w.Journal().Last(), held: e.w.Held()}
}

// snapshot is the world's state without the time, which the real clock moves.
func (e *env) snapshot() sim.Snapshot {
	s := e.w.Snapshot()
	s.Time = time.Time{}
	return s
}

func (e *env) requireUnchanged(f frozen) {
	e.t.Helper()
	require.Equal(e.t, f.snap, e.snapshot(), "the world changed")
	require.Equal(e.t, f.last, e.w.Journal().Last(), "an event was journaled")
	require.Equal(e.t, f.held, e.w.Held(), "an event was held")
}
