package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Benchmarks of the world's event path: a stimulus in the world → journal,
// and the journal read by cursor. One op is one event, so allocs/op is
// allocations per event. Run:
//
//	go test -run='^$' -bench=. -benchmem -cpu=1 ./bench/
//
// Target (SPEC §10 and the issue): at least 1,000,000 events/s on one core
// with at most 1 allocation per event. Results: RESULTS.md.

// Default-site IDs used below (sim/sites/default.yaml).
var (
	worldInputs  = []sim.ID{50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65}
	worldDoors   = []sim.ID{20, 21, 22, 23, 24, 25, 26, 27}
	worldReaders = []sim.ID{30, 32, 33, 34, 36, 38, 39, 40} // the entry reader of each door above
)

// worldGrant is a head-end that grants every card, as the fixed card user
// 100:1001 (Full Access) is granted everywhere.
var worldGrant = sim.DeciderFunc(func(sim.AccessRequest) sim.Decision {
	return sim.Decision{Granted: true, User: "Alice Martin", UserID: 200}
})

// worldNew builds the default site on its manual clock with its default
// journal (retention 1,000,000) filled to retention, so the benchmark
// measures the steady state of a long-running site: the ring full and
// wrapping, no growth.
func worldNew(b *testing.B) *sim.World {
	b.Helper()
	w, err := sim.New(sim.DefaultSite(), sim.WithDecider(worldGrant))
	if err != nil {
		b.Fatal(err)
	}
	worldFill(w.Journal())
	return w
}

func worldFill(j *sim.Journal) {
	e := sim.Event{Time: sim.DefaultStart, Type: sim.EventInputAlarm, Source: 50, Kind: sim.KindInput, Controller: 10}
	for n := j.Retention(); n > 0; n-- {
		j.Append(e)
	}
}

// allocCounter measures allocations exactly: -benchmem's allocs/op is an
// integer, so 2 allocations every 3 events would show as 0.
type allocCounter struct{ before uint64 }

func countAllocs() allocCounter {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return allocCounter{m.Mallocs}
}

// reportEvents reports events/s over the timed part of the benchmark, and,
// given the counter taken just before it, allocations per event. Call it
// with the timer stopped.
func reportEvents(b *testing.B, events int, ac ...allocCounter) {
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	if len(ac) > 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.Mallocs-ac[0].before)/float64(events), "allocs/event")
	}
}

// BenchmarkStimulusToJournal: one stimulus, one journaled event.
func BenchmarkStimulusToJournal(b *testing.B) {
	// An input set in alarm, then back to rest, round the site's 16 inputs.
	b.Run("input", func(b *testing.B) {
		w := worldNew(b)
		last := w.Journal().Last()
		b.ReportAllocs()
		ac := countAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			in := worldInputs[i%len(worldInputs)]
			if _, err := w.SetInput(in, (i/len(worldInputs))%2 == 0); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		worldCheck(b, w, last, b.N)
		reportEvents(b, b.N, ac)
	})
	// A passage: request to exit (a grant), door opened, door closed and
	// relocked, round the site's 8 doors. Arms the relock and open-too-long
	// timers on every passage.
	b.Run("door", func(b *testing.B) {
		w := worldNew(b)
		last := w.Journal().Last()
		b.ReportAllocs()
		ac := countAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			d := worldDoors[(i/3)%len(worldDoors)]
			var err error
			switch i % 3 {
			case 0:
				_, err = w.PressREX(d)
			case 1:
				_, err = w.OpenDoor(d)
			default:
				_, err = w.CloseDoor(d)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		worldCheck(b, w, last, b.N)
		reportEvents(b, b.N, ac)
	})
	// A card presented and granted by the head-end, door opened, door
	// closed and relocked.
	b.Run("card", func(b *testing.B) {
		w := worldNew(b)
		last := w.Journal().Last()
		b.ReportAllocs()
		ac := countAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			k := (i / 3) % len(worldDoors)
			var err error
			switch i % 3 {
			case 0:
				var p sim.Presented
				p, err = w.PresentCard(worldReaders[k], "100:1001", "")
				if err == nil && !p.Granted {
					b.Fatal("denied")
				}
			case 1:
				_, err = w.OpenDoor(worldDoors[k])
			default:
				_, err = w.CloseDoor(worldDoors[k])
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		worldCheck(b, w, last, b.N)
		reportEvents(b, b.N, ac)
	})
	// Inputs as above while a head-end follows the journal by cursor in
	// another goroutine, woken by Wait: the lock is shared with a reader.
	b.Run("input+follower", func(b *testing.B) {
		w := worldNew(b)
		j := w.Journal()
		last := j.Last()
		done := make(chan uint64)
		stop := make(chan struct{})
		go func() {
			c := j.Cursor(last)
			buf := make([]sim.Event, 0, 1000)
			var n uint64
			for {
				buf = c.Next(buf[:0], 1000)
				n += uint64(len(buf))
				if len(buf) > 0 {
					continue
				}
				select {
				case <-c.Wait():
				case <-stop:
					n += uint64(len(c.Next(buf[:0], 0)))
					done <- n + c.Missed()
					return
				}
			}
		}()
		b.ReportAllocs()
		ac := countAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			in := worldInputs[i%len(worldInputs)]
			if _, err := w.SetInput(in, (i/len(worldInputs))%2 == 0); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		close(stop)
		if got := <-done; got != uint64(b.N) {
			b.Fatalf("the follower saw %d events, want %d", got, b.N)
		}
		reportEvents(b, b.N, ac)
	})
}

// worldCheck makes sure every stimulus journaled exactly one event.
func worldCheck(b *testing.B, w *sim.World, before uint64, n int) {
	b.Helper()
	if got := w.Journal().Last() - before; got != uint64(n) {
		b.Fatalf("%d events journaled for %d stimuli", got, n)
	}
}

// BenchmarkJournalAppend: the journal alone, a typical access event
// appended to a full ring.
func BenchmarkJournalAppend(b *testing.B) {
	j := sim.NewJournal(0)
	worldFill(j)
	e := sim.Event{Time: sim.DefaultStart.Add(time.Second), Type: sim.EventAccessGranted, Source: 30, Kind: sim.KindReader,
		Door: 20, Controller: 10, Card: "100:1001", User: "Alice Martin", UserID: 200}
	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j.Append(e)
	}
	b.StopTimer()
	reportEvents(b, b.N, ac)
}

// BenchmarkJournalCursorRead: a cursor reads a full journal in batches of
// 1000 into a reused buffer, starting over at the oldest event when it
// reaches the newest. One op is one event read.
func BenchmarkJournalCursorRead(b *testing.B) {
	j := sim.NewJournal(0)
	worldFill(j)
	first := j.First()
	c := j.Cursor(first - 1)
	buf := make([]sim.Event, 0, 1000)
	b.ReportAllocs()
	ac := countAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		buf = c.Next(buf[:0], min(1000, b.N-n))
		if len(buf) == 0 {
			c.Seek(first - 1)
			continue
		}
		n += len(buf)
	}
	b.StopTimer()
	if c.Missed() != 0 {
		b.Fatalf("missed %d", c.Missed())
	}
	reportEvents(b, b.N, ac)
}
