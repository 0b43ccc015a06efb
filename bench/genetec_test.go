package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/genetec"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// Benchmarks of the simulated Genetec Security Center's event stream
// (sim/genetec):
//
//	card presented in the world → journal → GET /WebSdk/events, one chunked
//	--GENETECBOUNDARY text/json part per event → a client reading the stream
//
// Targets (issue): the stream stage at least 300,000 events/s on one core
// with at most 2 allocations per event; the whole path at a steady 10,000
// events/s, p99 from the stimulus to the client having read that event's
// part at most 10 ms. Run:
//
//	go test -run='^$' -bench=GenetecStreamStage -benchmem -cpu=1 -count=3 ./bench/
//	go test -run='^$' -bench=GenetecWholePathLatency -benchmem -benchtime=100000x -count=3 ./bench/
//
// Results: RESULTS.md ("Genetec Web SDK event stream").
//
// The client subscribes to event(Door,AccessGranted),event(Door,AccessRefused)
// as admin through the development application, then opens the stream in
// the same session (a session is a user and an application). The card is
// 200:2001, Ada Lovelace's badge, which only Security Center knows (the
// genetec section of the default site), so every presentation is decided
// by the Web SDK's database and journals exactly one access event, hence
// exactly one part.

const (
	// gtCard is Ada Lovelace's badge (Contractors: every door, always).
	gtCard = "200:2001"
	// gtReader is the Front Door's entry reader.
	gtReader = sim.ID(30)
	// gtSubscriptions is what the client subscribes to.
	gtSubscriptions = "event(Door,AccessGranted),event(Door,AccessRefused)"
	// gtWindow bounds how far the stage's producer runs ahead of what the
	// client has read: far below the journal's retention (1,000,000), so
	// the stream never loses events to the ring wrapping, which would
	// leave the benchmark waiting for parts that never come.
	gtWindow = 65_536
	// gtChunk is how many events the producer makes between looks at the
	// window; the stream reads the journal 1024 events at a time.
	gtChunk = 1024
	// gtSiteStep is the site time between the stage's journaled events:
	// 10,000 events/s of site time, so the timestamps' seconds and
	// fractions change as on a live site.
	gtSiteStep = 100 * time.Microsecond
	// gtStall is how long a benchmark waits without a part before it
	// gives up.
	gtStall = 10 * time.Second
)

// gtRate is the presentation rate of BenchmarkGenetecWholePathLatency.
var gtRate = flag.Int("genetec.rate", 10_000, "card presentations per second in BenchmarkGenetecWholePathLatency")

// gtAuth is admin through Genetec's development application (user;app:password).
var gtAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte("admin;"+sim.GenetecDevAppID+":pacsim"))

var (
	gtBoundary = []byte(wire.Boundary)
	gtNewline  = []byte{'\n'}
)

// gtSite is the default site (both head-ends, as pacsim serves it) with
// its journal full to retention: the steady state of a long-running site,
// where appending never grows the ring.
type gtSite struct {
	w  *sim.World
	gs *genetec.Server
	h  http.Handler
}

// newGenetecSite builds it on clock; nil is the site's manual clock, which
// stays at the site file's start (the stage's events carry their own time).
func newGenetecSite(tb testing.TB, clock sim.Clock) *gtSite {
	tb.Helper()
	w, err := sim.New(sim.DefaultSite(), sim.WithClock(clock))
	if err != nil {
		tb.Fatal(err)
	}
	worldFill(w.Journal())
	ep, err := epsim.New(w)
	if err != nil {
		tb.Fatal(err)
	}
	gs, err := genetec.New(w)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		gs.Close()
		ep.Close()
	})
	return &gtSite{w: w, gs: gs, h: gs.Handler()}
}

// serve serves the Web SDK on 127.0.0.1 and returns its base URL.
func (s *gtSite) serve(tb testing.TB) string {
	ts := httptest.NewServer(s.h)
	tb.Cleanup(func() {
		s.gs.Close() // ends the open streams, which ts.Close waits for
		ts.Close()
	})
	return ts.URL
}

// gtRequest is a Web SDK GET as admin, asking for text/json: target is a
// URL for a client, a path for the handler.
func gtRequest(ctx context.Context, target string) *http.Request {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		panic(err) // the targets are the benchmarks' own constants
	}
	req.Header.Set("Authorization", gtAuth)
	req.Header.Set("Accept", "text/json")
	return req
}

