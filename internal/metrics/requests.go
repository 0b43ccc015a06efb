package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/internal/guard"
)

// Unmatched is the route label of a request no route of the head-end
// matched (a wrong path or method).
const Unmatched = "unmatched"

// Requests counts and times the requests of the simulated head-ends:
// pacsim_headend_requests_total{headend,route,code} and
// pacsim_headend_request_duration_seconds{headend,route}.
type Requests struct {
	total    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewRequests registers the head-end request metrics on reg.
func NewRequests(reg prometheus.Registerer) *Requests {
	q := &Requests{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pacsim_headend_requests_total",
			Help: "Requests a simulated head-end answered, by route template and status code (a fault's answer included).",
		}, []string{"headend", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pacsim_headend_request_duration_seconds",
			Help:    "Time to answer a head-end request, by route template (an event stream counts until it ends).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"headend", "route"}),
	}
	reg.MustRegister(q.total, q.duration)
	return q
}

// Wrap measures the requests of headend through next. route names the
// route template of a request (Unmatched when none), never its raw path:
// a site of 10 000 doors has the routes of the default one.
func (q *Requests) Wrap(headend string, route func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// The route is read before next runs: a handler may rewrite the
		// request's path (lower-casing it) or consume it.
		rt := route(r)
		rec := &guard.StatusRecorder{ResponseWriter: w}
		defer func() {
			q.total.WithLabelValues(headend, rt, codeText(rec.Status)).Inc()
			q.duration.WithLabelValues(headend, rt).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// codes holds the text of the common status codes, so that counting one
// does not format it.
var codes = func() map[int]string {
	m := map[int]string{}
	for c := 100; c < 600; c++ {
		m[c] = strconv.Itoa(c)
	}
	return m
}()

func codeText(c int) string {
	if s, ok := codes[c]; ok {
		return s
	}
	// No answer went out (reset, hijacked, or a panic): counted apart.
	return "none"
}
