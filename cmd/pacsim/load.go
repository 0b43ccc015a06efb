package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"slices"
	"time"

	"github.com/pkg/profile"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
	simep "github.com/pacsim/pacsim/sim/entrapass"
)

// loadConfig is what `pacsim load` takes.
type loadConfig struct {
	doors, users int
	seed         int64
	rate         float64
	duration     time.Duration
	poll         time.Duration
	cpuProfile   bool
	memProfile   bool
	profileDir   string
	json         bool
	progress     time.Duration
	// progressTo gets the progress lines (stderr); nil: none.
	progressTo io.Writer
}

// LoadResult is what `pacsim load` measured; --json prints it.
type LoadResult struct {
	Doors          int     `json:"doors"`
	Users          int     `json:"users"`
	RateAsked      float64 `json:"rate"`
	DurationS      float64 `json:"duration_s"`
	Sent           int     `json:"sent"`
	Delivered      int     `json:"delivered"`
	EventsPerS     float64 `json:"events_per_s"`
	P50ms          float64 `json:"p50_ms"`
	P99ms          float64 `json:"p99_ms"`
	Maxms          float64 `json:"max_ms"`
	Pollms         float64 `json:"poll_ms"`
	AllocsPerEvent float64 `json:"allocs_per_event"`
	PeakHeapBytes  uint64  `json:"peak_heap_bytes"`
	// HeapWarmBytes and HeapEndBytes are the live heap (after a GC) once
	// warmed up (a tenth of the duration in and the journal's ring full, or
	// half way) and when the cards stop: a soak's growth is their ratio.
	HeapWarmBytes uint64  `json:"heap_warm_bytes"`
	HeapEndBytes  uint64  `json:"heap_end_bytes"`
	HeapGrowthPct float64 `json:"heap_growth_pct"`
	Lost          int     `json:"lost"`
	Duplicated    int     `json:"duplicated"`
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c loadConfig
	fs.IntVar(&c.doors, "doors", 1000, "doors of the generated site (1–100000)")
	fs.IntVar(&c.users, "users", 10000, "card users of the generated site (1–1000000)")
	fs.Int64Var(&c.seed, "seed", 1, "seed of the generated site and of the stimuli")
	fs.Float64Var(&c.rate, "rate", 10000, "cards presented per second (0: as fast as it goes, at most 100,000 ahead of the driver)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to present cards")
	fs.DurationVar(&c.poll, "poll", 100*time.Millisecond, "the driver's poll interval (100ms–1h)")
	fs.BoolVar(&c.cpuProfile, "cpuprofile", false, "write a CPU profile (cpu.pprof) to --profile-dir")
	fs.BoolVar(&c.memProfile, "memprofile", false, "write a heap profile (mem.pprof) to --profile-dir")
	fs.StringVar(&c.profileDir, "profile-dir", ".", "where profiles are written")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of text")
	fs.DurationVar(&c.progress, "progress", DefaultProgress, "print a progress line on stderr this often (events sent, delivered, rate), from once the run has taken that long (0: never)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pacsim load [flags]\n\nRuns a generated site and the EntraPass driver end to end over loopback, presents cards at\nrandom readers and measures the event path: stimulus → journal → SmartService Events →\ndriver → Last Access Event. Exits non-zero when an event is lost or duplicated.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef(fs, "takes no arguments, got %q", fs.Args())
	case c.doors < 1 || c.doors > sim.MaxGenerateDoors:
		return usagef(fs, "--doors: must be between 1 and %d, got %d", sim.MaxGenerateDoors, c.doors)
	case c.users < 1 || c.users > sim.MaxGenerateUsers:
		return usagef(fs, "--users: must be between 1 and %d, got %d", sim.MaxGenerateUsers, c.users)
	case c.rate < 0:
		return usagef(fs, "--rate: must not be negative, got %v", c.rate)
	case c.duration <= 0:
		return usagef(fs, "--duration: must be positive, got %v", c.duration)
	case c.poll < 100*time.Millisecond || c.poll > time.Hour:
		return usagef(fs, "--poll: must be between 100ms and 1h, got %v", c.poll)
	case c.progress < 0:
		return usagef(fs, "--progress: must not be negative, got %v", c.progress)
	case c.cpuProfile && c.memProfile:
		return usagef(fs, "--cpuprofile and --memprofile exclude each other (pkg/profile takes one at a time)")
	}
	if c.cpuProfile {
		defer profile.Start(profile.CPUProfile, profile.ProfilePath(c.profileDir), profile.Quiet).Stop()
	}
	if c.memProfile {
		defer profile.Start(profile.MemProfile, profile.ProfilePath(c.profileDir), profile.Quiet).Stop()
	}
	c.progressTo = stderr
	res, err := load(ctx, c)
	if err != nil {
		return err
	}
	if c.json {
		if err := json.NewEncoder(stdout).Encode(res); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "site: %d doors, %d users; rate %v/s for %v; poll %v\n", res.Doors, res.Users, res.RateAsked, c.duration, c.poll)
		fmt.Fprintf(stdout, "sent %d, delivered %d: %.0f events/s\n", res.Sent, res.Delivered, res.EventsPerS)
		fmt.Fprintf(stdout, "latency stimulus → workflow event: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", res.P50ms, res.P99ms, res.Maxms)
		fmt.Fprintf(stdout, "allocations %.1f per event, peak heap %.1f MB; live heap %.1f MB warm, %.1f MB at the end (%+.1f%%)\n",
			res.AllocsPerEvent, float64(res.PeakHeapBytes)/(1<<20), float64(res.HeapWarmBytes)/(1<<20), float64(res.HeapEndBytes)/(1<<20), res.HeapGrowthPct)
		fmt.Fprintf(stdout, "lost %d, duplicated %d\n", res.Lost, res.Duplicated)
		if c.cpuProfile || c.memProfile {
			fmt.Fprintf(stdout, "profile written to %s\n", c.profileDir)
		}
	}
	if res.Lost > 0 || res.Duplicated > 0 {
		return fmt.Errorf("%d events lost, %d duplicated", res.Lost, res.Duplicated)
	}
	return nil
}

