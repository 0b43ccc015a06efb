package fault_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

func TestDecodeJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want fault.Fault
	}{
		{`{"target":"entrapass","kind":"latency","params":{"latency":"300ms","jitter":"50ms"},"when":{"probability":0.1,"seed":7}}`,
			fault.Fault{Target: "entrapass", Kind: "latency", Params: fault.Params{Latency: 300 * time.Millisecond, Jitter: 50 * time.Millisecond},
				When: fault.When{Probability: 0.1, Seed: 7}}},
		{`{"target":"entrapass","kind":"status","params":{"status":503},"match":{"method":"GET","path":"/SmartService/Events*"},
		  "when":{"every":3,"first":5,"after":10,"start_after":"30s","for":"60s"}}`,
			fault.Fault{Target: "entrapass", Kind: "status", Params: fault.Params{Status: 503},
				Match: fault.Match{Method: "GET", Path: "/SmartService/Events*"},
				When:  fault.When{Every: 3, First: 5, After: 10, StartAfter: 30 * time.Second, For: time.Minute}}},
		{`{"target":"genetec","kind":"app-fault","params":{"code":"InvalidOperation","message":"no"}}`,
			fault.Fault{Target: "genetec", Kind: "app-fault", Params: fault.Params{Code: "InvalidOperation", Message: "no"}}},
		{`{"target":"entrapass","kind":"malformed","params":{"mode":"truncate","at":12}}`,
			fault.Fault{Target: "entrapass", Kind: "malformed", Params: fault.Params{Mode: "truncate", At: 12}}},
		{`{"target":"entrapass","kind":"empty","params":{},"match":null,"when":null}`, fault.Fault{Target: "entrapass", Kind: "empty"}},
		{`{"target":"entrapass","kind":"reset"}`, fault.Fault{Target: "entrapass", Kind: "reset"}},
		{`{"target":"entrapass","kind":"hang","params":{"timeout":"5s"},"when":{"after":0}}`,
			fault.Fault{Target: "entrapass", Kind: "hang", Params: fault.Params{Timeout: 5 * time.Second}}},
		{`{"target":"entrapass","kind":"slow-body","params":{"rate":10,"interval":"1s"}}`,
			fault.Fault{Target: "entrapass", Kind: "slow-body", Params: fault.Params{Rate: 10, Interval: time.Second}}},
		{`{"target":"entrapass","kind":"expire-sessions","when":{"every":100}}`,
			fault.Fault{Target: "entrapass", Kind: "expire-sessions", When: fault.When{Every: 100}}},
		{`{"target":"genetec","kind":"stream-cut","params":{"events":3}}`,
			fault.Fault{Target: "genetec", Kind: "stream-cut", Params: fault.Params{Events: 3}}},
		{`{"target":"site","kind":"controller-fail","params":{"id":10},"when":{"start_after":"10s","for":"30s"}}`,
			fault.Fault{Target: "site", Kind: "controller-fail", Params: fault.Params{ID: 10}, When: fault.When{StartAfter: 10 * time.Second, For: 30 * time.Second}}},
		{`{"target":"site","kind":"door-held-open","params":{"id":20}}`,
			fault.Fault{Target: "site", Kind: "door-held-open", Params: fault.Params{ID: 20}}},
	} {
		var f fault.Fault
		require.NoError(t, json.Unmarshal([]byte(c.in), &f), c.in)
		assert.Equal(t, c.want, f)
		// Round trip: what is written reads back the same.
		b, err := json.Marshal(f)
		require.NoError(t, err)
		var g fault.Fault
		require.NoError(t, json.Unmarshal(b, &g), string(b))
		assert.Equal(t, f, g)
	}
}

func TestEncodeJSON(t *testing.T) {
	f := fault.Fault{Target: "entrapass", Kind: "latency", Params: fault.Params{Latency: 300 * time.Millisecond},
		Match: fault.Match{Path: "/SmartService/Events*"}, When: fault.When{Every: 3, StartAfter: 30 * time.Second}}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, `{"target":"entrapass","kind":"latency","params":{"latency":"300ms"},"match":{"path":"/SmartService/Events*"},"when":{"every":3,"start_after":"30s"}}`, string(b))
	b, _ = json.Marshal(fault.Fault{Target: "entrapass", Kind: "empty"})
	assert.Equal(t, `{"target":"entrapass","kind":"empty"}`, string(b), "empty parts are left out")
}

