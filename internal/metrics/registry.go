package metrics

import (
	"github.com/pacsim/pacsim/internal/guard"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Path is where every pacsim service answers its metrics.
const Path = guard.MetricsPath

// maxScrapes bounds the scrapes gathered at once; more wait their turn
// (promhttp's MaxRequestsInFlight answers 503 instead, which a scraper
// retries at its next interval). Gathering reads counters under short
// locks, so a crowd of scrapers slows scrapes, never the event path.
const maxScrapes = 4

// New returns a registry holding the Go runtime and process collectors.
func New() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Handler answers GET /metrics from g in the Prometheus text format (or
// what the scraper negotiates). At most maxScrapes gather at once: the
// others get 503, so 500 parallel scrapes cost the process four.
func Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		MaxRequestsInFlight: maxScrapes,
		ErrorHandling:       promhttp.ContinueOnError,
	})
}
