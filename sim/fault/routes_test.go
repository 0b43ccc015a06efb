package fault_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/fault"
)

// controlAPI serves the control API with the fault routes.
func (s *site) controlAPI(t testing.TB) *httptest.Server {
	t.Helper()
	ctl := control.New(s.world, control.WithRoutes(fault.Routes(s.plan)))
	ts := httptest.NewServer(ctl.Handler())
	t.Cleanup(func() { ctl.Close(); ts.Close() })
	return ts
}

// call does one request to the control API and decodes its JSON answer.
func call(t *testing.T, ts *httptest.Server, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "%s %s: %s", method, path, b)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v), string(b))
	return resp.StatusCode, resp.Header, v
}

func TestRoutes(t *testing.T) {
	s := newSite(t)
	api := s.controlAPI(t)
	head := s.serve(t, "entrapass", newHead())

	code, hdr, v := call(t, api, "POST", "/v1/faults", `{"target":"entrapass","kind":"status","params":{"status":503},"when":{"every":2}}`)
	require.Equal(t, 201, code, v)
	assert.Equal(t, "/v1/faults/f1", hdr.Get("Location"))
	assert.Equal(t, "f1", v["id"])
	assert.Equal(t, "status", v["kind"])
	assert.Equal(t, map[string]any{"status": 503.0}, v["params"])
	assert.Equal(t, "active", v["state"])

	code, _, v = call(t, api, "POST", "/v1/faults", `{"target":"site","kind":"controller-fail","params":{"id":10},"when":{"start_after":"10s","for":"30s"}}`)
	require.Equal(t, 201, code, v)
	assert.Equal(t, "f2", v["id"])
	assert.Equal(t, "pending", v["state"])

	for range 4 {
		get(t, head.Client(), "GET", head.URL+"/x")
	}
	code, _, v = call(t, api, "GET", "/v1/faults", "")
	require.Equal(t, 200, code)
	list := v["faults"].([]any)
	require.Len(t, list, 2)
	f1 := list[0].(map[string]any)
	assert.Equal(t, "f1", f1["id"])
	assert.Equal(t, 4.0, f1["matched"])
	assert.Equal(t, 2.0, f1["fired"])
	assert.Equal(t, "f2", list[1].(map[string]any)["id"])

	code, _, v = call(t, api, "GET", "/v1/faults/f2", "")
	require.Equal(t, 200, code)
	assert.Equal(t, map[string]any{"id": 10.0}, v["params"])

	// The clock route moves the window: the controller fails.
	code, _, _ = call(t, api, "POST", "/v1/clock/advance", `{"seconds":10}`)
	require.Equal(t, 200, code)
	_, _, v = call(t, api, "GET", "/v1/controllers/10", "")
	assert.Equal(t, false, v["online"])

	code, _, v = call(t, api, "DELETE", "/v1/faults/f2", "")
	require.Equal(t, 200, code, v)
	assert.Equal(t, "removed", v["state"])
	_, _, v = call(t, api, "GET", "/v1/controllers/10", "")
	assert.Equal(t, true, v["online"], "healed when removed")

	code, _, v = call(t, api, "DELETE", "/v1/faults", "")
	require.Equal(t, 200, code)
	assert.Equal(t, map[string]any{"removed": 1.0}, v)
	_, _, v = call(t, api, "GET", "/v1/faults", "")
	assert.Equal(t, map[string]any{"faults": []any{}}, v)

	code, _, v = call(t, api, "POST", "/v1/faults", `{"target":"entrapass","kind":"empty"}`)
	require.Equal(t, 201, code)
	assert.Equal(t, "f3", v["id"], "ids are never reused")
}

func TestRouteErrors(t *testing.T) {
	s := newSite(t)
	require.NoError(t, s.world.CutController(11))
	api := s.controlAPI(t)
	for _, c := range []struct {
		method, path, body string
		code               int
		msg                string
	}{
		{"POST", "/v1/faults", ``, 400, `empty request body: send a fault like {"target":"entrapass","kind":"status","params":{"status":503}}`},
		{"POST", "/v1/faults", `{"target":`, 400, `invalid fault: the fault: malformed JSON: it ends in the middle of a value`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"empty","x":1}`, 400, `invalid fault: unknown field "x" in the fault (it has target, kind, params, match and when)`},
		{"POST", "/v1/faults", `{"target":"ftp","kind":"empty"}`, 400, `invalid fault: unknown target "ftp": want entrapass, genetec or site`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"boom"}`, 400, `invalid fault: unknown kind "boom": want one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"status","params":{"status":"503"}}`, 400, `invalid fault: params.status must be an integer, not a string`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"status","params":{"status":503,"color":"red"}}`, 400, `invalid fault: unknown parameter "color" (kind "status": it takes status, body)`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"latency","params":{"latency":"-1s"}}`, 400, `invalid fault: params.latency -1s is negative`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"empty","when":{"probability":0.5}}`, 400, `invalid fault: when.probability needs when.seed (a number from 1), so that the same traffic gives the same faults`},
		{"POST", "/v1/faults", `{"target":"site","kind":"latency"}`, 400, `invalid fault: kind "latency" is a transport fault: its target is a head-end (entrapass or genetec), not site`},
		{"POST", "/v1/faults", `{"target":"site","kind":"controller-fail","params":{"id":99}}`, 400, `invalid fault: controller-fail: params.id: unknown component: no controller has id 99`},
		{"POST", "/v1/faults", `{"target":"site","kind":"controller-fail","params":{"id":11}}`, 409, `cannot apply fault: controller-fail on 11: invalid in current state: controller "Shop Controller" is already cut off`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"expire-sessions"}`, 400, `not wired: expire-sessions: no SessionExpirer is wired for entrapass (fault.WithSessionExpirer)`},
		{"POST", "/v1/faults", `{"target":"entrapass","kind":"status","params":{"body":"` + strings.Repeat("x", fault.MaxBodyBytes) + `"}}`, 413, `request body is larger than 64 KiB`},
		{"GET", "/v1/faults/f9", ``, 404, `no such fault: no fault has id "f9"`},
		{"DELETE", "/v1/faults/f9", ``, 404, `no such fault: no fault has id "f9"`},
		{"PUT", "/v1/faults", ``, 405, `method PUT is not allowed on /v1/faults: use GET or POST or DELETE`},
		{"POST", "/v1/faults/f1", ``, 405, `method POST is not allowed on /v1/faults/f1: use GET or DELETE`},
	} {
		code, _, v := call(t, api, c.method, c.path, c.body)
		assert.Equal(t, c.code, code, "%s %s %.80s", c.method, c.path, c.body)
		assert.Equal(t, map[string]any{"error": c.msg}, v, "%s %s %.80s", c.method, c.path, c.body)
	}
	assert.Empty(t, s.plan.List(), "nothing applied")
}
