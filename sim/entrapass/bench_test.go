package entrapass

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// discard is a ResponseWriter that counts and drops the body, so the
// benchmark measures the server, not a recorder's buffer.
type discard struct {
	h http.Header
	n int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkEventsAnswer measures the Events answer: 1000 journaled events
// (access granted and denied, door events), one Events poll per iteration
// through the handler, the session's cursor moved back after each poll so
// every poll encodes the same 1000 rows, each event in its own second so
// that every row formats its dates. Target: 300,000 rows/s per core.
func BenchmarkEventsAnswer(b *testing.B) {
	const events = 1000
	sf := sim.DefaultSite()
	w, err := sim.New(sf)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(w, WithEventBatch(events))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()

	login := &discard{h: http.Header{}}
	rec := &recorder{discard: login}
	h.ServeHTTP(rec, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/SmartService/Login", RawQuery: "userName=pacsim&password=pacsim"}, Header: http.Header{}})
	key := sessionKeyRE.FindStringSubmatch(string(rec.body))[1]
	sess, fault := srv.sessions.get(key, w.Now())
	if fault != nil {
		b.Fatal(fault)
	}
	start := sess.cursor.Position()

	cards := []string{"100:1001", "100:1002", "100:9999", "100:1033"}
	readers := []sim.ID{rdFrontIn, rdOffice, rdShopIn, rdFrontOut}
	// Every event in its own second, the worst case for the encoder's
	// date cache.
	clk := w.Clock().(*sim.ManualClock)
	for i := 0; w.Journal().Last()-start < events; i++ {
		clk.Advance(time.Second)
		if i%10 == 9 {
			if _, err := w.OpenDoor(doorServer); err == nil {
				w.CloseDoor(doorServer)
			}
			continue
		}
		w.PresentCard(readers[i%len(readers)], cards[i%len(cards)], "")
	}
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/SmartService/Events", RawQuery: "sdKey=" + key}, Header: http.Header{}}
	out := &discard{h: http.Header{}}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sess.mu.Lock()
		sess.cursor.Seek(start)
		sess.mu.Unlock()
		out.n = 0
		h.ServeHTTP(out, req)
	}
	b.StopTimer()
	if out.n < events*400 {
		b.Fatalf("answer of %d bytes for %d events", out.n, events)
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(out.n), "bytes/answer")
}

// recorder keeps the body, for the login of the benchmark.
type recorder struct {
	*discard
	body []byte
}

func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }
