package fault_test

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

func TestParseFlag(t *testing.T) {
	for _, c := range []struct {
		in   string
		want fault.Fault
		// canon is what String writes, when it differs from in.
		canon string
	}{
		{in: "entrapass:status=503,path=/SmartService/Events*,every=3",
			want: fault.Fault{Target: "entrapass", Kind: "status", Params: fault.Params{Status: 503},
				Match: fault.Match{Path: "/SmartService/Events*"}, When: fault.When{Every: 3}}},
		{in: "entrapass:latency=300ms,jitter=50ms,probability=0.1,seed=7",
			want: fault.Fault{Target: "entrapass", Kind: "latency", Params: fault.Params{Latency: 300 * time.Millisecond, Jitter: 50 * time.Millisecond},
				When: fault.When{Probability: 0.1, Seed: 7}}},
		{in: "entrapass:hang,method=PUT,start_after=30s,for=60s", canon: "entrapass:hang,method=PUT,start_after=30s,for=1m0s",
			want: fault.Fault{Target: "entrapass", Kind: "hang", Match: fault.Match{Method: "PUT"}, When: fault.When{StartAfter: 30 * time.Second, For: time.Minute}}},
		{in: "site:controller-fail,id=10,start_after=10s,for=30s", canon: "site:controller-fail=10,start_after=10s,for=30s",
			want: fault.Fault{Target: "site", Kind: "controller-fail", Params: fault.Params{ID: 10}, When: fault.When{StartAfter: 10 * time.Second, For: 30 * time.Second}}},
		{in: "site:door-held-open=20",
			want: fault.Fault{Target: "site", Kind: "door-held-open", Params: fault.Params{ID: 20}}},
		{in: "entrapass:hang=5s,path=/SmartService/Login*",
			want: fault.Fault{Target: "entrapass", Kind: "hang", Params: fault.Params{Timeout: 5 * time.Second}, Match: fault.Match{Path: "/SmartService/Login*"}}},
		{in: `entrapass:app-fault,code="Error 72",message="Too many sessions, sorry.",first=1`,
			canon: `entrapass:app-fault=Error 72,message="Too many sessions, sorry.",first=1`,
			want:  fault.Fault{Target: "entrapass", Kind: "app-fault", Params: fault.Params{Code: "Error 72", Message: "Too many sessions, sorry."}, When: fault.When{First: 1}}},
		{in: `entrapass:app-fault,message="say \"hi\""`,
			want: fault.Fault{Target: "entrapass", Kind: "app-fault", Params: fault.Params{Message: `say "hi"`}}},
		{in: "entrapass:malformed=garble,path=/SmartService/Doors*",
			want: fault.Fault{Target: "entrapass", Kind: "malformed", Params: fault.Params{Mode: "garble"}, Match: fault.Match{Path: "/SmartService/Doors*"}}},
		{in: "entrapass:malformed,at=40", want: fault.Fault{Target: "entrapass", Kind: "malformed", Params: fault.Params{At: 40}}},
		{in: "entrapass:slow-body=64,interval=250ms",
			want: fault.Fault{Target: "entrapass", Kind: "slow-body", Params: fault.Params{Rate: 64, Interval: 250 * time.Millisecond}}},
		{in: "entrapass:expire-sessions,every=100", want: fault.Fault{Target: "entrapass", Kind: "expire-sessions", When: fault.When{Every: 100}}},
		{in: "genetec:stream-cut,events=3,path=/WebSdk/events",
			want: fault.Fault{Target: "genetec", Kind: "stream-cut", Params: fault.Params{Events: 3}, Match: fault.Match{Path: "/WebSdk/events"}}},
		{in: "genetec:stream-cut=100", want: fault.Fault{Target: "genetec", Kind: "stream-cut", Params: fault.Params{Bytes: 100}}},
		{in: "entrapass:empty", want: fault.Fault{Target: "entrapass", Kind: "empty"}},
		{in: "entrapass:reset,after=0", canon: "entrapass:reset", want: fault.Fault{Target: "entrapass", Kind: "reset"}},
		// qualified keys reach every field
		{in: "entrapass:status,params.status=500,params.body=down,match.method=GET,match.path=/x,when.every=2,when.first=4,when.after=1,when.probability=0.5,when.seed=9,when.start_after=1s,when.for=2s",
			canon: "entrapass:status=500,body=down,method=GET,path=/x,probability=0.5,seed=9,every=2,first=4,after=1,start_after=1s,for=2s",
			want: fault.Fault{Target: "entrapass", Kind: "status", Params: fault.Params{Status: 500, Body: "down"},
				Match: fault.Match{Method: "GET", Path: "/x"},
				When:  fault.When{Every: 2, First: 4, After: 1, Probability: 0.5, Seed: 9, StartAfter: time.Second, For: 2 * time.Second}}},
		{in: "entrapass:status=503,path=/a=b", want: fault.Fault{Target: "entrapass", Kind: "status", Params: fault.Params{Status: 503}, Match: fault.Match{Path: "/a=b"}}},
	} {
		f, err := fault.ParseFlag(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, f, c.in)
		canon := c.canon
		if canon == "" {
			canon = c.in
		}
		assert.Equal(t, canon, f.String())
		back, err := fault.ParseFlag(f.String())
		require.NoError(t, err, f.String())
		assert.Equal(t, f, back, "ParseFlag(f.String()) == f")
	}
}

