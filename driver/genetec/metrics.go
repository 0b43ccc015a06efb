package genetec

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/internal/metrics"
)

// What the connector did to a badge (the action label of
// pacsim_visitors_badges_total).
const (
	badgeActivated   = iota // a sign-in provisioned it
	badgeDeactivated        // Security Center confirmed its deactivation
	badgeFailed             // provisioning failed (and was undone)
	badgeActions
)

var badgeNames = [badgeActions]string{"activated", "deactivated", "provisioning_failed"}

// meter holds the connector's counters as atomics: a scrape never waits on
// a visit's lock or on Security Center.
type meter struct {
	badges  [badgeActions]atomic.Uint64
	retries atomic.Uint64
}

func (m *meter) badge(a int) { m.badges[a].Add(1) }

var (
	descBadges = prometheus.NewDesc("pacsim_visitors_badges_total",
		"Badges the connector activated, deactivated, or failed to provision, by action.", []string{"action"}, nil)
	descRetries = prometheus.NewDesc("pacsim_visitors_retries_total",
		"Calls to Security Center tried again: a transient failure retried, or a deactivation not confirmed sent again.", nil, nil)
	descPending = prometheus.NewDesc("pacsim_visitors_pending_deactivations",
		"Visits whose deactivation Security Center has not confirmed yet.", nil, nil)
)

// Collector returns the connector's metrics for a Prometheus registry.
func (c *Connector) Collector() prometheus.Collector {
	return metrics.NewFunc(func(ch chan<- prometheus.Metric) {
		for a := range badgeActions {
			metrics.Counter(ch, descBadges, float64(c.meter.badges[a].Load()), badgeNames[a])
		}
		metrics.Counter(ch, descRetries, float64(c.meter.retries.Load()))
		metrics.Gauge(ch, descPending, float64(c.Pending()))
	}, descBadges, descRetries, descPending)
}
