package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/internal/metrics"
	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
)

// BenchmarkHeadendRequestMetrics: what the head-end request metrics add to
// one SmartService request, alone: the route template looked up on
// SmartService's own router (the path lower-cased first, as `pacsim serve`
// does), the status recorded, the counter and the histogram moved. The
// handler behind does nothing, so /bare is the cost of calling it and
// /metered − /bare is the middleware's. One op is one request; an Events
// answer carries up to 1000 events, so the cost per event is a thousandth
// of it.
func BenchmarkHeadendRequestMetrics(b *testing.B) {
	w, err := sim.New(sim.DefaultSite())
	if err != nil {
		b.Fatal(err)
	}
	srv, err := epsim.New(w)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	noop := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	req := httptest.NewRequest(http.MethodGet, "/SmartService/Events?sdKey=0123456789abcdef&maxCount=1000&lastEventId=42", nil)
	run := func(b *testing.B, h http.Handler) {
		rec := httptest.NewRecorder()
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(rec, req)
		}
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, noop) })
	b.Run("metered", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		run(b, metrics.NewRequests(reg).Wrap("entrapass", metrics.RouteOf(srv.Router(), true), noop))
		fams, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fams {
			for _, m := range f.Metric {
				for _, l := range m.Label {
					if l.GetName() == "route" && l.GetValue() != "/smartservice/events" {
						b.Fatalf("%s counted under route %q", f.GetName(), l.GetValue())
					}
				}
			}
		}
		if len(fams) != 2 {
			b.Fatalf("%d families registered, want the counter and the histogram", len(fams))
		}
	})
}
