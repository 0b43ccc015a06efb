package entrapass

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/internal/metrics"
)

// The polls the driver counts (the kind label of pacsim_driver_polls_total):
// its two SmartService reads of every cycle.
const (
	pollStates = iota // ComponentsStatesByStatusId
	pollEvents        // Events
	pollKinds
)

var pollNames = [pollKinds]string{"states", "events"}

// The events the driver delivers, by name (pacsim_driver_events_total):
// those it publishes a workflow event for, and the rest.
const (
	evAccessGranted = iota
	evAccessDenied
	evGatewayDisconnected
	evGatewayConnected
	evOther
	evKinds
)

var eventNames = [evKinds]string{"access_granted", "access_denied", "gateway_disconnected", "gateway_connected", "other"}

// meter holds the driver's counters as atomics, so a scrape never waits
// behind a poll cycle (which holds cycleMu for as long as the head-end
// takes) and the poll path pays an increment.
type meter struct {
	polls    [pollKinds][2]atomic.Uint64 // [kind][0 ok, 1 error]
	events   [evKinds]atomic.Uint64
	lastPoll atomic.Int64 // unix nanoseconds of the last successful cycle
}

func (m *meter) poll(kind int, err error) {
	r := 0
	if err != nil {
		r = 1
	}
	m.polls[kind][r].Add(1)
}

func (m *meter) event(kind int) { m.events[kind].Add(1) }

func (m *meter) cycleDone() { m.lastPoll.Store(time.Now().UnixNano()) }

var (
	descPolls = prometheus.NewDesc("pacsim_driver_polls_total",
		"SmartService polls the driver made, by kind (states, events) and result (ok, error).", []string{"kind", "result"}, nil)
	descEvents = prometheus.NewDesc("pacsim_driver_events_total",
		"Events the driver delivered, by name.", []string{"name"}, nil)
	descReconnects = prometheus.NewDesc("pacsim_driver_reconnects_total",
		"Logins after the first: each a session lost or replaced.", nil, nil)
	descLastPoll = prometheus.NewDesc("pacsim_driver_last_poll_timestamp_seconds",
		"When the last poll cycle succeeded (Unix time; 0 before the first).", nil, nil)
	descUp = prometheus.NewDesc("pacsim_driver_up",
		"1 while the driver is logged in to its head-end, else 0.", nil, nil)
)

// Collector returns the driver's metrics for a Prometheus registry.
func (d *Driver) Collector() prometheus.Collector {
	return metrics.NewFunc(func(ch chan<- prometheus.Metric) {
		m := &d.meter
		for k := range pollKinds {
			metrics.Counter(ch, descPolls, float64(m.polls[k][0].Load()), pollNames[k], "ok")
			metrics.Counter(ch, descPolls, float64(m.polls[k][1].Load()), pollNames[k], "error")
		}
		for k := range evKinds {
			metrics.Counter(ch, descEvents, float64(m.events[k].Load()), eventNames[k])
		}
		var logins uint64
		up := 0.0
		if d.client != nil {
			logins = d.client.Generation()
			if d.client.LoggedIn() {
				up = 1
			}
		}
		metrics.Counter(ch, descReconnects, float64(max(logins, 1)-1))
		last := 0.0
		if ns := m.lastPoll.Load(); ns > 0 {
			last = float64(ns) / 1e9
		}
		metrics.Gauge(ch, descLastPoll, last)
		metrics.Gauge(ch, descUp, up)
	}, descPolls, descEvents, descReconnects, descLastPoll, descUp)
}
