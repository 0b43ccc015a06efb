package metrics

import "github.com/prometheus/client_golang/prometheus"

// Func is a collector that reads, at scrape time, counters kept elsewhere
// (an atomic array, a locked table): the hot path pays an increment, never
// a label look-up.
type Func struct {
	descs   []*prometheus.Desc
	collect func(ch chan<- prometheus.Metric)
}

// NewFunc returns a collector of descs whose values collect sends.
func NewFunc(collect func(ch chan<- prometheus.Metric), descs ...*prometheus.Desc) *Func {
	return &Func{descs: descs, collect: collect}
}

// Describe sends the collector's descriptions.
func (f *Func) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range f.descs {
		ch <- d
	}
}

// Collect sends the current values.
func (f *Func) Collect(ch chan<- prometheus.Metric) { f.collect(ch) }

// Counter sends a counter value of d.
func Counter(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
}

// Gauge sends a gauge value of d.
func Gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}
