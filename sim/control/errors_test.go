package control_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// TestErrors sends every kind of bad request: each gets its status, a JSON
// error that names the problem, and leaves the world as it was.
func TestErrors(t *testing.T) {
	big := `{"card":"100:1001","pin":"` + strings.Repeat("1", 70<<10) + `"}`
	for _, tc := range []struct {
		name         string
		setup        func(t *testing.T, w *sim.World)
		method, path string
		body         string
		hdr          []string
		status       int
		want         []string // substrings of the message
		allow        string
	}{
		// 404: unknown id, wrong kind, unknown route
		{name: "unknown door", method: "GET", path: "/v1/doors/999", status: 404, want: []string{"999", "door"}},
		{name: "wrong kind", method: "GET", path: "/v1/doors/30", status: 404, want: []string{"30", "reader", "door"}},
		{name: "unknown gateway", method: "GET", path: "/v1/gateways/2", status: 404, want: []string{"2", "site", "gateway"}},
		{name: "present at a door", method: "POST", path: "/v1/readers/20/present", body: `{"card":"100:1001"}`, status: 404, want: []string{"20", "door", "reader"}},
		{name: "open unknown door", method: "POST", path: "/v1/doors/999/open", status: 404, want: []string{"999"}},
		{name: "tamper unknown input", method: "POST", path: "/v1/inputs/20/tamper", status: 404, want: []string{"20", "not a input"}},
		{name: "fail unknown controller", method: "POST", path: "/v1/controllers/12/fail", status: 404, want: []string{"12"}},
		{name: "connect unknown gateway", method: "POST", path: "/v1/gateways/-1/connect", status: 404, want: []string{"-1"}},
		{name: "unknown route", method: "GET", path: "/v1/nope", status: 404, want: []string{"no route", "/v1/nope"}},
		{name: "unknown action", method: "POST", path: "/v1/doors/20/explode", status: 404, want: []string{"/v1/doors/20/explode"}},
		{name: "no version", method: "GET", path: "/site", status: 404, want: []string{"/v1"}},
		{name: "trailing slash", method: "GET", path: "/v1/site/", status: 404, want: []string{"/v1/site/"}},
		{name: "unclean path", method: "POST", path: "/v1/doors/21/../20/open", status: 404, want: []string{"no route"}},
		// 405
		{name: "delete site", method: "DELETE", path: "/v1/site", status: 405, want: []string{"DELETE", "GET"}, allow: "GET"},
		{name: "get an action", method: "GET", path: "/v1/doors/20/open", status: 405, want: []string{"GET", "POST"}, allow: "POST"},
		{name: "post the clock", method: "POST", path: "/v1/clock", status: 405, want: []string{"POST"}, allow: "GET"},
		{name: "put events", method: "PUT", path: "/v1/events", status: 405, allow: "GET"},
		// 400: body
		{name: "malformed JSON", method: "POST", path: "/v1/readers/30/present", body: `{"card":`, status: 400, want: []string{"malformed JSON"}},
		{name: "malformed JSON syntax", method: "POST", path: "/v1/readers/30/present", body: `{card:"100:1001"}`, status: 400, want: []string{"malformed JSON", "byte"}},
		{name: "unknown field", method: "POST", path: "/v1/readers/30/present", body: `{"card":"100:1001","badge":1}`, status: 400, want: []string{`unknown field "badge"`}},
		{name: "trailing object", method: "POST", path: "/v1/readers/30/present", body: `{"card":"100:1001"} {"card":"100:1002"}`, status: 400, want: []string{"trailing data"}},
		{name: "trailing garbage", method: "POST", path: "/v1/readers/30/present", body: `{"card":"100:1001"}x`, status: 400, want: []string{"trailing data"}},
		{name: "missing card", method: "POST", path: "/v1/readers/30/present", body: `{"pin":"12345"}`, status: 400, want: []string{`missing "card"`}},
		{name: "empty card", method: "POST", path: "/v1/readers/30/present", body: `{"card":""}`, status: 400, want: []string{`"card"`}},
		{name: "empty body", method: "POST", path: "/v1/readers/30/present", status: 400, want: []string{"empty request body", "card"}},
		{name: "card a number", method: "POST", path: "/v1/readers/30/present", body: `{"card":1001}`, status: 400, want: []string{`"card"`, "string"}},
		{name: "body an array", method: "POST", path: "/v1/readers/30/present", body: `["100:1001"]`, status: 400, want: []string{"JSON object"}},
		{name: "bad card", method: "POST", path: "/v1/readers/30/present", body: `{"card":"abc"}`, status: 400, want: []string{"bad card", `"abc"`}},
		{name: "bad facility", method: "POST", path: "/v1/readers/30/present", body: `{"card":"70000:1"}`, status: 400, want: []string{"70000:1"}},
		{name: "body where none is taken", method: "POST", path: "/v1/doors/20/rex", body: `{"x":1}`, status: 400, want: []string{`unknown field "x"`}},
		{name: "garbage where none is taken", method: "POST", path: "/v1/reset", body: `reset please`, status: 400, want: []string{"malformed JSON"},
			setup: func(t *testing.T, w *sim.World) { _, err := w.OpenDoor(frontDoor); require.NoError(t, err) }},
		// 400: path and query
		{name: "id not an integer", method: "POST", path: "/v1/doors/abc/open", status: 400, want: []string{`"abc"`, "integer"}},
		{name: "id a fraction", method: "GET", path: "/v1/doors/1.5", status: 400, want: []string{`"1.5"`}},
		{name: "id too large", method: "GET", path: "/v1/inputs/99999999999999999999", status: 400, want: []string{"99999999999999999999"}},
		{name: "present id not an integer", method: "POST", path: "/v1/readers/x/present", body: `{"card":"100:1001"}`, status: 400, want: []string{`"x"`}},
		{name: "events after", method: "GET", path: "/v1/events?after=-1", status: 400, want: []string{"after", `"-1"`}},
		{name: "events limit zero", method: "GET", path: "/v1/events?limit=0", status: 400, want: []string{"limit", "10000"}},
		{name: "events limit too big", method: "GET", path: "/v1/events?limit=10001", status: 400, want: []string{"limit", "10000"}},
		{name: "events limit text", method: "GET", path: "/v1/events?limit=all", status: 400, want: []string{"limit", `"all"`}},
		{name: "stream after", method: "GET", path: "/v1/events/stream?after=soon", status: 400, want: []string{"after", `"soon"`}},
		{name: "stream Last-Event-ID", method: "GET", path: "/v1/events/stream", hdr: []string{"Last-Event-ID", "x1"}, status: 400, want: []string{"Last-Event-ID", `"x1"`}},
		// 400: clock
		{name: "advance negative", method: "POST", path: "/v1/clock/advance", body: `{"seconds":-1}`, status: 400, want: []string{"seconds", "-1"}},
		{name: "advance too far", method: "POST", path: "/v1/clock/advance", body: `{"seconds":2678401}`, status: 400, want: []string{"seconds", "31 days"}},
		{name: "advance huge", method: "POST", path: "/v1/clock/advance", body: `{"seconds":1e400}`, status: 400, want: []string{"seconds"}},
		{name: "advance duration too far", method: "POST", path: "/v1/clock/advance", body: `{"duration":"745h"}`, status: 400, want: []string{"duration", "31 days"}},
		{name: "advance duration negative", method: "POST", path: "/v1/clock/advance", body: `{"duration":"-1s"}`, status: 400, want: []string{"duration"}},
		{name: "advance bad duration", method: "POST", path: "/v1/clock/advance", body: `{"duration":"soon"}`, status: 400, want: []string{`"soon"`}},
		{name: "advance both", method: "POST", path: "/v1/clock/advance", body: `{"seconds":1,"duration":"1s"}`, status: 400, want: []string{"not both"}},
		{name: "advance neither", method: "POST", path: "/v1/clock/advance", body: `{}`, status: 400, want: []string{"seconds", "duration"}},
		{name: "advance empty", method: "POST", path: "/v1/clock/advance", status: 400, want: []string{"empty request body"}},
		{name: "advance seconds text", method: "POST", path: "/v1/clock/advance", body: `{"seconds":"30"}`, status: 400, want: []string{`"seconds"`, "number"}},
		{name: "advance unknown field", method: "POST", path: "/v1/clock/advance", body: `{"minutes":1}`, status: 400, want: []string{`"minutes"`}},
		// 413
		{name: "body too large", method: "POST", path: "/v1/readers/30/present", body: big, status: 413, want: []string{"64 KiB"}},
		{name: "body too large where none is taken", method: "POST", path: "/v1/doors/20/open", body: big, status: 413, want: []string{"64 KiB"}},
		// 409
		{name: "open an open door", method: "POST", path: "/v1/doors/20/open", status: 409, want: []string{"Front Door", "already open"},
			setup: func(t *testing.T, w *sim.World) { _, err := w.OpenDoor(frontDoor); require.NoError(t, err) }},
		{name: "close a closed door", method: "POST", path: "/v1/doors/20/close", status: 409, want: []string{"already closed"}},
		{name: "deactivate an input at rest", method: "POST", path: "/v1/inputs/52/deactivate", status: 409, want: []string{"Office Motion", "at rest"}},
		{name: "activate an input in alarm", method: "POST", path: "/v1/inputs/52/activate", status: 409, want: []string{"in alarm"},
			setup: func(t *testing.T, w *sim.World) { _, err := w.SetInput(officeMotion, true); require.NoError(t, err) }},
		{name: "restore an input not tampered", method: "POST", path: "/v1/inputs/52/restore", status: 409, want: []string{"not tampered"}},
		{name: "fail a cut controller", method: "POST", path: "/v1/controllers/10/fail", status: 409, want: []string{"Office Controller", "already"},
			setup: func(t *testing.T, w *sim.World) { require.NoError(t, w.CutController(officeCtrl)) }},
		{name: "restore a controller not cut", method: "POST", path: "/v1/controllers/10/restore", status: 409, want: []string{"not cut off"}},
		{name: "connect a connected gateway", method: "POST", path: "/v1/gateways/1/connect", status: 409, want: []string{"already connected"}},
		{name: "disconnect a disconnected gateway", method: "POST", path: "/v1/gateways/1/disconnect", status: 409, want: []string{"already disconnected"},
			setup: func(t *testing.T, w *sim.World) { require.NoError(t, w.DisconnectGateway(gateway1)) }},
		{name: "present at a reader in fault", method: "POST", path: "/v1/readers/30/present", body: `{"card":"100:1001"}`, status: 409, want: []string{"fault"},
			setup: func(t *testing.T, w *sim.World) { require.NoError(t, w.SetReaderFault(frontEntry, true)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.setup != nil {
				tc.setup(t, e.w)
			}
			before := e.freeze()
			a := e.call(tc.method, tc.path, tc.body, tc.hdr...)
			require.Equal(t, tc.status, a.status, "answer: %s", a.body)
			msg := a.errMsg(t)
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			if tc.allow != "" {
				assert.Equal(t, tc.allow, a.header.Get("Allow"))
			}
			e.requireUnchanged(before)
		})
	}
}

// TestErrorKeepsServing checks a connection survives a rejected request:
// a later request on the same client succeeds.
func TestErrorKeepsServing(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, http.StatusBadRequest, e.call("POST", "/v1/readers/30/present", `{`).status)
	require.Equal(t, http.StatusRequestEntityTooLarge, e.call("POST", "/v1/readers/30/present", `{"pin":"`+strings.Repeat("9", 1<<20)+`"}`).status)
	assert.Equal(t, true, e.ok("POST", "/v1/readers/30/present", `{"card":"100:1001"}`)["granted"])
}
