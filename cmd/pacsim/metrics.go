package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/internal/metrics"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/genetec"
)

// withMetrics answers GET and HEAD /metrics from reg and hands every other
// request to next (a /metrics with another method gets next's own 404 or
// 405). It sits inside the guard, which lets /metrics through without a
// token (guard.OpenPaths).
func withMetrics(next http.Handler, reg prometheus.Gatherer) http.Handler {
	h := metrics.Handler(reg)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == metrics.Path && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var (
	descWorldEvents = prometheus.NewDesc("pacsim_world_events_total",
		"Events the simulated site journaled, by kind (the event type's name).", []string{"kind"}, nil)
	descSessions = prometheus.NewDesc("pacsim_headend_sessions",
		"Sessions open on a simulated head-end.", []string{"headend"}, nil)
	descFaultsActive = prometheus.NewDesc("pacsim_faults_active",
		"Faults acting now, by kind.", []string{"kind"}, nil)
	descFaultsFired = prometheus.NewDesc("pacsim_faults_fired_total",
		"Times faults fired (a request they acted on; a hardware fault applied), by kind.", []string{"kind"}, nil)
	descStreams = prometheus.NewDesc("pacsim_stream_subscribers",
		"Event streams open: the control API's (control) and the Web SDK's (genetec).", []string{"stream"}, nil)
)

// siteCollector reads serve's counters at scrape time: the journal's
// counts by event type, the head-ends' sessions, the fault plan and the
// open event streams. ep, gs may be nil (a head-end served "off").
func siteCollector(w *sim.World, plan *fault.Plan, ep *entrapass.Server, gs *genetec.Server, ctl *control.Server) prometheus.Collector {
	return metrics.NewFunc(func(ch chan<- prometheus.Metric) {
		for _, c := range w.Journal().Counts(nil) {
			metrics.Counter(ch, descWorldEvents, float64(c.Count), c.Name)
		}
		if ep != nil {
			metrics.Gauge(ch, descSessions, float64(ep.Sessions()), "entrapass")
		}
		if gs != nil {
			metrics.Gauge(ch, descSessions, float64(gs.Sessions()), "genetec")
			metrics.Gauge(ch, descStreams, float64(gs.Streams()), "genetec")
		}
		metrics.Gauge(ch, descStreams, float64(ctl.Streams()), "control")
		for _, k := range plan.Counts() {
			metrics.Gauge(ch, descFaultsActive, float64(k.Active), string(k.Kind))
			metrics.Counter(ch, descFaultsFired, float64(k.Fired), string(k.Kind))
		}
	}, descWorldEvents, descSessions, descFaultsActive, descFaultsFired, descStreams)
}
