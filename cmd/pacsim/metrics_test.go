package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// scrape reads url's /metrics with Prometheus's own parser.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	return fams
}

// value is the series of fam whose labels include want (0 when absent).
func value(fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
	sum := 0.0
	for _, m := range f.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		ok := true
		for i := 0; i+1 < len(want); i += 2 {
			if got[want[i]] != want[i+1] {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum
}

func hostOf(t *testing.T, raw string) (host, port string) {
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u.Hostname(), u.Port()
}

// TestMetricsFollowAScriptedRun drives presentations, a door, a fault and
// a driver poll cycle, and checks each counter moved by what happened.
func TestMetricsFollowAScriptedRun(t *testing.T) {
	control, ep, _ := startServe(t, "--clock", "virtual")
	root := strings.TrimSuffix(control, "/v1")
	before := scrape(t, root)
	for _, f := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		assert.Contains(t, before, f, "the Go runtime and process collectors are registered")
	}
	var start struct {
		Last uint64 `json:"last"`
	}
	getJSON(t, control+"/events?limit=1", &start)

	// Three presentations (two known cards, one unknown) and a forced door.
	postJSON(t, control+"/readers/30/present", `{"card":"100:1001"}`)
	postJSON(t, control+"/readers/30/present", `{"card":"100:1002"}`)
	postJSON(t, control+"/readers/30/present", `{"card":"999:99999"}`)
	postJSON(t, control+"/doors/21/open", "")

	// A fault on Doors/{id} that fires on the one request sent to it.
	addFault(t, control, `{"target":"entrapass","kind":"status","params":{"status":503},"match":{"path":"/SmartService/Doors/*"}}`)
	resp, err := http.Get(ep + "Doors/20?sdKey=x")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	mid := scrape(t, root)
	// Every journaled event is counted once under its kind.
	var page struct {
		Events []struct {
			Type int `json:"type"`
		} `json:"events"`
	}
	getJSON(t, control+"/events?limit=1000&after="+strconv.FormatUint(start.Last, 10), &page)
	want := map[string]float64{}
	for _, e := range page.Events {
		want[eventName(e.Type)]++
	}
	require.NotEmpty(t, want)
	for kind, n := range want {
		assert.Equal(t, n, value(mid, "pacsim_world_events_total", "kind", kind)-value(before, "pacsim_world_events_total", "kind", kind), "kind %s", kind)
	}
	assert.Equal(t, 2.0, want["access_granted"], "two grants presented")
	assert.Equal(t, 1.0, want["access_denied_unknown_card"])
	assert.Equal(t, 1.0, want["door_forced_open"])
	assert.Equal(t, 1.0, value(mid, "pacsim_faults_active", "kind", "status"))
	assert.Equal(t, 1.0, value(mid, "pacsim_faults_fired_total", "kind", "status"))
	assert.Equal(t, 1.0, value(mid, "pacsim_headend_requests_total", "headend", "entrapass", "route", "/smartservice/doors/{id}", "code", "503"))
	assert.Equal(t, 1.0, value(mid, "pacsim_headend_request_duration_seconds", "headend", "entrapass", "route", "/smartservice/doors/{id}"))

	// Removing the fault: no longer active, its firing still counted.
	addFault(t, control, `{"target":"entrapass","kind":"latency","params":{"latency":"1ms"},"match":{"path":"/nowhere"}}`)
	req, _ := http.NewRequest(http.MethodDelete, control+"/faults/f1", nil)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	after := scrape(t, root)
	assert.Equal(t, 0.0, value(after, "pacsim_faults_active", "kind", "status"))
	assert.Equal(t, 1.0, value(after, "pacsim_faults_fired_total", "kind", "status"))
	assert.Equal(t, 1.0, value(after, "pacsim_faults_active", "kind", "latency"))

	// One driver poll cycle (the interval is an hour: only the first runs).
	host, port := hostOf(t, ep)
	ds, _, _, stop := startDriver(t, "--host", host, "--port", port, "--username", "pacsim", "--password", "pacsim", "--poll", "1h")
	deadline := time.Now().Add(10 * time.Second)
	var drv map[string]*dto.MetricFamily
	for {
		drv = scrape(t, ds)
		if value(drv, "pacsim_driver_last_poll_timestamp_seconds") > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the driver's first cycle did not end")
		time.Sleep(20 * time.Millisecond) // nothing to wait on across the process boundary but the metric
	}
	assert.Equal(t, 1.0, value(drv, "pacsim_driver_up"))
	assert.Equal(t, 0.0, value(drv, "pacsim_driver_reconnects_total"))
	// The first cycle reads every state (resync), then the changed ones.
	assert.Equal(t, 2.0, value(drv, "pacsim_driver_polls_total", "kind", "states", "result", "ok"))
	evPolls := value(drv, "pacsim_driver_polls_total", "kind", "events", "result", "ok")
	assert.GreaterOrEqual(t, evPolls, 1.0)
	require.NoError(t, stop())
	site := scrape(t, root)
	// Both ends of the wire agree: each poll of the driver is a request the
	// simulated SmartService counted under its route template.
	assert.Equal(t, 2.0, value(site, "pacsim_headend_requests_total", "headend", "entrapass", "route", "/smartservice/componentsstatesbystatusid", "code", "200"))
	assert.Equal(t, evPolls, value(site, "pacsim_headend_requests_total", "headend", "entrapass", "route", "/smartservice/events", "code", "200"))

	// No label carries an id, a card or a raw path.
	digits := regexp.MustCompile(`/\d+(/|$)`)
	for name, f := range site {
		if !strings.HasPrefix(name, "pacsim_") {
			continue
		}
		for _, m := range f.Metric {
			for _, l := range m.Label {
				assert.NotRegexp(t, digits, l.GetValue(), "%s{%s}", name, l.GetName())
				assert.NotContains(t, l.GetValue(), "1001", "%s{%s}", name, l.GetName())
			}
		}
	}
}

// eventName is the metric kind of an event type of the event list.
func eventName(t int) string { return sim.EventType(t).Name() }

// addFault adds a fault through the control API (201 Created).
func addFault(t *testing.T, control, body string) {
	t.Helper()
	resp, err := http.Post(control+"/faults", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, body)
}

// TestMetricsUnderParallelScrapes: 500 scrapes at once neither fail the
// process nor stop the event path.
func TestMetricsUnderParallelScrapes(t *testing.T) {
	control, _, _ := startServe(t, "--clock", "virtual")
	root := strings.TrimSuffix(control, "/v1")
	var wg sync.WaitGroup
	codes := make(chan int, 500)
	for range 500 {
		wg.Go(func() {
			resp, err := http.Get(root + "/metrics")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	// The event path moves meanwhile.
	for range 50 {
		postJSON(t, control+"/readers/30/present", `{"card":"100:1001"}`)
	}
	wg.Wait()
	close(codes)
	ok := 0
	for c := range codes {
		require.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, c, "a scrape is answered, or refused with 503 when too many run")
		if c == http.StatusOK {
			ok++
		}
	}
	assert.Positive(t, ok)
	assert.GreaterOrEqual(t, value(scrape(t, root), "pacsim_world_events_total", "kind", "access_granted"), 50.0)
}
