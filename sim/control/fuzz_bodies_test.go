package control_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/fault"
)

// bodyRoutes are the control API's routes that take a body or must refuse
// one, the fault routes included.
var bodyRoutes = []struct{ method, path string }{
	{http.MethodPost, "/v1/reset"},
	{http.MethodPost, "/v1/clock/advance"},
	{http.MethodPost, "/v1/readers/30/present"},
	{http.MethodPost, "/v1/doors/10/open"},
	{http.MethodPost, "/v1/doors/10/close"},
	{http.MethodPost, "/v1/inputs/40/activate"},
	{http.MethodPost, "/v1/controllers/2/fail"},
	{http.MethodPost, "/v1/controllers/2/restore"},
	{http.MethodPost, "/v1/gateways/1/disconnect"},
	{http.MethodPost, "/v1/faults"},
	{http.MethodDelete, "/v1/faults"},
	{http.MethodDelete, "/v1/entrapass/requests"},
}

// FuzzControlBodies sends any body to every route that reads one: the
// server never fails (status < 500) and answers JSON, an error with a
// message.
func FuzzControlBodies(f *testing.F) {
	for i := range bodyRoutes {
		for _, seed := range []string{``, `{}`, `null`, `[`, `{"duration":"1s"}`, `{"card":"100:1001"}`,
			`{"target":"entrapass","kind":"status","params":{"status":503}}`,
			`{"target":"site","kind":"door-forced","params":{"id":10},"when":{"for":"1s"}}`,
			`{"a":` + strings.Repeat("[", 40) + `}`, `{"duration":"-1s"}`, `{"duration":"9999999h"}`} {
			f.Add(uint8(i), seed)
		}
	}
	w := newWorld(f)
	plan := fault.New(w)
	h := control.New(w, control.WithRoutes(fault.Routes(plan))).Handler()
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		r := bodyRoutes[int(route)%len(bodyRoutes)]
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(r.method, r.path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: status %d: %s", r.method, r.path, body, rec.Code, rec.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s %q: answer %q is not a JSON object: %v", r.method, r.path, body, rec.Body, err)
		}
		if msg, _ := m["error"].(string); rec.Code >= 400 && msg == "" {
			t.Fatalf("%s %s %q: status %d without an error message: %s", r.method, r.path, body, rec.Code, rec.Body)
		}
		if len(plan.List()) > 100 {
			plan.Reset() // keep the plan small: every fault is checked at each request
		}
	})
}