// load runs the site and the driver and measures the event path.
func load(ctx context.Context, c loadConfig) (LoadResult, error) {
	res := LoadResult{Doors: c.doors, Users: c.users, RateAsked: c.rate, Pollms: float64(c.poll) / float64(time.Millisecond)}
	var prog *progress
	if c.progressTo != nil {
		prog = startProgress(c.progressTo, c.progress)
	}
	defer prog.Stop("done")
	site, err := generateSite(sim.GenerateOptions{Doors: c.doors, Users: c.users, Seed: c.seed}, prog)
	if err != nil {
		return res, err
	}
	prog.Phase("starting the site and the driver", nil)
	world, err := sim.New(site, sim.WithClock(sim.RealClock{}))
	if err != nil {
		return res, err
	}
	ep, err := simep.New(world)
	if err != nil {
		return res, err
	}
	defer ep.Close()
	ln, err := guard.Listen("127.0.0.1:0", guard.DefaultMaxConns)
	if err != nil {
		return res, err
	}
	srv := guard.Server(ep.Handler())
	go srv.Serve(ln)
	defer srv.Close()

	op := site.EntraPass.Operators[0]
	cfg := entrapass.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Username: op.Name, Password: op.Password, Poll: c.poll}
	d, err := entrapass.New(cfg)
	if err != nil {
		return res, err
	}
	// Discovery first, so the stimuli meet a driver that knows every door.
	if err := d.PollOnce(ctx); err != nil {
		return res, fmt.Errorf("driver: %w", err)
	}
	sub := d.Bus().Subscribe(1 << 20)
	defer sub.Close()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := d.Start(runCtx); err != nil {
		return res, err
	}
	defer d.Stop()

	snap := world.Snapshot()
	readers := make([]sim.ReaderState, len(snap.Readers))
	copy(readers, snap.Readers)
	var cards []string
	for _, u := range site.Users {
		for _, card := range u.Cards {
			cards = append(cards, card.Number)
		}
	}
	if len(cards) == 0 {
		return res, errors.New("the generated site has no cards")
	}

	start := time.Now()
	m := newMatcher(start)
	prog.Phase("presenting cards", m.progressLine())
	progress := make(chan struct{}, 1)
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for ev := range sub.Events() {
			la, ok := ev.(*asset.LastAccessEvent)
			if !ok || la.Ref.Type != asset.Door {
				continue
			}
			m.receive(int32(la.Ref.ID), la.CardID)
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	}()

	var peak uint64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-t.C:
			case <-stopSampling:
				return
			}
		}
	}()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rng := rand.New(rand.NewPCG(uint64(c.seed), 0x9e3779b97f4a7c15))
	sent := 0
	present := func() error {
		r := readers[rng.IntN(len(readers))]
		card := cards[rng.IntN(len(cards))]
		m.present(int32(r.Door), card)
		if _, err := world.PresentCard(r.ID, card, ""); err != nil {
			return err
		}
		sent++
		return nil
	}
	deadline := start.Add(c.duration)
	warm := start.Add(c.duration / 10)
	liveHeap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	if c.rate == 0 {
		// As fast as it goes, but never further ahead of the driver than
		// maxInFlight: past the journal's retention the driver would miss
		// events, which measures the retention, not the event path.
		maxInFlight := min(site.JournalRetentionOrDefault()/4, 100_000)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			if m.ahead() >= maxInFlight {
				select {
				case <-progress:
				case <-time.After(c.poll):
				}
				continue
			}
			for range 64 {
				if err := present(); err != nil {
					return res, err
				}
			}
		}
	} else {
		tick := time.NewTicker(time.Millisecond)
		for now := start; now.Before(deadline) && ctx.Err() == nil; now = <-tick.C {
			// Warm: a tenth in, and the journal's ring full (it grows to its
			// retention by design), or half way through at the latest.
			full := world.Journal().Last() >= uint64(world.Journal().Retention())
			if res.HeapWarmBytes == 0 && now.After(warm) && (full || now.After(start.Add(c.duration/2))) {
				res.HeapWarmBytes = liveHeap()
			}
			due := int(c.rate * now.Sub(start).Seconds())
			for sent < due {
				if err := present(); err != nil {
					tick.Stop()
					return res, err
				}
			}
		}
		tick.Stop()
	}
	sendEnd := time.Now()
	res.HeapEndBytes = liveHeap()
	if res.HeapWarmBytes > 0 {
		res.HeapGrowthPct = 100 * (float64(res.HeapEndBytes) - float64(res.HeapWarmBytes)) / float64(res.HeapWarmBytes)
	}

	// Drain: wait until everything arrived, or nothing more comes for a
	// few poll intervals (what is still pending then is lost).
	quiet := 5*c.poll + 2*time.Second
