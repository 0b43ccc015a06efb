//go:build unix

package genetec

import (
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/pacsim/pacsim/sim"
)

// TestMillionUserHeap measures what the Security Center holds for the
// million-user generated site (issue 18 point 7): the live heap New adds,
// and its CPU time. It takes ~15 s and ~1 GB, so it runs only with
// PACSIM_GENETEC_HEAP=1; PACSIM_GENETEC_HEAP_PROFILE and
// PACSIM_GENETEC_CPU_PROFILE name files for pprof. It asserts nothing: the
// figures go to bench/RESULTS.md.
func TestMillionUserHeap(t *testing.T) {
	if os.Getenv("PACSIM_GENETEC_HEAP") == "" {
		t.Skip("set PACSIM_GENETEC_HEAP=1 to measure the million-user site")
	}
	t.Logf("sizeof entity %d, groups: person %d, validity %d, credential %d, rule %d, misc %d",
		unsafe.Sizeof(entity{}), unsafe.Sizeof(personFields{}), unsafe.Sizeof(validityFields{}),
		unsafe.Sizeof(credFields{}), unsafe.Sizeof(ruleFields{}), unsafe.Sizeof(miscFields{}))
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 100000, Users: 1000000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	w, err := sim.New(sf)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	if p := os.Getenv("PACSIM_GENETEC_CPU_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
	}
	cpu0, t0 := cpuTime(), time.Now()
	gs, err := New(w)
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	pprof.StopCPUProfile()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	after := ms.HeapAlloc
	if p := os.Getenv("PACSIM_GENETEC_HEAP_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d entities; the Security Center holds %.1f MB; genetec.New took %v CPU (%v wall)",
		gs.Entities(), float64(after-before)/(1<<20), cpu.Round(time.Millisecond), wall.Round(time.Millisecond))
	runtime.KeepAlive(gs)
	runtime.KeepAlive(w)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