const gtSubscribePath = "/WebSdk/events/subscribe?q="

// gtSubscribed checks a subscribe answer.
func gtSubscribed(tb testing.TB, code int, body []byte) {
	tb.Helper()
	if code != http.StatusOK || !bytes.Contains(body, []byte(`"Status":"Ok"`)) {
		tb.Fatalf("subscribe: %d %.300s", code, body)
	}
}

// subscribeHandler subscribes through the handler, in process.
func (s *gtSite) subscribeHandler(tb testing.TB) {
	tb.Helper()
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, gtRequest(context.Background(), gtSubscribePath+url.QueryEscape(gtSubscriptions)))
	gtSubscribed(tb, rec.Code, rec.Body.Bytes())
}

// gtSubscribeHTTP subscribes over HTTP.
func gtSubscribeHTTP(tb testing.TB, c *http.Client, base string) {
	tb.Helper()
	resp, err := c.Do(gtRequest(context.Background(), base+gtSubscribePath+url.QueryEscape(gtSubscriptions)))
	if err != nil {
		tb.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		tb.Fatal(err)
	}
	gtSubscribed(tb, resp.StatusCode, body)
}

// gtStream is a client's open GET /WebSdk/events over loopback, read the
// way a client that keeps up would: line by line from a buffered reader,
// without copying (ReadSlice), so the client adds no allocation per part.
type gtStream struct {
	br     *bufio.Reader
	body   io.Closer
	cancel context.CancelFunc
}

// openGenetecStream opens the stream and reads its ConnectionId line: once
// that is read, the server's cursor is placed, and every event journaled
// from then on reaches this client.
func openGenetecStream(tb testing.TB, c *http.Client, base string) *gtStream {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := c.Do(gtRequest(ctx, base+"/WebSdk/events"))
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	st := &gtStream{br: bufio.NewReaderSize(resp.Body, 64<<10), body: resp.Body, cancel: cancel}
	tb.Cleanup(func() {
		st.cancel()
		st.body.Close()
	})
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/json") {
		tb.Fatalf("GET /WebSdk/events: %d %q", resp.StatusCode, ct)
	}
	line, err := st.br.ReadSlice('\n')
	if err != nil || !bytes.HasPrefix(line, []byte("ConnectionId:")) {
		tb.Fatalf("the stream starts with %q (%v), want ConnectionId:…", line, err)
	}
	return st
}

// part reads up to the end of the next part (boundary, Content-type, data
// line) and returns its data line, valid until the next read. Lines
// between parts (KeepAlive) are skipped.
func (st *gtStream) part() ([]byte, error) {
	for state := 0; ; {
		line, err := st.br.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		switch {
		case state == 0 && bytes.HasPrefix(line, gtBoundary):
			state = 1
		case state == 1: // Content-type: text/json
			state = 2
		case state == 2:
			return line, nil
		}
	}
}

// gtCheckPart checks that the data line of a part is an access event on a
// door, read at a reader, and returns the reader's GUID.
func gtCheckPart(line []byte) (string, error) {
	var env struct {
		Rsp struct {
			Status string
			Result struct{ EventType, SourceGuid, DoorGuid, ReaderGuid string }
		}
	}
	if err := json.Unmarshal(line, &env); err != nil {
		return "", fmt.Errorf("part %.300q: %v", line, err)
	}
	r := env.Rsp.Result
	if env.Rsp.Status != "Ok" || (r.EventType != "AccessGranted" && r.EventType != "AccessRefused") ||
		r.DoorGuid == "" || r.SourceGuid != r.DoorGuid || r.ReaderGuid == "" {
		return "", fmt.Errorf("part %.300q: not an access event on a door", line)
	}
	return r.ReaderGuid, nil
}

// gtPipe runs a producer of n events against a consumer of their parts:
// the producer in a goroutine of its own, at most gtWindow events ahead of
// the consumer; the benchmark's goroutine waits until the consumer has
// seen n parts, and fails the benchmark if nothing moves for gtStall.
type gtPipe struct {
	n        int64
	consumed atomic.Int64
	progress chan struct{} // the consumer moved
	done     chan struct{} // the consumer saw n parts
	abort    chan struct{} // the benchmark gave up
	failed   chan error
	once     sync.Once
}