drain:
	for m.ahead() > 0 && ctx.Err() == nil {
		select {
		case <-progress:
		case <-time.After(quiet):
			break drain
		}
	}
	prog.Stop("done")
	runtime.ReadMemStats(&after)
	close(stopSampling)
	<-sampled
	cancel()
	d.Stop()
	sub.Close()
	<-collected

	m.mu.Lock()
	defer m.mu.Unlock()
	res.Sent = m.sent
	res.Delivered = m.delivered
	res.Duplicated = m.dups
	res.Lost = len(m.queue) - m.head + m.asideN
	end := start.Add(m.lastRecv)
	if end.Before(sendEnd) {
		end = sendEnd
	}
	res.DurationS = end.Sub(start).Seconds()
	if res.DurationS > 0 {
		res.EventsPerS = float64(m.delivered) / res.DurationS
	}
	if latencies := m.latencies; len(latencies) > 0 {
		slices.Sort(latencies)
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		res.P50ms = ms(latencies[len(latencies)/2])
		res.P99ms = ms(latencies[min(len(latencies)-1, len(latencies)*99/100)])
		res.Maxms = ms(latencies[len(latencies)-1])
	}
	delivered := m.delivered
	if delivered > 0 {
		res.AllocsPerEvent = float64(after.Mallocs-before.Mallocs) / float64(delivered)
	}
	res.PeakHeapBytes = peak
	return res, nil
}
