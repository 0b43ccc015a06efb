package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// BenchmarkSizing measures what one simulated site costs a machine, as the
// Helm chart runs it: the pacsim binary built as the image builds it
// (static, -trimpath, time zones embedded), run as child processes with
// GOMAXPROCS=1 (what Go gives a container limited to one CPU), every
// listener on 127.0.0.1:0.
//
//   - idle/…: a site started, ready (/readyz), left alone for the settle
//     time; its resident memory (VmRSS, and the peak VmHWM) and the CPU it
//     spent while idle. default: the embedded default site; default+driver:
//     with `pacsim driver` polling it every second (the chart's
//     driver.enabled, its default poll); generated: the chart's default
//     `--generate doors=8,users=50` (seed 0, site 0 of a release).
//   - rate=R: the default site and its driver, cards presented through the
//     control API at R a second for the window (readers in turn, Alice's
//     card granted, one in five an unknown card). Millicores are CPU
//     seconds (user + system, /proc/PID/stat) over the window; the events
//     are the site's own count (pacsim_world_events_total) and the driver's
//     (pacsim_driver_events_total), read from their /metrics.
//     events/s-per-core is events journaled per CPU second of site and
//     driver together: at a high rate, what one core sustains.
//   - journal=N (only with PACSIM_SIZING_JOURNAL=N[,N…]; 1,000,000 takes
//     minutes): the default site and its driver after the site has
//     journaled N events (cards presented as fast as four clients go) and
//     the driver delivered them. The journal keeps its last
//     1,000,000 (the default retention), so memory grows with the events a
//     site has seen until then: 1,000,000 is a site that has run long
//     enough (28 hours at 10 events/s).
//
// Each idle figure is read after the settle time, its CPU over the window
// that follows: PACSIM_SIZING_SETTLE (default 10s) and
// PACSIM_SIZING_WINDOW (default 30s). One op is one measurement: run with
// -benchtime=1x. Figures and their use for the chart: bench/RESULTS.md,
// "Sizing: sites per machine".
func BenchmarkSizing(b *testing.B) {
	if testing.Short() {
		b.Skip("starts processes for tens of seconds each")
	}
	exe := buildPacsim(b)
	settle := envDuration(b, "PACSIM_SIZING_SETTLE", 10*time.Second)
	window := envDuration(b, "PACSIM_SIZING_WINDOW", 30*time.Second)

	b.Run("idle/default", func(b *testing.B) {
		for range b.N {
			site := startSite(b, exe)
			time.Sleep(settle) // the site settles: nothing to wait on but time
			cpu := site.cpuOver(b, window)
			site.reportMemory(b, "site")
			b.ReportMetric(cpu, "site-millicores")
		}
	})
	b.Run("idle/default+driver", func(b *testing.B) {
		for range b.N {
			site := startSite(b, exe)
			drv := startDriver(b, exe, site)
			time.Sleep(settle) // both settle: nothing to wait on but time
			cpus := cpuOver(b, window, site, drv)
			site.reportMemory(b, "site")
			drv.reportMemory(b, "driver")
			b.ReportMetric(cpus[0], "site-millicores")
			b.ReportMetric(cpus[1], "driver-millicores")
		}
	})
	b.Run("idle/generated", func(b *testing.B) {
		for range b.N {
			site := startSite(b, exe, "--generate", "doors=8,users=50", "--seed", "0")
			time.Sleep(settle) // the site settles: nothing to wait on but time
			cpu := site.cpuOver(b, window)
			site.reportMemory(b, "site")
			b.ReportMetric(cpu, "site-millicores")
		}
	})
	for _, rate := range []int{10, 100, 1000, 5000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			for range b.N {
				sizeAtRate(b, exe, rate, window)
			}
		})
	}
	if v := os.Getenv("PACSIM_SIZING_JOURNAL"); v != "" {
		for f := range strings.SplitSeq(v, ",") {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 {
				b.Fatalf("PACSIM_SIZING_JOURNAL: %q is not a number of events", f)
			}
			b.Run(fmt.Sprintf("journal=%d", n), func(b *testing.B) {
				for range b.N {
					site := startSite(b, exe)
					drv := startDriver(b, exe, site)
					fillJournal(b, site, float64(n))
					waitDelivered(b, site, drv, 0, 2*time.Minute)
					time.Sleep(settle) // both settle: nothing to wait on but time
					site.reportMemory(b, "site")
					drv.reportMemory(b, "driver")
				}
			})
		}
	}
}

