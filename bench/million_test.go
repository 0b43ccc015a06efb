package bench

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	simep "github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/genetec"
)

// The million-user site (issue 18 point 7): `pacsim serve --generate
// doors=100000,users=1000000`. Targets, reported beside the figures and
// never asserted: start under 5 s and 1 GB; a full state poll under
// 500 ms; Cards paged at ≥ 200,000 rows/s.
const (
	millionDoors = sim.MaxGenerateDoors
	millionUsers = sim.MaxGenerateUsers
	millionSeed  = 1 // serve's default --seed
)

// BenchmarkMillionStart is what `pacsim serve --generate
// doors=100000,users=1000000` does before it listens: generate the site,
// build its world, load the SmartService and Security Center databases and
// the control API. Each phase is reported in ms; heap-MB is the live heap
// after the start and a GC. Each op is one start; run it once, without the
// race detector:
//
//	go test -run='^$' -bench=MillionStart -benchtime=1x ./bench/
func BenchmarkMillionStart(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	o := sim.GenerateOptions{Doors: millionDoors, Users: millionUsers, Seed: millionSeed}
	var phases [5]time.Duration
	var heap uint64
	for b.Loop() {
		runtime.GC()
		t0 := time.Now()
		sf, err := sim.Generate(o)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		w, err := sim.New(sf)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		ep, err := simep.New(w)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		gs, err := genetec.New(w)
		if err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		ctl := control.New(w)
		t5 := time.Now()
		phases = [5]time.Duration{t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4)}
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
		ctl.Close()
		gs.Close()
		ep.Close()
		runtime.KeepAlive(w)
		b.StartTimer()
	}
	for i, name := range []string{"generate-ms", "world-ms", "entrapass-ms", "genetec-ms", "control-ms"} {
		b.ReportMetric(float64(phases[i].Milliseconds()), name)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
}

// millionSite is the million-user site served by the simulated SmartService
// over loopback, with a driver client logged in.
type millionSite struct {
	world *sim.World
	site  *sim.SiteFile
	c     *entrapass.Client
	rec   *urlRecorder
}

// startMillionSite starts it; the server stops with the benchmark.
func startMillionSite(b *testing.B) *millionSite {
	b.Helper()
	if testing.Short() {
		b.Skip("-short")
	}
	site, err := sim.Generate(sim.GenerateOptions{Doors: millionDoors, Users: millionUsers, Seed: millionSeed})
	if err != nil {
		b.Fatal(err)
	}
	w, err := sim.New(site)
	if err != nil {
		b.Fatal(err)
	}
	ep, err := simep.New(w)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(ep.Handler())
	b.Cleanup(func() { srv.Close(); ep.Close() })
	op := site.EntraPass.Operators[0]
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	rec := &urlRecorder{}
	c, err := entrapass.NewClient(entrapass.Config{Host: "127.0.0.1", Port: port, Username: op.Name, Password: op.Password, RequestTimeout: time.Minute},
		entrapass.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(context.Background()); err != nil {
		b.Fatal(err)
	}
	return &millionSite{world: w, site: site, c: c, rec: rec}
}

// BenchmarkMillionStatePoll is one full state poll of the 100,000 doors of
// the million-user site: GET ComponentsStatesByStatusId with statusID=0
// over loopback HTTP, answered by the simulated SmartService. Target: under
// 500 ms.
//
// The answer is about 110 MB (SmartLinkDataRow rows of ~1.1 KB, SPEC §2),
// more than the driver's client reads (entrapass.MaxBodySize, 64 MB): the
// driver cannot poll 100,000 doors in one request. So the poll is the
// driver's own request (its URL, session key included, taken from the
// driver's attempt), its body read whole into a reused buffer and its rows
// counted: the server and the transport, not the driver's parse.
//
//	go test -run='^$' -bench=MillionStatePoll -benchtime=10x -count=3 ./bench/
func BenchmarkMillionStatePoll(b *testing.B) {
	s := startMillionSite(b)
	ctx := context.Background()
	snap := s.world.Snapshot()
	ids := make([]int, 0, len(snap.Doors))
	for _, d := range snap.Doors {
		ids = append(ids, int(d.ID))
	}
	if err := s.c.RegisterStates(ctx, ids); err != nil {
		b.Fatal(err)
	}
	_, err := s.c.States(ctx, 0)
	if !errors.Is(err, entrapass.ErrMalformed) || !strings.Contains(err.Error(), "larger than") {
		b.Logf("the driver read the whole poll (%v): its bound has grown", err)
	}
	s.rec.mu.Lock()
	url := s.rec.last
	s.rec.mu.Unlock()
	if !strings.Contains(url, "ComponentsStatesByStatusId") {
		b.Fatalf("the driver's poll was not seen: %q", url)
	}
	var buf bytes.Buffer
	poll := func() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		buf.Reset()
		_, err = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d: %v", resp.StatusCode, err)
		}
	}
	poll() // sizes the buffer, as the driver's pooled buffers are
	buf.Grow(buf.Len() + bytes.MinRead)
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		poll()
		rows = bytes.Count(buf.Bytes(), []byte("<SmartLinkDataRow>"))
	}
	if rows != len(ids) {
		b.Fatalf("%d rows for %d doors", rows, len(ids))
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/poll")
	b.ReportMetric(float64(buf.Len())/(1<<20), "answer-MB")
}

// urlRecorder remembers the last URL the driver's client asked for.
type urlRecorder struct {
	mu   sync.Mutex
	last string
}

func (r *urlRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.last = req.URL.String()
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// millionCardFields are the extended fields the driver asks for when it
// pages through the Cards list (driver/entrapass/cardcache.go, cardFields).
var millionCardFields = func() []string {
	fields := []string{"BADGING"}
	for i := 1; i <= 5; i++ {
		fields = append(fields, "CARDNUMBER"+strconv.Itoa(i), "CARDSTATE"+strconv.Itoa(i))
	}
	return fields
}()

// BenchmarkMillionCardsPaging pages through the million card users of the
// Cards list as the driver does (driver/entrapass/cardcache.go warmCards):
// 4096 a request (the server's maximum), each page starting after the last
// PKDATA of the one before, the driver's extended fields. One op is the
// whole list. Target: ≥ 200,000 rows/s.
//
//	go test -run='^$' -bench=MillionCardsPaging -benchtime=1x -count=3 ./bench/
func BenchmarkMillionCardsPaging(b *testing.B) {
	s := startMillionSite(b)
	ctx := context.Background()
	b.ReportAllocs()
	rows, pages := 0, 0
	for b.Loop() {
		rows, pages = 0, 0
		after := ""
		for {
			page, err := s.c.Cards(ctx, entrapass.CardQuery{StartValue: after, Max: 4096, Extended: millionCardFields})
			if err != nil {
				b.Fatal(err)
			}
			rows += len(page)
			pages++
			if len(page) < 4096 {
				break
			}
			after = page[len(page)-1].Value("PKDATA")
		}
	}
	if rows != len(s.site.Users) {
		b.Fatalf("%d rows for %d card users", rows, len(s.site.Users))
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(pages), "pages")
}