func newGtPipe(n int) *gtPipe {
	return &gtPipe{n: int64(n), progress: make(chan struct{}, 1), done: make(chan struct{}),
		abort: make(chan struct{}), failed: make(chan error, 1)}
}

// advance records that the consumer has seen c parts in all.
func (p *gtPipe) advance(c int64) {
	p.consumed.Store(c)
	select {
	case p.progress <- struct{}{}:
	default:
	}
	if c >= p.n {
		p.once.Do(func() { close(p.done) })
	}
}

func (p *gtPipe) fail(err error) {
	select {
	case p.failed <- err:
	default:
	}
}

// produce calls next(i) for every event i of the run, in a goroutine,
// looking at the window every gtChunk events.
func (p *gtPipe) produce(next func(i int) error) {
	go func() {
		for i := 0; i < int(p.n); {
			for int64(i)-p.consumed.Load() >= gtWindow {
				select {
				case <-p.progress:
				case <-p.abort:
					return
				}
			}
			for end := min(i+gtChunk, int(p.n)); i < end; i++ {
				if err := next(i); err != nil {
					p.fail(err)
					return
				}
			}
		}
	}()
}

// wait waits until the consumer has seen every part.
func (p *gtPipe) wait(b *testing.B) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last, since := p.consumed.Load(), time.Now()
	for {
		select {
		case <-p.done:
			return
		case err := <-p.failed:
			close(p.abort)
			b.Fatal(err)
		case <-tick.C:
			if c := p.consumed.Load(); c != last {
				last, since = c, time.Now()
			} else if time.Since(since) > gtStall {
				close(p.abort)
				b.Fatalf("no part for %v: %d of %d read", gtStall, c, p.n)
			}
		}
	}
}

// gtTemplate presents the card once and returns the event it journaled,
// for the stage to append copies of.
func (s *gtSite) gtTemplate(tb testing.TB) sim.Event {
	tb.Helper()
	p, err := s.w.PresentCard(gtReader, gtCard, "")
	if err != nil {
		tb.Fatal(err)
	}
	e, ok := s.w.Journal().Get(p.Seq)
	if !ok {
		tb.Fatalf("event %d not in the journal", p.Seq)
	}
	return e
}

// producer makes event i of a stage run. With present set it presents the
// card, as a live site would (the world's decision and PresentCard's own
// allocations are then in the figures); otherwise it appends a copy of the
// presentation's journaled event, gtSiteStep of site time after the
// previous one, which costs about 15 ns and nothing allocated
// (BenchmarkJournalAppend): what is left is the stream stage.
func (s *gtSite) producer(tmpl sim.Event, present bool) func(i int) error {
	if present {
		return func(int) error {
			_, err := s.w.PresentCard(gtReader, gtCard, "")
			return err
		}
	}
	j, t0 := s.w.Journal(), tmpl.Time
	return func(i int) error {
		e := tmpl
		e.Time = t0.Add(time.Duration(i+1) * gtSiteStep)
		j.Append(e)
		return nil
	}
}

// BenchmarkGenetecStreamStage: the event stream, world journal → chunked
// text/json parts. One op is one journaled access event, hence one part,
// so allocs/op is allocations per event (and allocs/event the exact
// fraction: all goroutines, runtime.MemStats.Mallocs over the timed part).
// The stream is opened and one part read before the timer starts; the
// producer runs at most gtWindow events ahead of the consumer.
//
// /server: the Web SDK's handler serving the stream into a response writer
// that counts the parts and discards them (a Flusher, as the stream
// requires), in a goroutine, no HTTP: the stage alone, plus the journal's
// Append and the count.
//
// /http: the same stream served over loopback HTTP (httptest on 127.0.0.1)
// to a client reading it line by line: the stage plus the transport, the
// chunked encoding and the client's read.
//
// /http+present: /http, the events made by PresentCard instead of copied
// into the journal: the world's share (decision by the Web SDK's database,
// the door's grant, the event built) is added.
//
// Run with -cpu=1: the target is for one core, and there every goroutine
// (producer, handler, client) shares it.
func BenchmarkGenetecStreamStage(b *testing.B) {
	b.Run("server", gtStageServer)
	b.Run("http", func(b *testing.B) { gtStageHTTP(b, false) })
	b.Run("http+present", func(b *testing.B) { gtStageHTTP(b, true) })
}

