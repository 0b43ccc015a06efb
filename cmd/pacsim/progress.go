package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// DefaultProgress is the interval of progress lines: a large site takes
// tens of seconds to start and `pacsim load` runs for as long as asked,
// silent until the end without them.
const DefaultProgress = time.Second

// progress prints a line on stderr each interval while something long runs
// (and one at each change of phase), but only once a first interval has
// passed: a small site starts quietly. stdout is never touched, since
// scripts parse it. A nil *progress prints nothing.
type progress struct {
	w     io.Writer
	every time.Duration
	now   func() time.Time
	t0    time.Time

	mu     sync.Mutex
	phase  string
	status func() string // figures of the phase; nil for none

	done chan struct{}
	wg   sync.WaitGroup
}

// minProgressTick bounds the lines of a tiny interval (a test's) to ten a
// second; phase changes still print at once.
const minProgressTick = 100 * time.Millisecond

// startProgress starts printing to w every interval (0 or less: never,
// and it returns nil).
func startProgress(w io.Writer, every time.Duration) *progress {
	if every <= 0 {
		return nil
	}
	t := time.NewTicker(max(every, minProgressTick))
	p := newProgress(w, every, time.Now, t.C)
	p.wg.Go(func() { <-p.done; t.Stop() })
	return p
}

// newProgress is startProgress with the clock and the ticks given, so a
// test drives them.
func newProgress(w io.Writer, every time.Duration, now func() time.Time, tick <-chan time.Time) *progress {
	p := &progress{w: w, every: every, now: now, t0: now(), done: make(chan struct{})}
	p.wg.Go(func() {
		for {
			select {
			case <-tick:
				p.mu.Lock()
				p.print()
				p.mu.Unlock()
			case <-p.done:
				return
			}
		}
	})
	return p
}

// Phase says what runs now; status, when not nil, gives its figures for
// each line ("420,000 of 1,000,000 card users").
func (p *progress) Phase(name string, status func() string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase, p.status = name, status
	p.print()
}

// Stop ends the lines; if any was printed, a last one says how long it
// all took. Stop may be called more than once.
func (p *progress) Stop(last string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	select {
	case <-p.done:
		p.mu.Unlock()
		return
	default:
	}
	close(p.done)
	p.mu.Unlock()
	p.wg.Wait()
	if d := p.now().Sub(p.t0); d >= p.every {
		fmt.Fprintf(p.w, "pacsim: %s after %.1fs\n", last, d.Seconds())
	}
}

// print writes the line of now, once the first interval has passed.
// Called locked.
func (p *progress) print() {
	d := p.now().Sub(p.t0)
	if d < p.every || p.phase == "" {
		return
	}
	line := fmt.Sprintf("pacsim: %.1fs: %s", d.Seconds(), p.phase)
	if p.status != nil {
		if s := p.status(); s != "" {
			line += ": " + s
		}
	}
	fmt.Fprintln(p.w, line)
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
