package bench

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"math/bits"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/internal/metrics"
	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
)

// Benchmarks of the event path (SPEC §10, issues #4 and #7):
//
//	stimulus in the world → journal → SmartService Events XML over loopback
//	HTTP → driver parse → asset status → workflow event on the bus
//
// one benchmark per stage and one for the whole path, each beside a
// baseline that only moves or tokenises the same bytes. One op is one
// journaled event, so ns/op is ns/event; each benchmark also reports
// events/s, allocs/event (exact: runtime.MemStats.Mallocs over the timed
// part divided by the events) and x-baseline, its time per event divided by
// its baseline's on the same bytes: the stages and their baselines timed
// alternately, batch by batch, after the timed run (pairedRatio), the whole
// path's baseline timed right after it. Run:
//
//	go test -run='^$' -bench='Stage|Whole|Baseline' -benchmem -cpu=1,2 ./bench/
//
// Targets: the whole path at least 100,000 events/s over loopback on two
// cores (aim for 250,000); the driver stage at most 1.5× its baseline, at
// least 200,000 events/s and at most 4 allocations per event. Results:
// RESULTS.md.
//
// The stimulus is a card passage at the Front Door (door 20): card 100:1001
// (Alice Martin, Full Access) presented at its entry reader 30 and granted,
// the door opened, the door closed and relocked: three journaled events,
// "Access granted", "Door opened", "Door closed". The driver turns each
// grant into two Last Access Events (door/20 and reader/20); door rows are
// parsed and delivered but publish nothing (door statuses come from the
// state rows). The site clock moves 1 ms per passage, so an answer of 1000
// rows spans a third of a second of site time.

// pathBatch is the Events batch: SmartService's default, 1000 rows.
const pathBatch = 1000

// pathCycle is how many events the whole path's driver reads a cycle, at
// least.
const pathCycle = 10_000

// Default-site IDs of the passage.
const (
	pathReader = sim.ID(30)
	pathDoor   = sim.ID(20)
	pathCard   = "100:1001"
)

// pathSite is the default site on its manual clock, with the simulated
// SmartService served on 127.0.0.1.
type pathSite struct {
	w     *sim.World
	clk   *sim.ManualClock
	srv   *epsim.Server
	ts    *httptest.Server
	phase int // of the passage: 0 present the card, 1 open, 2 close
	made  int // events made by stimulate
	// reg holds the head-end request metrics when metered (else nil).
	reg *prometheus.Registry
}

// eventsPolls is how many Events requests the head-end request metrics
// counted (the site metered).
func (s *pathSite) eventsPolls(tb testing.TB) float64 {
	fams, err := s.reg.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	n := 0.0
	for _, f := range fams {
		if f.GetName() != "pacsim_headend_requests_total" {
			continue
		}
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if l.GetName() == "route" && l.GetValue() == "/smartservice/events" {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}

// newPathSite builds the site. With full set, the journal (default
// retention, 1,000,000) is filled first, as in the world benchmarks: the
// steady state of a long-running site.
func newPathSite(tb testing.TB, full bool) *pathSite { return newPathSiteMetered(tb, full, false) }

// newPathSiteMetered is newPathSite; with metered, SmartService's requests
// go through the head-end request metrics as `pacsim serve` serves them
// (pacsim_headend_requests_total and its duration histogram, by route
// template).
func newPathSiteMetered(tb testing.TB, full, metered bool) *pathSite {
	tb.Helper()
	w, err := sim.New(sim.DefaultSite())
	if err != nil {
		tb.Fatal(err)
	}
	if full {
		worldFill(w.Journal())
	}
	srv, err := epsim.New(w)
	if err != nil {
		tb.Fatal(err)
	}
	s := &pathSite{w: w, clk: w.Clock().(*sim.ManualClock), srv: srv}
	h := srv.Handler()
	if metered {
		s.reg = prometheus.NewRegistry()
		h = metrics.NewRequests(s.reg).Wrap("entrapass", metrics.RouteOf(srv.Router(), true), h)
	}
	s.ts = httptest.NewServer(h) // 127.0.0.1
	tb.Cleanup(func() {
		s.ts.Close()
		srv.Close()
	})
	return s
}

// stimulate journals n events of card passages.
func (s *pathSite) stimulate(tb testing.TB, n int) {
	if err := s.passages(n); err != nil {
		tb.Fatal(err)
	}
}

// passages journals n events of card passages, stopping at an error.
func (s *pathSite) passages(n int) error {
	for ; n > 0; n-- {
		var err error
		switch s.phase {
		case 0:
			var p sim.Presented
			if p, err = s.w.PresentCard(pathReader, pathCard, ""); err == nil && !p.Granted {
				err = fmt.Errorf("card %s denied: %v", pathCard, p.Reason)
			}
		case 1:
			_, err = s.w.OpenDoor(pathDoor)
		default:
			_, err = s.w.CloseDoor(pathDoor)
			s.clk.Advance(time.Millisecond)
		}
		if err != nil {
			return err
		}
		s.phase = (s.phase + 1) % 3
		s.made++
	}
	return nil
}

// grants returns how many of the events made so far are grants.
func (s *pathSite) grants() int { return (s.made + 2) / 3 }

// loginKey logs in through h (plain login) and returns the session key.
func loginKey(tb testing.TB, get func(path string) []byte) string {
	tb.Helper()
	body := string(get("/SmartService/Login?userName=pacsim&password=pacsim"))
	i := strings.Index(body, "<SessionKey>")
	j := strings.Index(body, "</SessionKey>")
	if i < 0 || j < i {
		tb.Fatalf("login: %.200s", body)
	}
	return body[i+len("<SessionKey>") : j]
}

// handlerGet answers a GET through a handler, in process.
func handlerGet(h http.Handler) func(string) []byte {
	return func(path string) []byte {
		u, _ := url.Parse(path)
		var rec bodyWriter
		h.ServeHTTP(&rec, &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}})
		return rec.buf
	}
}