// sizeAtRate runs the default site and its driver with cards presented at
// rate a second for window, and reports what each spent.
func sizeAtRate(b *testing.B, exe string, rate int, window time.Duration) {
	site := startSite(b, exe)
	drv := startDriver(b, exe, site)
	readers := site.readers(b)
	start0 := site.metricSum(b, "pacsim_world_events_total")

	ctx, cancel := context.WithCancel(context.Background())
	var sent, failed atomic.Int64
	var wg sync.WaitGroup
	tokens := make(chan int, 64)
	for range 8 { // enough presenters to keep up with a tick of 1 ms
		wg.Go(func() {
			for n := range tokens {
				card := "100:1001"
				if n%5 == 4 {
					card = "999:" + strconv.Itoa(n)
				}
				if present(site.control, readers[n%len(readers)], card) != nil {
					failed.Add(1)
				}
				sent.Add(1)
			}
		})
	}
	wg.Go(func() {
		defer close(tokens)
		start, every := time.Now(), time.Second/time.Duration(rate)
		t := time.NewTicker(every)
		defer t.Stop()
		for n := 0; ; {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				// Catch up on ticks a busy machine lost: the rate is kept
				// over the window, not tick by tick.
				for due := int(now.Sub(start) / every); n < due; n++ {
					select {
					case tokens <- n:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	})
	// One second to reach the rate (and the driver's first poll of it),
	// then the window, its edges read as close as can be.
	time.Sleep(time.Second)
	ev0, dv0, sent0 := site.metricSum(b, "pacsim_world_events_total"), drv.metricSum(b, "pacsim_driver_events_total"), sent.Load()
	cpus := cpuOver(b, window, site, drv)
	ev1, dv1, sent1 := site.metricSum(b, "pacsim_world_events_total"), drv.metricSum(b, "pacsim_driver_events_total"), sent.Load()
	cancel()
	wg.Wait()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d presentations failed", f, sent.Load())
	}
	// Every event journaled reaches the driver (its last poll is at most a
	// second behind the last presentation).
	waitDelivered(b, site, drv, start0, 10*time.Second)
	secs, events := window.Seconds(), ev1-ev0
	b.ReportMetric(float64(sent1-sent0)/secs, "presented/s")
	b.ReportMetric(events/secs, "events/s")
	b.ReportMetric((dv1-dv0)/secs, "delivered/s")
	b.ReportMetric(cpus[0], "site-millicores")
	b.ReportMetric(cpus[1], "driver-millicores")
	if events > 0 {
		b.ReportMetric((cpus[0]+cpus[1])/1000*secs/events*1e6, "cpu-µs/event")
		b.ReportMetric(events/((cpus[0]+cpus[1])/1000*secs), "events/s-per-core")
	}
	site.reportMemory(b, "site")
	drv.reportMemory(b, "driver")
}

// waitDelivered waits until the driver has delivered every event the site
// journaled after its count was since (the site's event total then).
func waitDelivered(b *testing.B, site, drv *proc, since float64, within time.Duration) {
	total := site.metricSum(b, "pacsim_world_events_total") - since
	deadline := time.Now().Add(within)
	for drv.metricSum(b, "pacsim_driver_events_total") < total {
		if time.Now().After(deadline) {
			b.Fatalf("the driver delivered %.0f of %.0f events", drv.metricSum(b, "pacsim_driver_events_total"), total)
		}
		time.Sleep(100 * time.Millisecond) // nothing to wait on in another process but its metrics
	}
}

// --- the processes --------------------------------------------------------

// buildPacsim builds cmd/pacsim as deploy/image does (CGO_ENABLED=0,
// -trimpath, timetzdata, stripped) into the benchmark's temporary
// directory, removed when it ends.
func buildPacsim(b *testing.B) string {
	exe := filepath.Join(b.TempDir(), "pacsim")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "timetzdata", "-ldflags", "-s -w", "-o", exe,
		"github.com/pacsim/pacsim/cmd/pacsim")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/pacsim: %v\n%s", err, out)
	}
	return exe
}

// proc is a pacsim process started by the benchmark.
type proc struct {
	cmd   *exec.Cmd
	addrs map[string]string
	// control is the control API's base URL (a site), or the Dataserver's
	// (a driver); metrics and readyz are answered there.
	control, root string
}

