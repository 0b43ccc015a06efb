package genetec_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/internal/metrics"
	"github.com/pacsim/pacsim/sim/fault"
)

// counters is what the connector's /metrics says, in Prometheus's own
// parse of it.
type counters struct {
	activated, deactivated, failed, retries, pending float64
}

// scrape GETs /metrics from srv and reads the connector's series.
func scrape(t *testing.T, srv *httptest.Server) counters {
	t.Helper()
	resp, err := http.Get(srv.URL + metrics.Path)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	one := func(name string) *dto.Metric {
		f := fams[name]
		require.NotNil(t, f, "%s is exposed", name)
		require.Len(t, f.Metric, 1, name)
		return f.Metric[0]
	}
	badges := map[string]float64{}
	f := fams["pacsim_visitors_badges_total"]
	require.NotNil(t, f)
	require.Equal(t, dto.MetricType_COUNTER, f.GetType())
	for _, m := range f.Metric {
		require.Len(t, m.Label, 1)
		badges[m.Label[0].GetValue()] = m.Counter.GetValue()
	}
	assert.Len(t, badges, 3, "one series per action, each there from the start: %v", badges)
	require.Equal(t, dto.MetricType_GAUGE, fams["pacsim_visitors_pending_deactivations"].GetType())
	return counters{
		activated:   badges["activated"],
		deactivated: badges["deactivated"],
		failed:      badges["provisioning_failed"],
		retries:     one("pacsim_visitors_retries_total").Counter.GetValue(),
		pending:     one("pacsim_visitors_pending_deactivations").Gauge.GetValue(),
	}
}

// TestMetricsFollowAScriptedRun drives visits through the connector's API
// against the simulated Security Center — badges issued and returned, a
// call retried after a fault, a deactivation left pending by an outage
// and confirmed later, a provisioning refused — and checks, after each
// step, that every counter moved by exactly what happened. The connector
// is not started, so no retry loop runs behind the test's back: every
// Security Center call is one the test made.
func TestMetricsFollowAScriptedRun(t *testing.T) {
	t.Parallel()
	r := newRig(t, 4)
	reg := metrics.New()
	reg.MustRegister(r.c.Collector())
	mux := http.NewServeMux()
	mux.Handle(metrics.Path, metrics.Handler(reg))
	mux.Handle("/", r.c.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	call := func(method, path, body string, want int) genetec.Visit {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, want, resp.StatusCode, "%s %s: %s", method, path, b)
		var v genetec.Visit
		if resp.StatusCode < 300 {
			require.NoError(t, json.Unmarshal(b, &v), "%s", b)
		}
		return v
	}
	signIn := func(badge int, name string, want int) genetec.Visit {
		t.Helper()
		return call("POST", "/v1/visits", `{"location":"HQ","visitor":{"first_name":"`+name+`"},"badge":"`+r.badges[badge]+
			`","cardholder_groups":["Visitors - Office"],"by":"rita@example.com"}`, want)
	}
	signOut := func(v genetec.Visit, want int) genetec.Visit {
		t.Helper()
		return call("POST", "/v1/visits/"+v.ID+"/signout", "", want)
	}
	fired := func(id string) uint64 {
		t.Helper()
		fs, err := r.s.Control().Faults(ctx)
		require.NoError(t, err)
		for _, f := range fs {
			if f.ID == id {
				return f.Fired
			}
		}
		t.Fatalf("fault %s not listed", id)
		return 0
	}

	require.Equal(t, counters{}, scrape(t, srv), "nothing counted before anything happened")

	// Three badges issued, one returned.
	ann, bob, cat := signIn(0, "Ann", 201), signIn(1, "Bob", 201), signIn(2, "Cat", 201)
	for _, v := range []genetec.Visit{ann, bob, cat} {
		require.Equal(t, genetec.StateActive, v.State)
	}
	require.Equal(t, genetec.StateEnded, signOut(ann, 200).State)
	require.Equal(t, counters{activated: 3, deactivated: 1}, scrape(t, srv))

	// A 503 on the next Web SDK call only: the sign-out's call is tried
	// again (a retry) and the badge comes back at once.
	once := r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		When: fault.When{First: 1}})
	require.Equal(t, genetec.StateEnded, signOut(bob, 200).State)
	require.Equal(t, uint64(1), fired(once), "the fault failed exactly one call")
	require.Equal(t, counters{activated: 3, deactivated: 2, retries: 1}, scrape(t, srv))

	// Security Center down: the sign-out is stored and answered 202. Its
	// call is tried four times (three retries), every try failed by the
	// fault; the visit waits, pending.
	down := r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	require.Equal(t, genetec.StatePendingDeactivation, signOut(cat, 202).State)
	require.Equal(t, uint64(4), fired(down), "one call, tried four times")
	require.Equal(t, counters{activated: 3, deactivated: 2, retries: 4, pending: 1}, scrape(t, srv))

	// Security Center back: the pending deactivation is sent again (one
	// more retry: the visit's second attempt) and confirmed.
	require.NoError(t, r.s.Control().RemoveFault(ctx, down))
	r.c.Tick(ctx)
	got := call("GET", "/v1/visits/"+cat.ID, "", 200)
	require.Equal(t, genetec.StateEnded, got.State)
	require.Equal(t, 1, got.Attempts, "one attempt failed before the one confirmed")
	require.Equal(t, counters{activated: 3, deactivated: 3, retries: 5}, scrape(t, srv))
	assert.False(t, r.present(frontDoorEntry, 2).Granted, "the returned badge no longer opens")

	// A refusal that no retry can mend (403): the sign-in fails on its
	// first call, nothing is retried, the visit is undone (nothing was
	// created in Security Center, so its deactivation is confirmed at once)
	// and counted as a provisioning failure, not as a deactivation too:
	// activated − deactivated stays the badges out.
	refuse := r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 403},
		When: fault.When{First: 1}})
	signIn(3, "Dan", http.StatusBadGateway)
	require.Equal(t, uint64(1), fired(refuse))
	vs, err := r.c.Visits(false)
	require.NoError(t, err)
	var dan genetec.Visit
	for _, v := range vs {
		if v.Visitor.FirstName == "Dan" {
			dan = v
		}
	}
	require.Equal(t, genetec.StateEnded, dan.State, "the failed sign-in is undone: %+v", dan)
	require.Equal(t, counters{activated: 3, deactivated: 3, failed: 1, retries: 5}, scrape(t, srv))
}