// bodyWriter is a ResponseWriter that keeps the body in a reusable buffer.
type bodyWriter struct {
	h   http.Header
	buf []byte
}

func (w *bodyWriter) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}
func (w *bodyWriter) Write(b []byte) (int, error) { w.buf = append(w.buf, b...); return len(b), nil }
func (w *bodyWriter) WriteHeader(int)             {}

// httpClient is a keep-alive client like the driver's own (a clone of
// http.DefaultTransport).
func httpClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	return &http.Client{Transport: tr}
}

// fetch GETs u into buf (reset first), as the benchmark's poll.
func fetch(tb testing.TB, c *http.Client, u string, buf *bytes.Buffer) {
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET: %v %d", err, resp.StatusCode)
	}
}

// clientGet answers a GET over HTTP.
func clientGet(tb testing.TB, c *http.Client, base string) func(string) []byte {
	return func(path string) []byte {
		var buf bytes.Buffer
		fetch(tb, c, base+path, &buf)
		return buf.Bytes()
	}
}

// rowCount counts the rows of an Events answer.
func rowCount(doc []byte) int { return bytes.Count(doc, []byte("<SmartLinkDataRow>")) }

// answers holds an Events answer of pathBatch rows and, made on demand,
// the same cut to its first k rows, for the last batch of a run. Safe for
// concurrent use (the baseline server's handlers read it).
type answers struct {
	full  []byte
	ends  []int // the offset after each row of full
	mu    sync.Mutex
	short map[int][]byte
}

func newAnswers(full []byte) *answers {
	a := &answers{full: full, short: map[int][]byte{}}
	end := []byte("</SmartLinkDataRow>")
	for i := 0; ; {
		j := bytes.Index(full[i:], end)
		if j < 0 {
			break
		}
		i += j + len(end)
		a.ends = append(a.ends, i)
	}
	return a
}

// warm makes the answer of the last batch of a run of events beforehand.
func (a *answers) warm(events int) {
	if k := events % pathBatch; k > 0 {
		a.rows(k)
	}
}