// TestDecodeJSONErrors: every way the JSON form is refused, and what the
// message says.
func TestDecodeJSONErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		// shape
		{`[]`, `the fault must be a JSON object, not an array`},
		{`{"target":"entrapass"`, `the fault: malformed JSON: it ends in the middle of a value`},
		{`{"target":"entrapass","kind":"empty"} {}`, `the fault: trailing data after the object`},
		{`{"target":"entrapass","target":"genetec","kind":"empty"}`, `the fault: key "target" appears twice`},
		{`{"target":"entrapass","kind":"empty","extra":1}`, `unknown field "extra" in the fault (it has target, kind, params, match and when)`},
		// target and kind
		{`{"kind":"empty"}`, `no target: give entrapass, genetec or site`},
		{`{"target":"ftp","kind":"empty"}`, `unknown target "ftp": want entrapass, genetec or site`},
		{`{"target":7,"kind":"empty"}`, `target must be a string, not a number (7)`},
		{`{"target":"entrapass"}`, `no kind: give one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{`{"target":"entrapass","kind":"explode"}`, `unknown kind "explode": want one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{`{"target":"entrapass","kind":null}`, `kind must be a string, not null`},
		{`{"target":"site","kind":"latency"}`, `kind "latency" is a transport fault: its target is a head-end (entrapass or genetec), not site`},
		{`{"target":"genetec","kind":"controller-fail","params":{"id":10}}`, `kind "controller-fail" is a hardware fault: its target is site, not genetec`},
		// params
		{`{"target":"entrapass","kind":"status","params":[]}`, `params must be a JSON object, not an array`},
		{`{"target":"entrapass","kind":"status","params":{"stat":503}}`, `unknown parameter "stat" (kind "status": it takes status, body)`},
		{`{"target":"entrapass","kind":"status","params":{"status":503,"latency":"1s"}}`, `kind "status" takes no parameter "latency" (it takes status, body)`},
		{`{"target":"entrapass","kind":"empty","params":{"status":200}}`, `kind "empty" takes no parameter "status" (it takes none)`},
		{`{"target":"entrapass","kind":"status","params":{"status":"503"}}`, `params.status must be an integer, not a string`},
		{`{"target":"entrapass","kind":"status","params":{"status":503.5}}`, `params.status must be an integer, not 503.5`},
		{`{"target":"entrapass","kind":"status","params":{"status":99999999999999999999}}`, `params.status 99999999999999999999 is too large`},
		{`{"target":"entrapass","kind":"status"}`, `params.status is required: an HTTP status from 100 to 599`},
		{`{"target":"entrapass","kind":"status","params":{"status":600}}`, `params.status 600 is outside 100–599`},
		{`{"target":"entrapass","kind":"status","params":{"status":99}}`, `params.status 99 is outside 100–599`},
		{`{"target":"entrapass","kind":"status","params":{"status":503,"body":1}}`, `params.body must be a string, not a number (1)`},
		{`{"target":"entrapass","kind":"latency","params":{"latency":300}}`, `params.latency must be a Go duration string like "300ms", not a number (300)`},
		{`{"target":"entrapass","kind":"latency","params":{"latency":"300"}}`, `params.latency "300" is not a Go duration like "300ms" or "1m30s"`},
		{`{"target":"entrapass","kind":"latency","params":{"latency":"-1s"}}`, `params.latency -1s is negative`},
		{`{"target":"entrapass","kind":"latency","params":{"jitter":"-1ms"}}`, `params.jitter -1ms is negative`},
		{`{"target":"entrapass","kind":"latency","params":{"latency":"876000h"}}`, `params.latency 876000h0m0s is longer than the maximum, 10m0s`},
		{`{"target":"entrapass","kind":"latency","params":{"latency":"1s","jitter":"10m1s"},"when":{"seed":1}}`, `params.jitter 10m1s is longer than the maximum, 10m0s`},
		{`{"target":"entrapass","kind":"hang","params":{"timeout":"2h"}}`, `params.timeout 2h0m0s is longer than the maximum, 1h0m0s (0 hangs until the fault is removed)`},
		{`{"target":"entrapass","kind":"slow-body","params":{"rate":1,"interval":"61s"}}`, `params.interval 1m1s is longer than the maximum, 1m0s`},
		{`{"target":"entrapass","kind":"empty","when":{"start_after":"721h"}}`, `when.start_after 721h0m0s is longer than the maximum, 720h0m0s (30 days)`},
		{`{"target":"entrapass","kind":"empty","when":{"for":"876000h"}}`, `when.for 876000h0m0s is longer than the maximum, 720h0m0s (30 days)`},
		{`{"target":"entrapass","kind":"malformed","params":{"mode":"shred"}}`, `params.mode "shred" is not truncate or garble`},
		{`{"target":"entrapass","kind":"malformed","params":{"at":-1}}`, `params.at -1 is negative`},
		{`{"target":"entrapass","kind":"malformed","params":{"mode":"garble","at":3}}`, `params.at applies to mode truncate, not garble`},
		{`{"target":"entrapass","kind":"hang","params":{"timeout":"-1s"}}`, `params.timeout -1s is negative`},
		{`{"target":"entrapass","kind":"slow-body"}`, `params.rate is required: the bytes sent per interval, from 1`},
		{`{"target":"entrapass","kind":"slow-body","params":{"rate":-1}}`, `params.rate -1 is below 1`},
		{`{"target":"entrapass","kind":"slow-body","params":{"rate":1,"interval":"-1s"}}`, `params.interval -1s is negative`},
		{`{"target":"genetec","kind":"stream-cut"}`, `stream-cut needs params.bytes or params.events: where to cut the stream`},
		{`{"target":"genetec","kind":"stream-cut","params":{"bytes":1,"events":1}}`, `stream-cut takes params.bytes or params.events, not both`},
		{`{"target":"genetec","kind":"stream-cut","params":{"bytes":-1}}`, `params.bytes -1 is negative`},
		{`{"target":"genetec","kind":"stream-cut","params":{"events":-1}}`, `params.events -1 is negative`},
		{`{"target":"site","kind":"reader-fault"}`, `params.id is required: the id of the component, from 1`},
		{`{"target":"site","kind":"reader-fault","params":{"id":-3}}`, `params.id is required: the id of the component, from 1`},
		// match
		{`{"target":"entrapass","kind":"empty","match":{"verb":"GET"}}`, `unknown key "verb" in match (it has method and path)`},
		{`{"target":"entrapass","kind":"empty","match":{"method":1}}`, `match.method must be a string, not a number (1)`},
		{`{"target":"entrapass","kind":"empty","match":{"method":"GET /"}}`, `match.method "GET /" is not an HTTP method like GET or PUT`},
		{`{"target":"entrapass","kind":"empty","match":{"path":"SmartService"}}`, `match.path "SmartService" must start with / or *`},
		{`{"target":"site","kind":"reader-fault","params":{"id":30},"match":{"method":"GET"}}`, `match applies to transport faults only: kind "reader-fault" has no requests to match`},
		// when
		{`{"target":"entrapass","kind":"empty","when":{"often":true}}`, `unknown key "often" in when (it has probability, seed, every, first, after, start_after and for)`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":1.5,"seed":1}}`, `when.probability 1.5 is outside 0–1`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":-0.1,"seed":1}}`, `when.probability -0.1 is outside 0–1`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":0}}`, `when.probability must be above 0 (omit it to fire on every request)`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":"0.1"}}`, `when.probability must be a number, not a string`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":0.1}}`, `when.probability needs when.seed (a number from 1), so that the same traffic gives the same faults`},
		{`{"target":"entrapass","kind":"empty","when":{"seed":7}}`, `when.seed has nothing to seed: it seeds when.probability and params.jitter, and neither is given`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":0.1,"seed":0}}`, `when.seed must be from 1`},
		{`{"target":"entrapass","kind":"empty","when":{"probability":0.1,"seed":-1}}`, `when.seed must be an integer from 1 to 18446744073709551615, not -1`},
		{`{"target":"entrapass","kind":"empty","when":{"every":0}}`, `when.every must be at least 1 (omit it for no limit)`},
		{`{"target":"entrapass","kind":"empty","when":{"every":-2}}`, `when.every -2 is negative`},
		{`{"target":"entrapass","kind":"empty","when":{"every":1.5}}`, `when.every must be an integer, not 1.5`},
		{`{"target":"entrapass","kind":"empty","when":{"first":0}}`, `when.first must be at least 1 (omit it for no limit)`},
		{`{"target":"entrapass","kind":"empty","when":{"first":-1}}`, `when.first -1 is negative`},
		{`{"target":"entrapass","kind":"empty","when":{"after":-1}}`, `when.after -1 is negative`},
		{`{"target":"entrapass","kind":"empty","when":{"start_after":"-1s"}}`, `when.start_after -1s is negative`},
		{`{"target":"entrapass","kind":"empty","when":{"start_after":30}}`, `when.start_after must be a Go duration string like "300ms", not a number (30)`},
		{`{"target":"entrapass","kind":"empty","when":{"for":"0s"}}`, `when.for must be above 0 (omit it to last until removed)`},
		{`{"target":"entrapass","kind":"empty","when":{"for":"-5s"}}`, `when.for -5s is negative`},
		{`{"target":"entrapass","kind":"empty","when":{"for":"soon"}}`, `when.for "soon" is not a Go duration like "300ms" or "1m30s"`},
		{`{"target":"site","kind":"input-tamper","params":{"id":50},"when":{"first":1}}`, `when.first makes no sense for hardware fault "input-tamper": it is applied once, not per request; use start_after and for`},
		{`{"target":"site","kind":"input-tamper","params":{"id":50},"when":{"after":2}}`, `when.after makes no sense for hardware fault "input-tamper": it is applied once, not per request; use start_after and for`},
	} {
		var f fault.Fault
		// The control API calls UnmarshalJSON on the raw body;
		// json.Unmarshal checks the syntax first and then says the same of
		// a well-formed body.
		err := f.UnmarshalJSON([]byte(c.in))
		if json.Valid([]byte(c.in)) {
			assert.Equal(t, err, json.Unmarshal([]byte(c.in), &f))
		}
		if assert.Error(t, err, c.in) {
			assert.ErrorIs(t, err, fault.ErrInvalid, c.in)
			assert.Equal(t, "invalid fault: "+c.msg, err.Error(), c.in)
		}
		assert.Equal(t, fault.Fault{}, f, "a refused fault leaves the value as it was")
	}
}

