package fault_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

// GET /v1/fault-kinds gives every kind with its parameters, so a form can
// offer them; each parameter it lists is one the kind takes.
func TestFaultKindsRoute(t *testing.T) {
	s := newSite(t)
	api := s.controlAPI(t)
	code, _, v := call(t, api, "GET", "/v1/fault-kinds", "")
	require.Equal(t, 200, code, v)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var voc fault.Vocabulary
	require.NoError(t, json.Unmarshal(b, &voc))

	var names []fault.Kind
	byKind := map[fault.Kind]fault.KindInfo{}
	for _, k := range voc.Kinds {
		names = append(names, k.Kind)
		byKind[k.Kind] = k
	}
	assert.Equal(t, fault.Kinds(), names)
	assert.Equal(t, []fault.Target{"entrapass", "genetec", "site"}, voc.Targets)
	assert.Equal(t, fault.KindInfo{Kind: "latency", Targets: []fault.Target{"entrapass", "genetec"}, Primary: "latency",
		Params: []fault.Field{{Name: "latency", Type: "duration"}, {Name: "jitter", Type: "duration"}}}, byKind["latency"])
	assert.Equal(t, fault.KindInfo{Kind: "controller-fail", Hardware: true, Targets: []fault.Target{"site"}, Component: "controller",
		Primary: "id", Params: []fault.Field{{Name: "id", Type: "integer"}}}, byKind["controller-fail"])
	assert.Equal(t, fault.KindInfo{Kind: "empty", Targets: []fault.Target{"entrapass", "genetec"}, Params: []fault.Field{}}, byKind["empty"])

	// Every listed parameter is accepted by its kind (a value of the
	// listed type; a range error is fine, an unknown parameter is not).
	sample := map[string]any{"duration": "1s", "integer": 1, "string": "x"}
	for _, k := range voc.Kinds {
		for _, p := range k.Params {
			body, err := json.Marshal(map[string]any{"target": k.Targets[0], "kind": k.Kind, "params": map[string]any{p.Name: sample[p.Type]}})
			require.NoError(t, err)
			var f fault.Fault
			err = f.UnmarshalJSON(body)
			if err != nil {
				assert.NotContains(t, err.Error(), "takes no parameter", "%s takes %s", k.Kind, p.Name)
			}
		}
	}
	var when []string
	for _, w := range voc.When {
		when = append(when, w.Name)
	}
	assert.Equal(t, []string{"probability", "seed", "every", "first", "after", "start_after", "for"}, when)
}