// rows returns the answer of the first k rows (1 ≤ k ≤ pathBatch).
func (a *answers) rows(k int) []byte {
	if k == pathBatch {
		return a.full
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if d, ok := a.short[k]; ok {
		return d
	}
	d := append(append([]byte(nil), a.full[:a.ends[k-1]]...), "</ArrayOfSmartLinkDataRow>"...)
	a.short[k] = d
	return d
}

// captureAnswer journals pathBatch passage events on s and returns the
// Events answer the SmartService gives for them (a session of its own).
func captureAnswer(tb testing.TB, s *pathSite) *answers {
	tb.Helper()
	get := handlerGet(s.srv.Handler())
	key := loginKey(tb, get)
	s.stimulate(tb, pathBatch)
	doc := get("/SmartService/Events?sdKey=" + key)
	if n := rowCount(doc); n != pathBatch {
		tb.Fatalf("captured %d rows, want %d", n, pathBatch)
	}
	get("/SmartService/Logout?sdKey=" + key)
	return newAnswers(doc)
}

// tokenize is the baseline tokeniser: the fastest way found to find every
// token of an XML document as a scanner does (each piece of markup from '<'
// to '>', and the text between). It looks for '<' and '>' eight bytes at a
// time (SWAR: a word's bytes compared at once with bit arithmetic, exact,
// no false positives) and visits each one found; on the Events answers it
// is twice as fast as a loop of bytes.IndexByte (tokenizeIndexByte), which
// is vectorised but called twice per token, and tokens are short (about 9
// bytes here). It returns the number of tokens and of text bytes.
func tokenize(doc []byte) (tokens, text int) {
	const (
		ones = 0x0101010101010101
		low7 = 0x7f7f7f7f7f7f7f7f
		high = 0x8080808080808080
	)
	start, in := 0, false
	i := 0
	for ; i+8 <= len(doc); i += 8 {
		w := binary.LittleEndian.Uint64(doc[i:])
		x, y := w^(ones*'<'), w^(ones*'>')
		// Bit 7 of a byte of zx (zy) is clear iff that byte of x (y) is 0.
		zx, zy := ((x&low7)+low7)|x, ((y&low7)+low7)|y
		for m := ^(zx & zy) & high; m != 0; m &= m - 1 {
			p := i + bits.TrailingZeros64(m)>>3
			if doc[p] == '<' {
				if p > start {
					tokens++
					text += p - start
				}
				in = true
			} else if in {
				tokens++
				in = false
				start = p + 1
			}
		}
	}
	for ; i < len(doc); i++ {
		switch {
		case doc[i] == '<':
			if i > start {
				tokens++
				text += i - start
			}
			in = true
		case doc[i] == '>' && in:
			tokens++
			in = false
			start = i + 1
		}
	}
	if !in && len(doc) > start {
		tokens++
		text += len(doc) - start
	}
	return tokens, text
}

// tokenizeIndexByte is tokenize with bytes.IndexByte: find '<', then '>'.
func tokenizeIndexByte(doc []byte) (tokens, text int) {
	for {
		i := bytes.IndexByte(doc, '<')
		if i < 0 {
			if len(doc) > 0 {
				tokens++
				text += len(doc)
			}
			return tokens, text
		}
		if i > 0 {
			tokens++
			text += i
		}
		doc = doc[i+1:]
		j := bytes.IndexByte(doc, '>')
		if j < 0 {
			return tokens, text
		}
		tokens++
		doc = doc[j+1:]
	}
}

// sink keeps results alive.
var sink int

// batches calls fn for each batch of the run: events split into batches of
// pathBatch rows.
func batches(events int, fn func(rows int)) {
	for done := 0; done < events; {
		k := min(pathBatch, events-done)
		fn(k)
		done += k
	}
}

// eventReport reports events/s, ns/event and allocs/event over the timed
// part of the benchmark. Call it with the timer stopped, right after the
// timed loop, before anything else allocates.
// processCPU is the CPU time the process has used, user and system, every
// thread: on a shared machine it counts what the path cost, where the wall
// time also counts the waits for a core that other work holds.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func eventReport(b *testing.B, events int, ac allocCounter) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.Mallocs-ac.before)/float64(events), "allocs/event")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
}