func gtStageHTTP(b *testing.B, present bool) {
	s := newGenetecSite(b, nil)
	base := s.serve(b)
	c := httpClient()
	defer c.CloseIdleConnections()
	gtSubscribeHTTP(b, c, base)
	st := openGenetecStream(b, c, base)
	tmpl := s.gtTemplate(b)
	line, err := st.part()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gtCheckPart(line); err != nil {
		b.Fatal(err)
	}
	p := newGtPipe(b.N)
	// The consumer: the client reads parts until it has b.N of them.
	go func() {
		for i := int64(1); i <= p.n; i++ {
			if _, err := st.part(); err != nil {
				p.fail(fmt.Errorf("after %d parts: %w", i-1, err))
				return
			}
			if i%256 == 0 || i == p.n {
				p.advance(i)
			}
		}
	}()
	next := s.producer(tmpl, present)

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	p.produce(next)
	p.wait(b)
	b.StopTimer()
	eventReport(b, b.N, ac)
}

// gtDiscard is a response writer that counts the stream's parts and keeps
// nothing (except while keep is set, for the warm-up's check). It counts
// lines, not boundaries: bytes.Count of one byte is vectorised, while
// counting "--GENETECBOUNDARY" stops at every '-' of the GUIDs; in a first
// version that cost about 260 ns a part, as much again as the handler.
type gtDiscard struct {
	h         http.Header
	parts     atomic.Int64
	pipe      atomic.Pointer[gtPipe]
	base      int64 // parts before the pipe was set
	connected chan struct{}
	wrote     chan struct{}
	once      sync.Once

	keep atomic.Bool
	mu   sync.Mutex
	kept []byte
}

func (d *gtDiscard) Header() http.Header { return d.h }
func (d *gtDiscard) WriteHeader(int)     {}
func (d *gtDiscard) Flush()              {}

func (d *gtDiscard) Write(b []byte) (int, error) {
	if d.keep.Load() {
		d.mu.Lock()
		d.kept = append(d.kept, b...)
		d.mu.Unlock()
	}
	first := false
	d.once.Do(func() { first = true; close(d.connected) })
	if first || string(b) == wire.KeepAlive {
		return len(b), nil // the ConnectionId line, or silence
	}
	// Every other write is whole parts of three lines each (boundary,
	// Content-type, data; escaping keeps the data on one line).
	if n := bytes.Count(b, gtNewline) / 3; n > 0 {
		total := d.parts.Add(int64(n))
		if p := d.pipe.Load(); p != nil {
			p.advance(total - d.base)
		} else {
			select {
			case d.wrote <- struct{}{}:
			default:
			}
		}
	}
	return len(b), nil
}

func gtStageServer(b *testing.B) {
	s := newGenetecSite(b, nil)
	s.subscribeHandler(b)
	d := &gtDiscard{h: http.Header{}, connected: make(chan struct{}), wrote: make(chan struct{}, 1)}
	d.keep.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		s.h.ServeHTTP(d, gtRequest(ctx, "/WebSdk/events"))
	}()
	defer func() {
		cancel()
		<-served
	}()
	gtAwait(b, d.connected, "the stream's ConnectionId")
	if ct := d.h.Get("Content-Type"); !strings.HasPrefix(ct, "text/json") {
		b.Fatalf("the stream is %q", ct)
	}
	tmpl := s.gtTemplate(b)
	gtAwait(b, d.wrote, "the warm-up part")
	d.keep.Store(false)
	d.mu.Lock()
	kept := d.kept
	d.mu.Unlock()
	// kept: ConnectionId, then the part's boundary, Content-type and data lines.
	lines := bytes.Split(kept, []byte("\r\n"))
	if len(lines) < 4 || !bytes.Equal(lines[1], gtBoundary) || d.parts.Load() != 1 {
		b.Fatalf("the stream wrote %q", kept)
	}
	if _, err := gtCheckPart(lines[3]); err != nil {
		b.Fatal(err)
	}
	p := newGtPipe(b.N)
	d.base = d.parts.Load() // no write can be under way: nothing was journaled since
	d.pipe.Store(p)
	next := s.producer(tmpl, false)

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	p.produce(next)
	p.wait(b)
	b.StopTimer()
	eventReport(b, b.N, ac)
	if got := d.parts.Load() - d.base; got != int64(b.N) {
		b.Fatalf("%d parts for %d events", got, b.N)
	}
}

