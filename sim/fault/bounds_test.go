package fault_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

// TestNestedFaultRefused: a fault body nested deeper than the limit is
// refused with a 400 naming the limit.
func TestNestedFaultRefused(t *testing.T) {
	s := newSite(t)
	api := s.controlAPI(t)
	code, _, v := call(t, api, "POST", "/v1/faults", `{"target":"entrapass","kind":"status","params":{"status":`+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`}}`)
	assert.Equal(t, 400, code)
	assert.Equal(t, "the body is refused: the document is nested deeper than 32 levels", v["error"])
}

// TestFaultCountBounded: past MaxFaults faults, adding one is refused with
// a 409 naming the bound, and nothing is added; removing one makes room.
func TestFaultCountBounded(t *testing.T) {
	s := newSite(t)
	api := s.controlAPI(t)
	body := `{"target":"entrapass","kind":"latency","params":{"latency":"1ms"}}`
	for i := range fault.MaxFaults {
		code, _, v := call(t, api, "POST", "/v1/faults", body)
		require.Equal(t, 201, code, "fault %d: %v", i+1, v)
	}
	code, _, v := call(t, api, "POST", "/v1/faults", body)
	assert.Equal(t, 409, code)
	assert.Equal(t, "too many faults: the plan holds 1000 faults, its most: remove some (DELETE /v1/faults/{id}) or all (DELETE /v1/faults) first", v["error"])
	assert.Len(t, s.plan.List(), fault.MaxFaults)
	code, _, _ = call(t, api, "DELETE", "/v1/faults/f1", "")
	require.Equal(t, 200, code)
	code, _, v = call(t, api, "POST", "/v1/faults", body)
	assert.Equal(t, 201, code, v)
}

// TestFlagRefusesInvalidUTF8 (found by FuzzParseFlag): a --fault value
// that is not UTF-8 is refused, since the fault's JSON could not carry it.
func TestFlagRefusesInvalidUTF8(t *testing.T) {
	_, err := fault.ParseFlag("entrapass:malformed,path=*\xb9")
	assert.ErrorIs(t, err, fault.ErrInvalid)
	assert.ErrorContains(t, err, "is not valid UTF-8")
}
