package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/simtest"
)

// BenchmarkRecordOverhead is the event path with and without pacsim record
// in between: one op is a card presented in the world, then one driver
// cycle (state and event polls over loopback) delivering its Last Access
// Event (events=1), or a hundred cards then one cycle delivering their
// hundred events (events=100). /recorded puts a Recorder (redacting, writing and fsync'ing each
// exchange to a file) between the driver and SmartService; the ratio of
// the two ns/op is the overhead.
func BenchmarkRecordOverhead(b *testing.B) {
	for _, c := range []struct {
		recorded bool
		batch    int
	}{{false, 1}, {true, 1}, {false, 100}, {true, 100}} {
		name := fmt.Sprintf("direct/events=%d", c.batch)
		if c.recorded {
			name = fmt.Sprintf("recorded/events=%d", c.batch)
		}
		recorded := c.recorded
		b.Run(name, func(b *testing.B) {
			s := simtest.Start(b, simtest.WithoutGenetec())
			base := s.EntraPassURL()
			if recorded {
				var rec *scenarios.Recorder
				base, rec = recordingProxy(b, base)
				// Every exchange written counts: the timer stops after.
				defer func() { rec.Flush(); b.StopTimer() }()
			}
			u, _ := url.Parse(base)
			host, port, _ := net.SplitHostPort(u.Host)
			p, _ := strconv.Atoi(port)
			d, err := entrapass.New(entrapass.Config{Host: host, Port: p, Username: "pacsim", Password: "pacsim", CardCacheTTL: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			sub := d.Bus().Subscribe(1 << 16)
			defer sub.Close()
			ctx := context.Background()
			if err := d.PollOnce(ctx); err != nil {
				b.Fatal(err)
			}
			w := s.World()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for range c.batch {
					if _, err := w.PresentCard(30, "100:1001", ""); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.PollOnce(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// recordingProxy puts a Recorder (redacting and writing every exchange to a
// file) in front of the SmartService at base, as pacsim record does, and
// returns the base URL to use instead; it is closed when b ends.
func recordingProxy(b *testing.B, base string) (string, *scenarios.Recorder) {
	up, _ := url.Parse(base)
	w, err := scenarios.Create(filepath.Join(b.TempDir(), "r.jsonl"), scenarios.Header{System: scenarios.SystemEntraPass, Upstream: base, Redacted: true})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := scenarios.NewRecorder(scenarios.RecorderConfig{Upstream: up, System: scenarios.SystemEntraPass, Writer: w, Redact: true})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(rec)
	b.Cleanup(func() {
		srv.Close()
		w.Close()
	})
	return srv.URL + "/SmartService/", rec
}

// BenchmarkReplayMax serves a recording of 100,000 distinct exchanges at
// --speed max to a client over loopback, 8 requests in flight: one op is
// one exchange matched and answered.
func BenchmarkReplayMax(b *testing.B) {
	const n = 100000
	rec := &scenarios.Recording{Header: scenarios.Header{Format: scenarios.FormatName, Version: scenarios.Version, System: scenarios.SystemEntraPass}}
	body := `<ArrayOfSmartLinkDataRow><SmartLinkDataRow><item><key><string>ETXT</string></key><value><SmartLinkDataValue><Value>Door opened</Value></SmartLinkDataValue></value></item></SmartLinkDataRow></ArrayOfSmartLinkDataRow>`
	for i := range n {
		rec.Exchanges = append(rec.Exchanges, scenarios.Exchange{Seq: i + 1, Request: scenarios.Request{Method: "GET", Path: "/SmartService/Doors/" + strconv.Itoa(i), Query: "sdKey=k"},
			Response: scenarios.Response{Status: 200, Header: map[string][]string{"Content-Type": {"application/xml"}}, Body: body}})
		rec.Lines = append(rec.Lines, i+2)
	}
	rp, err := scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(rp)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("%s/SmartService/Doors/%d?sdKey=k", srv.URL, i)
	}
	b.SetParallelism(4)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1)-1) % n
			resp, err := client.Get(urls[i])
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("exchange %d: %d", i, resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
	if rp.Unmatched() != 0 {
		b.Fatalf("%d unmatched", rp.Unmatched())
	}
}

// BenchmarkRecordEventLatency is the event path as a site lives it, with
// and without pacsim record in between: the driver runs its own poll loop
// (Start, a poll every 100 ms, ten times the default rate), a card is
// presented, and one op is the time until the driver publishes its Last
// Access Event. The figures are the latency's median and 99th percentile;
// their ratio between /recorded and /direct is the overhead a user sees.
func BenchmarkRecordEventLatency(b *testing.B) {
	for _, recorded := range []bool{false, true} {
		name := "direct"
		if recorded {
			name = "recorded"
		}
		b.Run(name, func(b *testing.B) {
			s := simtest.Start(b, simtest.WithoutGenetec())
			base := s.EntraPassURL()
			if recorded {
				var rec *scenarios.Recorder
				base, rec = recordingProxy(b, base)
				defer rec.Flush()
			}
			u, _ := url.Parse(base)
			host, port, _ := net.SplitHostPort(u.Host)
			p, _ := strconv.Atoi(port)
			d, err := entrapass.New(entrapass.Config{Host: host, Port: p, Username: "pacsim", Password: "pacsim", Poll: 100 * time.Millisecond, CardCacheTTL: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			sub := d.Bus().Subscribe(1 << 16)
			defer sub.Close()
			if err := d.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer d.Stop()
			w := s.World()
			wait := func() {
				t := time.NewTimer(10 * time.Second)
				defer t.Stop()
				for {
					select {
					case e := <-sub.Events():
						if a, ok := e.(*asset.LastAccessEvent); ok && a.Ref.Type == asset.Door {
							return // the door's (the reader has one too)
						}
					case <-t.C:
						b.Fatal("no Last Access Event in 10 s")
					}
				}
			}
			// Events before the driver's first login are never its own:
			// wait for it to be in touch (the System asset Normal).
			synced := time.NewTimer(10 * time.Second)
		waitSync:
			for {
				select {
				case e := <-sub.Events():
					if c, ok := e.(*asset.StatusChanged); ok && c.Ref == asset.SystemRef && c.To == asset.Normal {
						break waitSync
					}
				case <-synced.C:
					b.Fatal("the driver did not synchronise in 10 s")
				}
			}
			synced.Stop()
			lat := make([]time.Duration, 0, b.N)
			// A card comes at any moment of the poll interval, not just
			// after a poll: a seeded pause of 0–100 ms before each.
			rng := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				time.Sleep(time.Duration(rng.Int64N(int64(100 * time.Millisecond))))
				b.StartTimer()
				start := time.Now()
				if _, err := w.PresentCard(30, "100:1001", ""); err != nil {
					b.Fatal(err)
				}
				wait()
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