// pairedRatio is a stage's time over its baseline's on the same bytes. On
// a shared machine the load changes from one second to the next, so the
// two are not timed one after the other: they run alternately, a batch of
// pathBatch events each, and the ratio is the median of the rounds'
// ratios. prep, when set, runs untimed before each stage batch (the
// stimulus). Rounds: about a quarter of the events the benchmark ran, at
// least 9, at most 201.
func pairedRatio(events int, prep, stage, base func()) float64 {
	rounds := min(max(events/pathBatch/4, 9), 201)
	ratios := make([]float64, 0, rounds)
	for r := 0; r < rounds; r++ {
		if prep != nil {
			prep()
		}
		var ts, tb time.Duration
		if r%2 == 0 { // alternate which goes first
			t0 := time.Now()
			stage()
			t1 := time.Now()
			base()
			ts, tb = t1.Sub(t0), time.Since(t1)
		} else {
			t0 := time.Now()
			base()
			t1 := time.Now()
			stage()
			tb, ts = t1.Sub(t0), time.Since(t1)
		}
		ratios = append(ratios, float64(ts)/float64(tb))
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// --- Stage 1: journal → Events XML -----------------------------------------

// BenchmarkStageJournalToXML: the SmartService's Events answer for journaled
// events: a session polls GET Events through the handler (in process, no
// HTTP), 1000 rows a poll, into a reused buffer. The stimuli run with the
// timer stopped, 120,000 events at a time.
func BenchmarkStageJournalToXML(b *testing.B) {
	s := newPathSite(b, true)
	ans := captureAnswer(b, s)
	h := s.srv.Handler()
	key := loginKey(b, handlerGet(h))
	u, _ := url.Parse("/SmartService/Events?sdKey=" + key)
	req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
	out := &bodyWriter{buf: make([]byte, 0, 2*len(ans.full))}
	queued, served := 0, 0

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	for served < b.N {
		if queued == 0 {
			b.StopTimer()
			queued = min(120_000, b.N-served)
			s.stimulate(b, queued)
			b.StartTimer()
		}
		k := min(pathBatch, queued)
		out.buf = out.buf[:0]
		h.ServeHTTP(out, req)
		queued -= k
		served += k
	}
	b.StopTimer()
	eventReport(b, b.N, ac)
	out.buf = out.buf[:0]
	h.ServeHTTP(out, req)
	if n := rowCount(out.buf); n != 0 {
		b.Fatalf("%d rows left after the run", n)
	}
	dst := make([]byte, len(ans.full))
	b.ReportMetric(pairedRatio(b.N, func() { s.stimulate(b, pathBatch) },
		func() { out.buf = out.buf[:0]; h.ServeHTTP(out, req) },
		func() { baseXMLCopy(ans, dst, pathBatch) }), "x-baseline")
}

// baseXMLCopy copies the answer bytes of events into dst.
func baseXMLCopy(ans *answers, dst []byte, events int) {
	batches(events, func(k int) { sink += copy(dst, ans.rows(k)) })
}

// BenchmarkBaselineXMLCopy: the bytes of the Events answers of
// StageJournalToXML, copied into a buffer.
func BenchmarkBaselineXMLCopy(b *testing.B) {
	ans := captureAnswer(b, newPathSite(b, false))
	dst := make([]byte, len(ans.full))
	ans.warm(b.N)
	b.SetBytes(int64(len(ans.full) / pathBatch))
	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	baseXMLCopy(ans, dst, b.N)
	b.StopTimer()
	eventReport(b, b.N, ac)
}

// --- Stage 2: Events over loopback HTTP -------------------------------------

// BenchmarkStageLoopbackHTTP: GET Events over real loopback HTTP (a
// keep-alive client like the driver's, httptest server on 127.0.0.1), 1000
// rows a poll, the body read into a reused buffer. The server encodes the
// rows, so this is stage 1 plus the transport. The stimuli run with the
// timer stopped, 120,000 events at a time.
func BenchmarkStageLoopbackHTTP(b *testing.B) {
	s := newPathSite(b, true)
	ans := captureAnswer(b, s)
	c := httpClient()
	defer c.CloseIdleConnections()
	key := loginKey(b, clientGet(b, c, s.ts.URL))
	u := s.ts.URL + "/SmartService/Events?sdKey=" + key
	var buf bytes.Buffer
	buf.Grow(2 * len(ans.full))
	queued, served := 0, 0

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	for served < b.N {
		if queued == 0 {
			b.StopTimer()
			queued = min(120_000, b.N-served)
			s.stimulate(b, queued)
			b.StartTimer()
		}
		k := min(pathBatch, queued)
		fetch(b, c, u, &buf)
		queued -= k
		served += k
	}
	b.StopTimer()
	eventReport(b, b.N, ac)
	fetch(b, c, u, &buf)
	if n := rowCount(buf.Bytes()); n != 0 {
		b.Fatalf("%d rows left after the run", n)
	}
	bs := newBaseServer(b, ans)
	b.ReportMetric(pairedRatio(b.N, func() { s.stimulate(b, pathBatch) },
		func() { fetch(b, c, u, &buf) },
		func() { bs.serve(b, pathBatch, false) }), "x-baseline")
}

// baseServer serves the captured answers from a trivial handler: the
// headers the SmartService sets (Content-Type, Content-Length) and the
// bytes, in one Write.
type baseServer struct {
	ans *answers
	ts  *httptest.Server
	c   *http.Client
	buf bytes.Buffer
}

func newBaseServer(tb testing.TB, ans *answers) *baseServer {
	bs := &baseServer{ans: ans, c: httpClient()}
	bs.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, err := strconv.Atoi(r.URL.Query().Get("rows"))
		if err != nil || k < 1 || k > pathBatch {
			http.Error(w, "rows", http.StatusBadRequest)
			return
		}
		body := ans.rows(k)
		h := w.Header()
		h.Set("Content-Type", "application/xml; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	}))
	bs.buf.Grow(2 * len(ans.full))
	tb.Cleanup(func() {
		bs.c.CloseIdleConnections()
		bs.ts.Close()
	})
	return bs
}

// serve GETs the answers of events, reading each into a reused buffer, and
// tokenises each when tok is set.
func (bs *baseServer) serve(tb testing.TB, events int, tok bool) {
	full := bs.ts.URL + "/SmartService/Events?sdKey=0123456789abcdef0123456789abcdef&rows=1000"
	batches(events, func(k int) {
		u := full
		if k != pathBatch {
			u = bs.ts.URL + "/SmartService/Events?sdKey=0123456789abcdef0123456789abcdef&rows=" + strconv.Itoa(k)
		}
		fetch(tb, bs.c, u, &bs.buf)
		if tok {
			n, _ := tokenize(bs.buf.Bytes())
			sink += n
		}
	})
}

// BenchmarkBaselineHTTPServe: the bytes of StageLoopbackHTTP's answers,
// pre-built, served by a trivial handler over the same loopback and read the
// same way.
func BenchmarkBaselineHTTPServe(b *testing.B) {
	bs := newBaseServer(b, captureAnswer(b, newPathSite(b, false)))
	bs.serve(b, pathBatch, false) // connect
	b.SetBytes(int64(len(bs.ans.full) / pathBatch))
	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	bs.serve(b, b.N, false)
	b.StopTimer()
	eventReport(b, b.N, ac)
}

// --- Stage 3: the driver's ingest -------------------------------------------

// pathDriver is the EntraPass driver against a pathSite, past its first
// cycle (logged in, site discovered, states read), with one subscriber
// draining its bus.
type pathDriver struct {
	d   *entrapass.Driver
	sub *asset.Subscription

	access atomic.Int64 // Last Access Events received
	all    atomic.Int64 // workflow events received
	tick   chan struct{}
	done   chan struct{}
}

func newPathDriver(tb testing.TB, s *pathSite) *pathDriver {
	tb.Helper()
	host, port, _ := net.SplitHostPort(s.ts.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	d, err := entrapass.New(entrapass.Config{Host: host, Port: p, Username: "pacsim", Password: "pacsim"})
	if err != nil {
		tb.Fatal(err)
	}
	pd := &pathDriver{d: d, sub: d.Bus().Subscribe(1 << 16), tick: make(chan struct{}, 1), done: make(chan struct{})}
	if err := d.PollOnce(context.Background()); err != nil {
		tb.Fatal(err)
	}
	go pd.drain()
	tb.Cleanup(func() {
		d.Stop()
		d.Bus().Close()
		<-pd.done
	})
	return pd
}

// drain is the subscriber: it counts what it receives and ticks whenever it
// has caught up with the bus.
func (pd *pathDriver) drain() {
	defer close(pd.done)
	ch := pd.sub.Events()
	for e := range ch {
		if _, ok := e.(*asset.LastAccessEvent); ok {
			pd.access.Add(1)
		}
		pd.all.Add(1)
		if len(ch) == 0 {
			select {
			case pd.tick <- struct{}{}:
			default:
			}
		}
	}
}

// waitAccess waits until the subscriber has received n Last Access Events.
func (pd *pathDriver) waitAccess(tb testing.TB, n int64) {
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	for pd.access.Load() < n {
		select {
		case <-pd.tick:
		case <-t.C:
			tb.Fatalf("the subscriber received %d Last Access Events, want %d (dropped %d)", pd.access.Load(), n, pd.sub.Dropped())
		}
	}
}

// grantsIn is the number of grants among the first n rows of an answer
// that starts with one (rows: grant, opened, closed, …).
func grantsIn(n int) int { return (n + 2) / 3 }

// BenchmarkStageDriverIngest: the driver's ingest of Events answers: the
// XML parsed into events, checked against the delivered-events log, access
// rows mapped to their door and reader and published as Last Access Events
// on the bus, with one subscriber draining (the benchmark waits for it to
// have received every one). Fed the SmartService's own answer of 1000 rows
// through Driver.IngestEvents, so without the transport.
func BenchmarkStageDriverIngest(b *testing.B) {
	s := newPathSite(b, false)
	pd := newPathDriver(b, s)
	ans := captureAnswer(b, s)
	ctx := context.Background()
	if _, err := pd.d.IngestEvents(ctx, ans.rows(3)); err != nil { // looks the card up once
		b.Fatal(err)
	}
	pd.waitAccess(b, 2)
	ans.warm(b.N)
	want := pd.access.Load()

	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	batches(b.N, func(k int) {
		if _, err := pd.d.IngestEvents(ctx, ans.rows(k)); err != nil {
			b.Fatal(err)
		}
		want += 2 * int64(grantsIn(k))
	})
	pd.waitAccess(b, want)
	b.StopTimer()
	if d := pd.sub.Dropped(); d != 0 {
		b.Fatalf("%d events dropped", d)
	}
	eventReport(b, b.N, ac)
	b.ReportMetric(pairedRatio(b.N, nil, func() {
		if _, err := pd.d.IngestEvents(ctx, ans.full); err != nil {
			b.Fatal(err)
		}
		want += 2 * int64(grantsIn(pathBatch))
		pd.waitAccess(b, want)
	}, func() { baseTokenize(ans, pathBatch) }), "x-baseline")
}

func baseTokenize(ans *answers, events int) {
	batches(events, func(k int) {
		n, _ := tokenize(ans.rows(k))
		sink += n
	})
}

// BenchmarkBaselineTokenize: the bytes of StageDriverIngest's answers,
// tokenised by tokenize (/swar, the baseline). For comparison, /indexbyte
// tokenises them with tokenizeIndexByte, /encoding-xml with encoding/xml's
// RawToken, and /count only counts their '<' (not a tokeniser: a floor).
func BenchmarkBaselineTokenize(b *testing.B) {
	ans := captureAnswer(b, newPathSite(b, false))
	run := func(b *testing.B, fn func([]byte) int) {
		ans.warm(b.N)
		b.SetBytes(int64(len(ans.full) / pathBatch))
		b.ReportAllocs()
		ac := countAllocs()
		b.ResetTimer()
		batches(b.N, func(k int) { sink += fn(ans.rows(k)) })
		b.StopTimer()
		eventReport(b, b.N, ac)
	}
	b.Run("swar", func(b *testing.B) {
		run(b, func(doc []byte) int { n, _ := tokenize(doc); return n })
	})
	b.Run("indexbyte", func(b *testing.B) {
		run(b, func(doc []byte) int { n, _ := tokenizeIndexByte(doc); return n })
	})
	b.Run("encoding-xml", func(b *testing.B) {
		run(b, func(doc []byte) int { return xmlTokens(b, doc) })
	})
	b.Run("count", func(b *testing.B) {
		run(b, func(doc []byte) int { return bytes.Count(doc, []byte{'<'}) })
	})
}

// --- The whole path ------------------------------------------------------------

// BenchmarkWholePath: stimulus → journal → SmartService Events XML over
// loopback HTTP → the driver's poll cycle (States, then Events until an
// answer is not full) → Last Access Events received by a bus subscriber.
// The timer runs from the first stimulus until the subscriber has received
// the Last Access Events of every grant, and the driver has delivered every
// journaled event.
//
// A driver cycle reads pathCycle events or more: a poll every 100 ms (the
// driver's shortest interval) at 100,000 events/s. A cycle reads every
// event waiting, 1000 an answer, then an answer that is not full.
//
// /pipelined: the world and the driver run at once, as on a live site: one
// goroutine journals passages 1000 events at a time, at most 200,000 events
// ahead of what the driver delivered (the journal keeps 1,000,000), while
// the driver runs a cycle whenever pathCycle events are waiting (or the
// world is done).
//
// /sequential: one goroutine journals pathCycle events, then runs one
// driver cycle (10 full answers and an empty one), and so on: the sum of
// the stages' costs, with nothing overlapping.
//
// +metrics: the same, SmartService's requests counted and timed by the
// head-end request metrics as `pacsim serve` does (the world's event
// counts and the driver's are always on: they have no switch).
//
// Besides the wall time, cpu-ns/event is the process's CPU time (user and
// system, getrusage) over the timed part per event: what the path cost,
// without the waits for a core that other work on a shared machine adds.
func BenchmarkWholePath(b *testing.B) {
	b.Run("pipelined", func(b *testing.B) { wholePath(b, true, false) })
	b.Run("sequential", func(b *testing.B) { wholePath(b, false, false) })
	b.Run("pipelined+metrics", func(b *testing.B) { wholePath(b, true, true) })
	b.Run("sequential+metrics", func(b *testing.B) { wholePath(b, false, true) })
}

func wholePath(b *testing.B, pipelined, metered bool) {
	s := newPathSiteMetered(b, true, metered)
	pd := newPathDriver(b, s)
	ans := captureAnswer(b, s)
	ctx := context.Background()
	if err := pd.d.PollOnce(ctx); err != nil { // the captured rows
		b.Fatal(err)
	}
	pd.waitAccess(b, int64(2*s.grants()))
	base := pd.d.Stats().Delivered
	made0 := s.made
	all0 := pd.all.Load()
	// delivered is what the driver has delivered of this run's events.
	delivered := func() int { return int(pd.d.Stats().Delivered - base) }

	b.ReportAllocs()
	ac := countAllocs()
	cpu0 := processCPU()
	b.ResetTimer()
	if pipelined {
		wholePipelined(b, s, pd, delivered)
	} else {
		for done := 0; done < b.N; {
			k := min(pathCycle, b.N-done)
			s.stimulate(b, k)
			if err := pd.d.PollOnce(ctx); err != nil {
				b.Fatal(err)
			}
			done += k
		}
	}
	pd.waitAccess(b, int64(2*s.grants()))
	b.StopTimer()
	cpu := processCPU() - cpu0
	eventReport(b, b.N, ac)
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/event")
	if got := delivered(); got != b.N || s.made-made0 != b.N {
		b.Fatalf("made %d events, the driver delivered %d, want %d", s.made-made0, got, b.N)
	}
	if d := pd.sub.Dropped(); d != 0 {
		b.Fatalf("%d events dropped", d)
	}
	b.ReportMetric(float64(pd.all.Load()-all0)/b.Elapsed().Seconds(), "workflow-events/s")
	if pd.access.Load() != int64(2*s.grants()) {
		b.Fatalf("%d Last Access Events for %d grants", pd.access.Load(), s.grants())
	}
	if metered && s.eventsPolls(b) < float64(b.N/pathBatch) {
		b.Fatalf("the request metrics counted %.0f Events requests for %d events", s.eventsPolls(b), b.N)
	}
	// The whole path cannot be cut in batches timed alternately with the
	// baseline (the world and the driver run at once): its baseline is timed
	// right after it, over at least 50 ms.
	bs := newBaseServer(b, ans)
	bs.serve(b, pathBatch, true) // connect
	n, start := 0, time.Now()
	for n == 0 || time.Since(start) < 50*time.Millisecond {
		bs.serve(b, b.N, true)
		n += b.N
	}
	baseNs := float64(time.Since(start).Nanoseconds()) / float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baseNs, "x-baseline")
}

// wholePipelined runs the world in a goroutine of its own and the driver's
// cycles in this one, until the driver has delivered b.N events.
func wholePipelined(b *testing.B, s *pathSite, pd *pathDriver, delivered func() int) {
	const window = 200_000
	var produced, consumed atomic.Int64
	ready := make(chan struct{}, 1)    // the world journaled more
	progress := make(chan struct{}, 1) // the driver delivered more
	failed := make(chan string, 1)
	signal := func(c chan struct{}) {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	go func() {
		defer signal(ready)
		for p := 0; p < b.N; {
			for p-int(consumed.Load()) >= window {
				<-progress
			}
			k := min(pathBatch, b.N-p)
			if err := s.passages(k); err != nil {
				failed <- err.Error()
				return
			}
			p += k
			produced.Store(int64(p))
			signal(ready)
		}
	}()
	ctx := context.Background()
	for n := 0; n < b.N; {
		for p := int(produced.Load()); p-n < pathCycle && p < b.N || p == n; p = int(produced.Load()) {
			select {
			case <-ready:
			case msg := <-failed:
				b.Fatal(msg)
			}
		}
		if err := pd.d.PollOnce(ctx); err != nil {
			b.Fatal(err)
		}
		n = delivered()
		consumed.Store(int64(n))
		signal(progress)
	}
}

// BenchmarkBaselineMoveTokenize: the whole path's baseline, the same bytes
// moved and tokenised without the world or the driver: the answers of
// 1000 rows, pre-built, served by a trivial handler over loopback HTTP,
// read into a reused buffer and tokenised.
func BenchmarkBaselineMoveTokenize(b *testing.B) {
	bs := newBaseServer(b, captureAnswer(b, newPathSite(b, false)))
	bs.serve(b, pathBatch, true) // connect
	b.SetBytes(int64(len(bs.ans.full) / pathBatch))
	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	bs.serve(b, b.N, true)
	b.StopTimer()
	eventReport(b, b.N, ac)
}

// xmlTokens tokenises doc with encoding/xml's RawToken (no name-space or
// nesting checks) and returns the number of tokens.
func xmlTokens(tb testing.TB, doc []byte) int {
	d := xml.NewDecoder(bytes.NewReader(doc))
	n := 0
	for {
		_, err := d.RawToken()
		if err == io.EOF {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		n++
	}
}

// TestEventPath runs each benchmark's harness once, small: the benchmarks'
// checks (every event served, every grant a Last Access Event on the door
// and on its reader, nothing dropped) and the baselines' token counts.
func TestEventPath(t *testing.T) {
	s := newPathSite(t, false)
	pd := newPathDriver(t, s)
	ans := captureAnswer(t, s)

	// The baseline tokenisers agree with encoding/xml, and with each other
	// on text.
	for _, doc := range [][]byte{ans.full, ans.rows(1), []byte("<a>x</a>y"), []byte("t<b><c/>&lt;=?></b>")} {
		n1, t1 := tokenize(doc)
		n2, t2 := tokenizeIndexByte(doc)
		if n1 != n2 || t1 != t2 {
			t.Fatalf("%.40q: tokenize %d tokens %d text bytes, tokenizeIndexByte %d %d", doc, n1, t1, n2, t2)
		}
	}
	if n, _ := tokenize(ans.full); n != xmlTokens(t, ans.full) {
		t.Fatalf("tokenize found %d tokens, encoding/xml %d", n, xmlTokens(t, ans.full))
	}
	if n := rowCount(ans.rows(7)); n != 7 || len(ans.ends) != pathBatch {
		t.Fatalf("a prefix of 7 rows has %d", n)
	}

	// The whole path, one cycle: the captured rows and 3000 more.
	s.stimulate(t, 3*pathBatch)
	if err := pd.d.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	pd.waitAccess(t, int64(2*s.grants()))
	if got, want := pd.d.Stats().Delivered, uint64(s.made); got != want {
		t.Fatalf("delivered %d events, want %d", got, want)
	}

	// The ingest hook, fed the captured answer again.
	before := pd.access.Load()
	n, err := pd.d.IngestEvents(context.Background(), ans.full)
	if err != nil || n != pathBatch {
		t.Fatalf("IngestEvents: %d %v", n, err)
	}
	pd.waitAccess(t, before+2*int64(grantsIn(pathBatch)))
	last, err := pd.d.Registry().Get(asset.Ref{Type: asset.Reader, ID: int(pathDoor)})
	if err != nil || last.LastAccess == nil || last.LastAccess.CardID != pathCard || !last.LastAccess.AccessGranted {
		t.Fatalf("reader/20: %+v %v", last, err)
	}
	if d := pd.sub.Dropped(); d != 0 {
		t.Fatalf("%d events dropped", d)
	}

	// The baseline server serves the captured bytes.
	bs := newBaseServer(t, ans)
	bs.serve(t, 1500, true)
	if !bytes.Equal(bs.buf.Bytes(), ans.rows(500)) {
		t.Fatal("the baseline server's last answer is not the captured one")
	}
}