// gtAwait waits for c, at most gtStall.
func gtAwait(tb testing.TB, c <-chan struct{}, what string) {
	tb.Helper()
	t := time.NewTimer(gtStall)
	defer t.Stop()
	select {
	case <-c:
	case <-t.C:
		tb.Fatalf("no %s after %v", what, gtStall)
	}
}

// BenchmarkGenetecWholePathLatency: the whole path at a steady rate
// (-genetec.rate, default 10,000 presentations/s): the card presented
// round the eight entry readers of the default site, on the wall clock
// (sim.RealClock), served over loopback HTTP to a client reading the
// stream. The latency of an event is from just before its PresentCard to
// just after the client has read the data line of its part; parts come in
// journal order, so the i-th part read is the i-th presentation (checked:
// each part names the reader its presentation was at). Reported: p50,
// p99 and max in ms, the rate achieved and allocs/event (world, server
// and client together). One op is one presentation, so ns/op is the
// pacing, not a cost. Run with -benchtime=100000x (10 s at 10,000/s).
//
// The producer wakes every millisecond and presents what is due by then
// (10 cards a tick at 10,000/s; more after a late tick, to keep the rate).
func BenchmarkGenetecWholePathLatency(b *testing.B) {
	rate := *gtRate
	if rate <= 0 {
		b.Fatalf("-genetec.rate %d", rate)
	}
	s := newGenetecSite(b, sim.RealClock{})
	base := s.serve(b)
	c := httpClient()
	defer c.CloseIdleConnections()
	gtSubscribeHTTP(b, c, base)
	st := openGenetecStream(b, c, base)

	// One presentation per reader first: checks the parts, learns each
	// reader's GUID for the pairing check, and warms the path.
	readers := worldReaders
	guids := make([][]byte, len(readers))
	for k, r := range readers {
		if _, err := s.w.PresentCard(r, gtCard, ""); err != nil {
			b.Fatal(err)
		}
		line, err := st.part()
		if err != nil {
			b.Fatal(err)
		}
		g, err := gtCheckPart(line)
		if err != nil {
			b.Fatal(err)
		}
		guids[k] = []byte(`"ReaderGuid":"` + g + `"`)
	}

	sent := make([]atomic.Int64, b.N) // ns from epoch, just before PresentCard
	lat := make([]time.Duration, b.N) // written by the consumer only
	var mismatched atomic.Int64       // parts not from their presentation's reader
	epoch := time.Now()
	p := newGtPipe(b.N)
	go func() {
		for i := range lat {
			line, err := st.part()
			if err != nil {
				p.fail(fmt.Errorf("after %d parts: %w", i, err))
				return
			}
			lat[i] = time.Since(epoch) - time.Duration(sent[i].Load())
			if !bytes.Contains(line, guids[i%len(guids)]) {
				mismatched.Add(1)
			}
			p.advance(int64(i + 1))
		}
	}()

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		start := time.Now()
		for i := 0; i < b.N; {
			due := min(b.N, 1+int(time.Since(start).Seconds()*float64(rate)))
			for ; i < due; i++ {
				sent[i].Store(int64(time.Since(epoch)))
				if _, err := s.w.PresentCard(readers[i%len(readers)], gtCard, ""); err != nil {
					p.fail(err)
					return
				}
			}
			select {
			case <-tick.C:
			case <-p.abort:
				return
			}
		}
	}()
	p.wait(b)
	b.StopTimer()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.Mallocs-ac.before)/float64(b.N), "allocs/event")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if n := mismatched.Load(); n != 0 {
		b.Fatalf("%d of %d parts are not from their presentation's reader", n, b.N)
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(gtQuantile(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(gtQuantile(lat, 0.99)), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

// gtQuantile is the q-quantile of sorted (nearest rank).
func gtQuantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
