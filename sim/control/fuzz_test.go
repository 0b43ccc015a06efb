package control_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/sim/control"
)

// FuzzPresentBody posts arbitrary bodies to the present route: the server
// never fails (status < 500), always answers JSON, and a rejected request
// changes nothing.
func FuzzPresentBody(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `1`, `{"card":"100:1001"}`, `{"card":"100:1001","pin":"12345"}`,
		`{"card":"100:9999"}`, `{"card":""}`, `{"card":null}`, `{"card":1}`, `{"card":"abc"}`,
		`{"card":"65536:1"}`, `{"card":"100:4294967296"}`, `{"card":"123456789012345678901"}`,
		`{"card":"100:1001"}{}`, `{"card":"100:1001",}`, `{"card":"100:1001","x":1}`, `{"pin":1}`,
		`{"card":"100:1001","pin":"` + strings.Repeat("9", 1000) + `"}`, "{\"card\":\"\xff\"}",
		`{"card":"100:1001","card":"100:1002"}`, `{"CARD":"100:1001"}`, `   {"card" : "0"}   `,
	} {
		f.Add(seed)
	}
	w := newWorld(f)
	h := control.New(w).Handler()
	f.Fuzz(func(t *testing.T, body string) {
		before := w.Snapshot()
		last := w.Journal().Last()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/v1/readers/30/present", strings.NewReader(body))
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("body %q: status %d: %s", body, rec.Code, rec.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("body %q: answer %q is not JSON: %v", body, rec.Body, err)
		}
		if rec.Code == http.StatusOK {
			if _, ok := m["granted"].(bool); !ok {
				t.Fatalf("body %q: no decision in %s", body, rec.Body)
			}
			return
		}
		if msg, _ := m["error"].(string); msg == "" {
			t.Fatalf("body %q: status %d without an error message: %s", body, rec.Code, rec.Body)
		}
		if w.Journal().Last() != last {
			t.Fatalf("body %q: rejected with %d, yet an event was journaled", body, rec.Code)
		}
		after := w.Snapshot()
		if after.Version != before.Version {
			t.Fatalf("body %q: rejected with %d, yet the world changed", body, rec.Code)
		}
	})
}