// TestParseFlagErrors: every way the flag form is refused.
func TestParseFlagErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"", `empty fault: want TARGET:KIND[,KEY=VALUE…], e.g. entrapass:status=503`},
		{"  ", `empty fault: want TARGET:KIND[,KEY=VALUE…], e.g. entrapass:status=503`},
		{"status=503", `"status=503" has no target: want TARGET:KIND[,KEY=VALUE…], e.g. entrapass:status=503`},
		{"ftp:status=503", `unknown target "ftp": want entrapass, genetec or site`},
		{":status=503", `no target: give entrapass, genetec or site`},
		{"entrapass:", `no kind after "entrapass:": want one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{"entrapass:,every=2", `no kind after "entrapass:": want one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{"entrapass:boom", `unknown kind "boom": want one of latency, status, app-fault, malformed, empty, reset, hang, slow-body, expire-sessions, stream-cut, controller-fail, controller-fault, gateway-disconnect, reader-fault, input-tamper, input-trouble, output-controller-fault, output-trouble, door-forced, door-held-open`},
		{"site:latency=1s", `kind "latency" is a transport fault: its target is a head-end (entrapass or genetec), not site`},
		{"entrapass:controller-fail=10", `kind "controller-fail" is a hardware fault: its target is site, not entrapass`},
		{"entrapass:empty=1", `kind "empty" takes no value: write empty, not empty=1`},
		{"entrapass:status=503,,every=2", `an empty item in "entrapass:status=503,,every=2": items are separated by single commas`},
		{"entrapass:status=503,", `an empty item in "entrapass:status=503,": items are separated by single commas`},
		{"entrapass:status=503,every", `item "every" has no value: write every=VALUE`},
		{"entrapass:status=503,evry=3", `unknown key "evry": want a parameter (kind "status": it takes status, body), method, path, or a when key (probability, seed, every, first, after, start_after, for)`},
		{"entrapass:status=503,params.stat=1", `unknown parameter "stat" (kind "status": it takes status, body)`},
		{"entrapass:status=503,match.host=x", `unknown key "host" in match (it has method and path)`},
		{"entrapass:status=503,when.often=1", `unknown key "often" in when (it has probability, seed, every, first, after, start_after, for)`},
		{"entrapass:status=503,how.often=1", `unknown section "how" in key "how.often": want params, match or when`},
		{"entrapass:status=503,latency=1s", `kind "status" takes no parameter "latency" (it takes status, body)`},
		{"entrapass:status=503,status=500", `params.status is given twice`},
		{"entrapass:status=503,every=2,when.every=3", `when.every is given twice`},
		{"entrapass:status=503,path=/a,match.path=/b", `match.path is given twice`},
		{"entrapass:status=abc", `params.status must be an integer, not abc`},
		{"entrapass:status=600", `params.status 600 is outside 100–599`},
		{"entrapass:status", `params.status is required: an HTTP status from 100 to 599`},
		{"entrapass:latency=fast", `params.latency "fast" is not a Go duration like "300ms" or "1m30s"`},
		{"entrapass:latency=-1s", `params.latency -1s is negative`},
		{"entrapass:latency=876000h", `params.latency 876000h0m0s is longer than the maximum, 10m0s`},
		{"entrapass:latency=1s,jitter=x", `params.jitter "x" is not a Go duration like "300ms" or "1m30s"`},
		{"entrapass:malformed=shred", `params.mode "shred" is not truncate or garble`},
		{"entrapass:slow-body", `params.rate is required: the bytes sent per interval, from 1`},
		{"genetec:stream-cut", `stream-cut needs params.bytes or params.events: where to cut the stream`},
		{"site:reader-fault", `params.id is required: the id of the component, from 1`},
		{"site:reader-fault=x", `params.id must be an integer, not x`},
		{"site:reader-fault=30,every=2", `when.every makes no sense for hardware fault "reader-fault": it is applied once, not per request; use start_after and for`},
		{"site:reader-fault=30,method=GET", `match applies to transport faults only: kind "reader-fault" has no requests to match`},
		{"entrapass:empty,method=GE T", `match.method "GE T" is not an HTTP method like GET or PUT`},
		{"entrapass:empty,path=x", `match.path "x" must start with / or *`},
		{"entrapass:empty,probability=x", `when.probability must be a number, not x`},
		{"entrapass:empty,probability=2,seed=1", `when.probability 2 is outside 0–1`},
		{"entrapass:empty,probability=0", `when.probability must be above 0 (omit it to fire on every request)`},
		{"entrapass:empty,probability=0.5", `when.probability needs when.seed (a number from 1), so that the same traffic gives the same faults`},
		{"entrapass:empty,seed=3", `when.seed has nothing to seed: it seeds when.probability and params.jitter, and neither is given`},
		{"entrapass:empty,probability=0.5,seed=0", `when.seed must be from 1`},
		{"entrapass:empty,probability=0.5,seed=-1", `when.seed must be an integer from 1 to 18446744073709551615, not -1`},
		{"entrapass:empty,every=0", `when.every must be at least 1 (omit it for no limit)`},
		{"entrapass:empty,every=-1", `when.every -1 is negative`},
		{"entrapass:empty,first=0", `when.first must be at least 1 (omit it for no limit)`},
		{"entrapass:empty,first=x", `when.first must be an integer, not x`},
		{"entrapass:empty,after=-1", `when.after -1 is negative`},
		{"entrapass:empty,start_after=soon", `when.start_after "soon" is not a Go duration like "300ms" or "1m30s"`},
		{"entrapass:empty,start_after=-1s", `when.start_after -1s is negative`},
		{"entrapass:empty,for=0s", `when.for must be above 0 (omit it to last until removed)`},
		{"entrapass:empty,for=-1s", `when.for -1s is negative`},
		{`entrapass:app-fault,message="open`, `item "message": unterminated quoted value "open`},
		{`entrapass:app-fault,message="a"b`, `item "message": unexpected "b" after the closing quote (want a comma)`},
		{`entrapass:app-fault,message="\q"`, `item "message": "\q" is not a valid Go string`},
	} {
		_, err := fault.ParseFlag(c.in)
		if assert.Error(t, err, c.in) {
			assert.ErrorIs(t, err, fault.ErrInvalid, c.in)
			assert.Equal(t, "invalid fault: "+c.msg, err.Error(), c.in)
		}
	}
}

func TestFlagsIsAFlagValue(t *testing.T) {
	var faults fault.Flags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&faults, "fault", "a fault (repeatable)")
	require.NoError(t, fs.Parse([]string{"--fault", "entrapass:status=503,every=3", "--fault", "site:controller-fail=10,for=30s"}))
	require.Len(t, faults, 2)
	assert.Equal(t, fault.KindControllerFail, faults[1].Kind)
	assert.Equal(t, "entrapass:status=503,every=3 site:controller-fail=10,for=30s", faults.String())
	err := fs.Parse([]string{"--fault", "entrapass:boom"})
	assert.ErrorContains(t, err, `invalid value "entrapass:boom" for flag -fault: invalid fault: unknown kind "boom"`)
}
