package bench

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Targets of a large generated site (10,000 doors, 100,000 card users).
const (
	scaleDoors     = 10000
	scaleUsers     = 100000
	scaleSeed      = 7
	scaleStartGoal = 2 * time.Second
	scaleHeapGoal  = 300 << 20
)

// TestScaleStart measures how long a large site takes to start (parse its
// site file and build the world) and the heap it then holds. It is slow and
// meaningless under the race detector, so it runs only when asked:
//
//	PACSIM_SCALE=1 go test -run TestScaleStart -v ./bench/
func TestScaleStart(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if os.Getenv("PACSIM_SCALE") != "1" {
		t.Skip("set PACSIM_SCALE=1 to run (and run it without -race)")
	}
	o := sim.GenerateOptions{Doors: scaleDoors, Users: scaleUsers, Seed: scaleSeed}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	// The start of `pacsim serve --generate doors=10000,users=100000`:
	// generate the site and build its world.
	t0 := time.Now()
	gen, err := sim.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	genTime := time.Since(t0)
	w, err := sim.New(gen)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Since(t0)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	// The same site from a YAML file, as `--site big.yaml` would read it:
	// reported, not held to the goal (the YAML decoder dominates).
	data, err := gen.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	sf, err := sim.ParseSiteFile(data)
	if err != nil {
		t.Fatal(err)
	}
	parseTime := time.Since(t1)
	if _, err := sim.New(sf); err != nil {
		t.Fatal(err)
	}
	fileStart := time.Since(t1)
	runtime.KeepAlive(w)

	t.Logf("site: %d doors, %d users, seed %d", o.Doors, o.Users, o.Seed)
	t.Logf("start %v (generate %v + sim.New %v), goal %v", start.Round(time.Millisecond), genTime.Round(time.Millisecond), (start - genTime).Round(time.Millisecond), scaleStartGoal)
	t.Logf("heap after start and GC %.1f MB (goal %d MB); allocated during start %.1f MB; GOMAXPROCS %d",
		float64(after.HeapAlloc)/(1<<20), scaleHeapGoal>>20,
		float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), runtime.GOMAXPROCS(0))
	t.Logf("from a %.1f MB YAML site file: start %v (ParseSiteFile %v)", float64(len(data))/(1<<20), fileStart.Round(time.Millisecond), parseTime.Round(time.Millisecond))
	if start > scaleStartGoal {
		t.Errorf("start took %v, goal %v", start, scaleStartGoal)
	}
	if after.HeapAlloc > scaleHeapGoal {
		t.Errorf("heap %d MB, goal %d MB", after.HeapAlloc>>20, scaleHeapGoal>>20)
	}
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