func TestValidateGoBuiltFaults(t *testing.T) {
	assert.NoError(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency}.Validate(), "0s latency is a matching no-op")
	// Every duration a fault takes is bounded; the bound itself is taken.
	for _, f := range []fault.Fault{
		{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Params: fault.Params{Latency: fault.MaxLatency, Jitter: fault.MaxLatency}, When: fault.When{Seed: 1}},
		{Target: fault.TargetEntraPass, Kind: fault.KindHang, Params: fault.Params{Timeout: fault.MaxHangTimeout}},
		{Target: fault.TargetEntraPass, Kind: fault.KindSlowBody, Params: fault.Params{Rate: 1, Interval: fault.MaxInterval}},
		{Target: fault.TargetEntraPass, Kind: fault.KindEmpty, When: fault.When{StartAfter: fault.MaxWindow, For: fault.MaxWindow}},
	} {
		assert.NoError(t, f.Validate(), "%+v", f)
	}
	assert.Equal(t, 10*time.Minute, fault.MaxLatency)
	err := fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindEmpty, Params: fault.Params{Latency: time.Second}}.Validate()
	assert.EqualError(t, err, `invalid fault: kind "empty" takes no parameter "latency" (it takes none)`)
	assert.True(t, fault.KindDoorForced.Hardware())
	assert.False(t, fault.KindHang.Hardware())
	assert.Len(t, fault.Kinds(), 20)
}

func TestStatusJSON(t *testing.T) {
	s := newSite(t)
	st := s.add(t, status503(fault.When{Every: 2}))
	b, err := json.Marshal(st)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"f1","target":"entrapass","kind":"status","params":{"status":503},"when":{"every":2},
		"state":"active","matched":0,"fired":0,"added":"2026-01-05T09:00:00Z"}`, string(b))
	var back fault.Status
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, st, back)
	assert.Equal(t, status503(fault.When{Every: 2}), back.Fault())
}
