package fault_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/pacsim/pacsim/sim/fault"
)

var flagSeeds = []string{
	"entrapass:status=503",
	"entrapass:latency=300ms,jitter=50ms,probability=0.1,seed=7",
	"entrapass:hang,method=PUT,start_after=30s,for=60s",
	"site:controller-fail,id=10,start_after=10s,for=30s",
	"genetec:app-fault,code=InvalidOperation,message=\"a, b\"",
	"entrapass:malformed,path=/SmartService/Events,every=2",
	"entrapass:status=0", "x:y", ":", "entrapass:", "entrapass:status=503,status=500",
}

// FuzzParseFlag: --fault either refuses with ErrInvalid or gives a valid
// fault that writes back (String) and as JSON to the same fault.
func FuzzParseFlag(f *testing.F) {
	for _, s := range flagSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ft, err := fault.ParseFlag(s)
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("%q: %v is not ErrInvalid", s, err)
			}
			return
		}
		checkFault(t, s, ft)
	})
}

// FuzzFaultJSON: the fault JSON either refuses with ErrInvalid or gives a
// valid fault that writes back to the same fault, and a plan adds it or
// refuses it without panicking.
func FuzzFaultJSON(f *testing.F) {
	for _, s := range []string{
		`{"target":"entrapass","kind":"status","params":{"status":503},"when":{"every":2}}`,
		`{"target":"site","kind":"door-forced","params":{"id":10},"when":{"start_after":"1s","for":"2s"}}`,
		`{"target":"genetec","kind":"latency","params":{"latency":"1ms"},"match":{"method":"GET","path":"/WebSdk/*"}}`,
		`{"target":"entrapass","kind":"status","params":{"status":503},"target":"genetec"}`,
		`{}`, `[]`, `null`, `{"target":1}`,
	} {
		f.Add([]byte(s))
	}
	s := newSite(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var ft fault.Fault
		if err := ft.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("%q: %v is not ErrInvalid", data, err)
			}
			return
		}
		checkFault(t, string(data), ft)
		if _, err := s.plan.Add(ft); err == nil {
			s.plan.Reset()
		}
	})
}

// checkFault checks that a fault read from in is valid and reads back the
// same from its flag form and from its JSON.
func checkFault(t *testing.T, in string, ft fault.Fault) {
	t.Helper()
	if err := ft.Validate(); err != nil {
		t.Fatalf("%q read, yet invalid: %v", in, err)
	}
	back, err := fault.ParseFlag(ft.String())
	if err != nil {
		t.Fatalf("%q → %q: %v", in, ft.String(), err)
	}
	if !reflect.DeepEqual(back, ft) {
		t.Fatalf("%q → %q → %+v, want %+v", in, ft.String(), back, ft)
	}
	data, err := json.Marshal(ft)
	if err != nil {
		t.Fatalf("%q: marshal: %v", in, err)
	}
	var again fault.Fault
	if err := again.UnmarshalJSON(data); err != nil {
		t.Fatalf("%q → %s: %v", in, data, err)
	}
	if !reflect.DeepEqual(again, ft) {
		t.Fatalf("%q → %s → %+v, want %+v", in, data, again, ft)
	}
}