// startProc runs exe args with GOMAXPROCS=1, reads its --print-addresses
// line, and waits until GET root/readyz answers 200, root being the
// address named ready.
func startProc(b *testing.B, exe, ready string, env []string, args ...string) *proc {
	b.Helper()
	cmd := exec.Command(exe, append(args, "--print-addresses", "json")...)
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS=1"), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr lockedText
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &proc{cmd: cmd}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		b.Fatalf("%s printed no addresses: %s", args[0], stderr.String())
	}
	if err := json.Unmarshal(sc.Bytes(), &p.addrs); err != nil {
		b.Fatalf("%s: address line %q: %v", args[0], sc.Text(), err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	p.root = "http://" + p.addrs[ready]
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(p.root + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s not ready after 60 s: %v; stderr: %s", args[0], err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond) // another process: nothing to wait on but its answer
	}
}

// startSite runs `pacsim serve` (the default site unless args say
// otherwise) on the real clock, ready.
func startSite(b *testing.B, exe string, args ...string) *proc {
	p := startProc(b, exe, "control", nil, append([]string{"serve", "--control", "127.0.0.1:0",
		"--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"}, args...)...)
	p.control = p.root + "/v1"
	return p
}

// startDriver runs `pacsim driver` against site's SmartService with the
// chart's defaults (poll 1s), ready (logged in, a poll done).
func startDriver(b *testing.B, exe string, site *proc) *proc {
	host, port, ok := strings.Cut(site.addrs["entrapass"], ":")
	if !ok {
		b.Fatalf("SmartService address %q", site.addrs["entrapass"])
	}
	return startProc(b, exe, "dataserver", []string{"PACSIM_ENTRAPASS_PASSWORD=pacsim"}, "driver",
		"--host", host, "--port", port, "--username", "pacsim", "--poll", "1s",
		"--dataserver", "127.0.0.1:0", "--debug", "127.0.0.1:0")
}

// status reads a VmXXX line of /proc/PID/status in MiB.
func (p *proc) status(b *testing.B, field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatalf("%s: %q", field, line)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc/PID/status", field)
	return 0
}

func (p *proc) reportMemory(b *testing.B, who string) {
	b.ReportMetric(p.status(b, "VmRSS"), who+"-RSS-MiB")
	b.ReportMetric(p.status(b, "VmHWM"), who+"-HWM-MiB")
}

// cpuTicks is the process's user + system time in clock ticks
// (/proc/PID/stat fields 14 and 15; its threads' included).
func (p *proc) cpuTicks(b *testing.B) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("/proc/PID/stat: %q", raw)
	}
	return ut + st
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// cpuOver waits d and returns each process's CPU over it, in millicores.
func cpuOver(b *testing.B, d time.Duration, ps ...*proc) []float64 {
	t0 := make([]int64, len(ps))
	for i, p := range ps {
		t0[i] = p.cpuTicks(b)
	}
	start := time.Now()
	time.Sleep(d) // the measurement window: the processes run meanwhile
	el := time.Since(start).Seconds()
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = float64(p.cpuTicks(b)-t0[i]) / clockTicks / el * 1000
	}
	return out
}

func (p *proc) cpuOver(b *testing.B, d time.Duration) float64 { return cpuOver(b, d, p)[0] }

// metricSum is the sum of every series of a counter or gauge family in
// p's /metrics, read with Prometheus's parser.
func (p *proc) metricSum(b *testing.B, name string) float64 {
	resp, err := http.Get(p.root + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET /metrics: %s", resp.Status)
	}
	tp := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := tp.TextToMetricFamilies(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	sum := 0.0
	if f := fams[name]; f != nil {
		for _, m := range f.Metric {
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return sum
}

// readers lists the site's reader ids.
func (p *proc) readers(b *testing.B) []int {
	resp, err := http.Get(p.control + "/site")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var site struct {
		Readers []struct {
			ID int `json:"id"`
		} `json:"readers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&site); err != nil {
		b.Fatal(err)
	}
	ids := make([]int, 0, len(site.Readers))
	for _, r := range site.Readers {
		ids = append(ids, r.ID)
	}
	if len(ids) == 0 {
		b.Fatal("the site has no readers")
	}
	return ids
}

// presentClient keeps connections to the control API open, as a load
// generator would: the benchmark measures the site, not TCP handshakes.
var presentClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

// present presents card at reader through the control API.
func present(control string, reader int, card string) error {
	resp, err := presentClient.Post(fmt.Sprintf("%s/readers/%d/present", control, reader), "application/json",
		strings.NewReader(`{"card":"`+card+`"}`))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("present: %s", resp.Status)
	}
	return nil
}

// fillJournal presents cards until the site has journaled n events.
func fillJournal(b *testing.B, site *proc, n float64) {
	readers := site.readers(b)
	var next atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				k := int(next.Add(1))
				if err := present(site.control, readers[k%len(readers)], "100:1001"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	defer wg.Wait()
	defer stop.Store(true)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for site.metricSum(b, "pacsim_world_events_total") < n {
		select {
		case err := <-errs:
			b.Fatal(err)
		case <-t.C:
		}
	}
}

// envDuration reads a duration from the environment, or def.
func envDuration(b *testing.B, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		b.Fatalf("%s=%q is not a positive duration", name, v)
	}
	return d
}

// lockedText collects a child's stderr for error messages.
type lockedText struct {
	mu sync.Mutex
	sb strings.Builder
}

func (l *lockedText) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sb.Write(p)
}

func (l *lockedText) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sb.String()
}
