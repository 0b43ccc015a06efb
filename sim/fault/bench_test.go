package fault_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

// nopWriter is a response writer that keeps nothing, so that a benchmark
// measures the middleware alone.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(int)             {}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) })

// middlewareCases are the cases of the request path that must cost nothing
// measurable.
var middlewareCases = []struct {
	name   string
	faults []fault.Fault
}{
	{"NoFault", nil},
	{"NonMatching", []fault.Fault{
		{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503}, Match: fault.Match{Path: "/SmartService/Login*"}},
		{Target: fault.TargetEntraPass, Kind: fault.KindHang, Match: fault.Match{Method: "PUT"}},
		{Target: fault.TargetGenetec, Kind: fault.KindReset},
	}},
	{"MatchingNoop", []fault.Fault{
		{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Match: fault.Match{Method: "GET", Path: "/SmartService/Events*"}},
	}},
}

func middlewareFor(t testing.TB, faults []fault.Fault) (http.Handler, *http.Request) {
	p := fault.New(nil)
	for _, f := range faults {
		_, err := p.Add(f)
		require.NoError(t, err)
	}
	req := httptest.NewRequest("GET", "/SmartService/EventsAndStayAlive?sdKey=x", nil)
	return p.Middleware("entrapass", okHandler), req
}

// TestMiddlewareAllocatesNothing: no fault, a fault that does not match,
// and a matching no-op (0 s latency) cost no allocation.
func TestMiddlewareAllocatesNothing(t *testing.T) {
	for _, c := range middlewareCases {
		h, req := middlewareFor(t, c.faults)
		w := &nopWriter{h: http.Header{}}
		allocs := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) })
		assert.Zero(t, allocs, c.name)
	}
}

func BenchmarkMiddlewareNoFault(b *testing.B)      { benchMiddleware(b, 0) }
func BenchmarkMiddlewareNonMatching(b *testing.B)  { benchMiddleware(b, 1) }
func BenchmarkMiddlewareMatchingNoop(b *testing.B) { benchMiddleware(b, 2) }

func benchMiddleware(b *testing.B, i int) {
	h, req := middlewareFor(b, middlewareCases[i].faults)
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		h.ServeHTTP(w, req)
	}
}

// BenchmarkControlUnderLoad: 8 goroutines hammer a real HTTP server
// through the middleware (a fault answers 503 on every 2nd request) and 8
// more requests are held by a hang fault, while the benchmark adds and
// removes a fault matching the hammered path — through the Plan (Plan) or
// through the control API over HTTP (HTTP). Each control call is timed; the
// p50, p99 and max are reported (target: p99 under 50 ms), with the
// hammering's throughput.
func BenchmarkControlUnderLoad(b *testing.B) {
	b.Run("Plan", func(b *testing.B) { benchControl(b, false) })
	b.Run("HTTP", func(b *testing.B) { benchControl(b, true) })
}

func benchControl(b *testing.B, overHTTP bool) {
	s := newSite(b)
	hung := make(chan struct{}, 8)
	fault.SetHook(s.plan, func(ev, _ string) {
		if ev == "hang" {
			hung <- struct{}{}
		}
	})
	ts := s.serve(b, "entrapass", newHead())
	s.add(b, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		Match: fault.Match{Path: "/SmartService/*"}, When: fault.When{Every: 2}})
	hang := s.add(b, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindHang, Match: fault.Match{Path: "/hang"}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var served atomic.Int64
	tr := &http.Transport{MaxIdleConnsPerHost: 32}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	for range 8 {
		wg.Add(2)
		go func() { // held until the end
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/hang", nil)
			if resp, err := c.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/SmartService/Events", nil)
				resp, err := c.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				served.Add(1)
			}
		}()
	}
	for range 8 {
		select {
		case <-hung:
		case <-time.After(10 * time.Second):
			cancel()
			b.Fatal("the 8 requests were not all held by the hang fault")
		}
	}

	f := fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Match: fault.Match{Path: "/SmartService/Events*"}, When: fault.When{Every: 3}}
	add, remove := func() string {
		st, err := s.plan.Add(f)
		if err != nil {
			b.Fatal(err)
		}
		return st.ID
	}, func(id string) {
		if _, err := s.plan.Remove(id); err != nil {
			b.Fatal(err)
		}
	}
	if overHTTP {
		api := s.controlAPI(b)
		ac := api.Client()
		body := `{"target":"entrapass","kind":"latency","match":{"path":"/SmartService/Events*"},"when":{"every":3}}`
		add = func() string {
			resp, err := ac.Post(api.URL+"/v1/faults", "application/json", strings.NewReader(body))
			if err != nil || resp.StatusCode != 201 {
				b.Fatal(err, resp)
			}
			var st fault.Status
			_ = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			return st.ID
		}
		remove = func(id string) {
			req, _ := http.NewRequest("DELETE", api.URL+"/v1/faults/"+id, nil)
			resp, err := ac.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err, resp)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	lat := make([]time.Duration, 0, 2*b.N)
	start := time.Now()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		id := add()
		t1 := time.Now()
		remove(id)
		lat = append(lat, t1.Sub(t0), time.Since(t1))
	}
	b.StopTimer()
	elapsed := time.Since(start)
	cancel()
	_, _ = s.plan.Remove(hang.ID)
	wg.Wait()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.ReportMetric(float64(served.Load())/elapsed.Seconds(), "req/s")
}

// BenchmarkHandlerBaseline is the inner handler called directly, without
// the middleware: the reference the three benchmarks above compare to.
func BenchmarkHandlerBaseline(b *testing.B) {
	req := httptest.NewRequest("GET", "/SmartService/EventsAndStayAlive?sdKey=x", nil)
	w := &nopWriter{h: http.Header{}}
	var h http.Handler = okHandler
	b.ReportAllocs()
	for range b.N {
		h.ServeHTTP(w, req)
	}
}
