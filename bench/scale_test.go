package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Targets of a large generated site (10,000 doors, 100,000 card users),
// reported beside the figures, never asserted: a test asserts correctness,
// a benchmark carries figures (bench/RESULTS.md).
const (
	scaleDoors     = 10000
	scaleUsers     = 100000
	scaleSeed      = 7
	scaleStartGoal = 2 * time.Second
	scaleHeapGoal  = 300 << 20
)

// BenchmarkScaleStart measures how long a large site takes to start and
// the heap it then holds: "generated" is the start of `pacsim serve
// --generate doors=10000,users=100000 --seed 7` (generate the site, build
// its world), "file" the same site from its YAML file, as `--site big.yaml`
// reads it. Each op is one start; run it once, without the race detector:
//
//	go test -run='^$' -bench=ScaleStart -benchtime=1x ./bench/
func BenchmarkScaleStart(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	o := sim.GenerateOptions{Doors: scaleDoors, Users: scaleUsers, Seed: scaleSeed}
	b.Run("generated", func(b *testing.B) {
		var gen, build time.Duration
		var heap, alloc uint64
		for b.Loop() {
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
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
			gen, build = t1.Sub(t0), time.Since(t1)
			b.StopTimer()
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			heap, alloc = after.HeapAlloc, after.TotalAlloc-before.TotalAlloc
			runtime.KeepAlive(w)
			b.StartTimer()
		}
		b.ReportMetric(float64(gen.Milliseconds()), "generate-ms")
		b.ReportMetric(float64(build.Milliseconds()), "new-ms")
		b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
		b.ReportMetric(float64(alloc)/(1<<20), "alloc-MB")
		b.Logf("%d doors, %d users, seed %d: start %v (goal %v), heap %.1f MB (goal %d MB), GOMAXPROCS %d",
			o.Doors, o.Users, o.Seed, (gen + build).Round(time.Millisecond), scaleStartGoal,
			float64(heap)/(1<<20), scaleHeapGoal>>20, runtime.GOMAXPROCS(0))
	})
	b.Run("file", func(b *testing.B) {
		gen, err := sim.Generate(o)
		if err != nil {
			b.Fatal(err)
		}
		data, err := gen.Marshal()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		var parse time.Duration
		for b.Loop() {
			t0 := time.Now()
			sf, err := sim.ParseSiteFile(data)
			if err != nil {
				b.Fatal(err)
			}
			parse = time.Since(t0)
			if _, err := sim.New(sf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(parse.Milliseconds()), "parse-ms")
		b.Logf("from a %.1f MB YAML site file (reported, not held to the goal: the YAML decoder dominates)", float64(len(data))/(1<<20))
	})
}

// BenchmarkStartDefaultSite is the start of pacsim serve with no arguments:
// parse the embedded default site and build its world.
func BenchmarkStartDefaultSite(b *testing.B) {
	data := sim.DefaultSiteYAML()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		sf, err := sim.ParseSiteFile(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sim.New(sf); err != nil {
			b.Fatal(err)
		}
	}
}
