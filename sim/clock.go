package sim

import (
	"container/heap"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the time source of a world. Physics timers (relock, open too long,
// timed activations) are scheduled on it so that tests can move time by hand.
type Clock interface {
	// Now returns the current site time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine (RealClock) or from Advance
	// (ManualClock) once d has elapsed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a scheduled call that can be stopped or moved. Reset reuses the
// timer, so the physics reschedules without allocating.
type Timer interface {
	// Stop prevents the call if it has not run yet and reports whether it did.
	Stop() bool
	// Reset schedules the call d from now, replacing any pending schedule.
	Reset(d time.Duration) bool
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// DefaultStart is where a ManualClock starts unless told otherwise: Monday
// 2026-01-05 09:00:00 UTC, inside business hours, so tests give the same
// result on any day they run.
var DefaultStart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// ManualClock is a clock that moves only when Advance or Set is called.
// Due timers fire in order of their deadline (then of their scheduling), each
// seeing Now equal to its own deadline.
//
// Now is read on every event the world journals, so it takes no lock: the
// time is kept as an atomic offset in nanoseconds from the start. Timers and
// moves of the clock are serialised by mu.
type ManualClock struct {
	base time.Time    // the start; Now is base + off
	off  atomic.Int64 // nanoseconds since base; written with mu held

	mu     sync.Mutex
	timers timerHeap
	seq    uint64
	// advancing serialises Advance calls so timers never fire out of order.
	advancing sync.Mutex
}

// NewManualClock returns a clock stopped at start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{base: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	return c.base.Add(time.Duration(c.off.Load()))
}

// AfterFunc schedules f to run when the clock has been advanced by d.
// A non-positive d fires at the next Advance (even by zero).
func (c *ManualClock) AfterFunc(d time.Duration, f func()) Timer {
	t := &manualTimer{c: c, f: f, index: -1}
	t.Reset(d)
	return t
}

// Advance moves the clock forward by d, firing every timer that falls due,
// in deadline order. Timers scheduled by a firing timer fire too if they fall
// due within d. Advance must not be called from a timer callback.
func (c *ManualClock) Advance(d time.Duration) {
	c.advancing.Lock()
	defer c.advancing.Unlock()
	c.advanceTo(addOff(c.off.Load(), d))
}

// addOff returns off+d, with d < 0 taken as 0 and saturating instead of
// overflowing (an Advance by math.MaxInt64 must not turn the clock back).
func addOff(off int64, d time.Duration) int64 {
	if d <= 0 {
		return off
	}
	if int64(d) > math.MaxInt64-off {
		return math.MaxInt64
	}
	return off + int64(d)
}

// advanceTo moves the clock to offset target, firing due timers. Called
// with c.advancing held.
func (c *ManualClock) advanceTo(target int64) {
	c.mu.Lock()
	for {
		if len(c.timers) == 0 || c.timers[0].when > target {
			break
		}
		t := heap.Pop(&c.timers).(*manualTimer)
		if t.when > c.off.Load() {
			c.off.Store(t.when)
		}
		f := t.f
		c.mu.Unlock()
		f()
		c.mu.Lock()
	}
	if target > c.off.Load() {
		c.off.Store(target)
	}
	c.mu.Unlock()
}

// Set moves the clock to t if t is later than now, firing due timers (as
// Advance(0) does when t is not later). It reads the clock and moves it in
// one step, so a concurrent Advance cannot slip in between.
func (c *ManualClock) Set(t time.Time) {
	c.advancing.Lock()
	defer c.advancing.Unlock()
	c.advanceTo(addOff(c.off.Load(), t.Sub(c.Now())))
}

// Pending returns the number of timers waiting to fire.
func (c *ManualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// NextDeadline returns when the earliest pending timer falls due.
func (c *ManualClock) NextDeadline() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	return c.base.Add(time.Duration(c.timers[0].when)), true
}

type manualTimer struct {
	c     *ManualClock
	f     func()
	when  int64 // deadline, as an offset from the clock's base
	seq   uint64
	index int // position in the heap, -1 when not scheduled
}

func (t *manualTimer) Stop() bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&c.timers, t.index)
	return true
}

func (t *manualTimer) Reset(d time.Duration) bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t.when = addOff(c.off.Load(), d)
	t.seq = c.seq
	if t.index >= 0 {
		heap.Fix(&c.timers, t.index)
		return true
	}
	heap.Push(&c.timers, t)
	return false
}

type timerHeap []*manualTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when == h[j].when {
		return h[i].seq < h[j].seq
	}
	return h[i].when < h[j].when
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*manualTimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
