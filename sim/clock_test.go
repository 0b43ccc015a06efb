package sim_test

import (
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// firing records which timer fired and what the clock said then.
type firing struct {
	name string
	at   time.Duration
}

type recorder struct {
	mu  sync.Mutex
	c   *sim.ManualClock
	got []firing
}

func (r *recorder) fn(name string) func() {
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got = append(r.got, firing{name, r.c.Now().Sub(sim.DefaultStart)})
	}
}

func (r *recorder) take() []firing {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

func TestDefaultStart(t *testing.T) {
	assert.Equal(t, time.Monday, sim.DefaultStart.Weekday())
	assert.Equal(t, "2026-01-05 09:00:00 UTC", sim.DefaultStart.Format("2006-01-02 15:04:05 MST"))
	c := sim.NewManualClock(sim.DefaultStart)
	assert.True(t, c.Now().Equal(sim.DefaultStart))
	c.Advance(90 * time.Minute)
	assert.True(t, c.Now().Equal(sim.DefaultStart.Add(90*time.Minute)))
}

func TestManualClock(t *testing.T) {
	s := time.Second
	cases := []struct {
		name string
		run  func(c *sim.ManualClock, r *recorder)
		want []firing
	}{
		{"fires in deadline order, each seeing its own deadline", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(3*s, r.fn("c"))
			c.AfterFunc(1*s, r.fn("a"))
			c.AfterFunc(2*s, r.fn("b"))
			c.Advance(10 * s)
		}, []firing{{"a", 1 * s}, {"b", 2 * s}, {"c", 3 * s}}},
		{"same deadline: in the order scheduled", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(2*s, r.fn("x"))
			c.AfterFunc(2*s, r.fn("y"))
			c.AfterFunc(2*s, r.fn("z"))
			c.Advance(2 * s)
		}, []firing{{"x", 2 * s}, {"y", 2 * s}, {"z", 2 * s}}},
		{"not before the deadline", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(5*s, r.fn("a"))
			c.Advance(5*s - time.Nanosecond)
		}, nil},
		{"exactly at the deadline", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(5*s, r.fn("a"))
			c.Advance(4 * s)
			c.Advance(1 * s)
		}, []firing{{"a", 5 * s}}},
		{"a timer scheduled by a callback fires within the same Advance", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(1*s, func() {
				r.fn("first")()
				c.AfterFunc(2*s, func() {
					r.fn("second")()
					c.AfterFunc(10*s, r.fn("too late"))
				})
				c.AfterFunc(0, r.fn("now"))
			})
			c.Advance(5 * s)
		}, []firing{{"first", 1 * s}, {"now", 1 * s}, {"second", 3 * s}}},
		{"a callback's timer due before a pending one fires first", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(3*s, r.fn("pending"))
			c.AfterFunc(1*s, func() { c.AfterFunc(1*s, r.fn("scheduled")) })
			c.Advance(5 * s)
		}, []firing{{"scheduled", 2 * s}, {"pending", 3 * s}}},
		{"Stop prevents the call", func(c *sim.ManualClock, r *recorder) {
			tm := c.AfterFunc(1*s, r.fn("a"))
			c.AfterFunc(2*s, r.fn("b"))
			if !tm.Stop() {
				panic("Stop of a pending timer reports false")
			}
			if tm.Stop() {
				panic("second Stop reports true")
			}
			c.Advance(5 * s)
		}, []firing{{"b", 2 * s}}},
		{"a callback stops a later timer", func(c *sim.ManualClock, r *recorder) {
			var later sim.Timer
			c.AfterFunc(1*s, func() { later.Stop() })
			later = c.AfterFunc(2*s, r.fn("later"))
			c.Advance(5 * s)
		}, nil},
		{"Reset moves a pending timer", func(c *sim.ManualClock, r *recorder) {
			tm := c.AfterFunc(1*s, r.fn("a"))
			c.AfterFunc(2*s, r.fn("b"))
			if !tm.Reset(3 * s) {
				panic("Reset of a pending timer reports false")
			}
			c.Advance(5 * s)
		}, []firing{{"b", 2 * s}, {"a", 3 * s}}},
		{"Reset earlier", func(c *sim.ManualClock, r *recorder) {
			tm := c.AfterFunc(10*s, r.fn("a"))
			c.Advance(2 * s)
			tm.Reset(1 * s)
			c.Advance(1 * s)
		}, []firing{{"a", 3 * s}}},
		{"Reset re-arms a fired or stopped timer", func(c *sim.ManualClock, r *recorder) {
			tm := c.AfterFunc(1*s, r.fn("a"))
			c.Advance(1 * s)
			if tm.Reset(1 * s) {
				panic("Reset of a fired timer reports true")
			}
			c.Advance(1 * s)
			tm.Stop()
			tm.Reset(2 * s)
			c.Advance(2 * s)
		}, []firing{{"a", 1 * s}, {"a", 2 * s}, {"a", 4 * s}}},
		{"a timer resetting itself in its callback", func(c *sim.ManualClock, r *recorder) {
			var tm sim.Timer
			n := 0
			tm = c.AfterFunc(1*s, func() {
				r.fn("tick")()
				if n++; n < 3 {
					tm.Reset(1 * s)
				}
			})
			c.Advance(10 * s)
		}, []firing{{"tick", 1 * s}, {"tick", 2 * s}, {"tick", 3 * s}}},
		{"zero and negative durations fire at the next Advance, even by zero", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(0, r.fn("zero"))
			c.AfterFunc(-s, r.fn("negative"))
			c.Advance(0)
		}, []firing{{"zero", 0}, {"negative", 0}}},
		{"Advance by a negative duration does nothing", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(1*s, r.fn("a"))
			c.Advance(-time.Hour)
			if !c.Now().Equal(sim.DefaultStart) {
				panic("the clock went back")
			}
		}, nil},
		{"a huge Advance saturates instead of turning the clock back", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(1*s, r.fn("a"))
			c.AfterFunc(time.Duration(math.MaxInt64), r.fn("end of time"))
			c.Advance(time.Hour)
			c.Advance(time.Duration(math.MaxInt64))
			if c.Now().Before(sim.DefaultStart.Add(time.Hour)) {
				panic("the clock went back")
			}
		}, []firing{{"a", 1 * s}, {"end of time", time.Duration(math.MaxInt64)}}},
		{"Set forward fires what falls due", func(c *sim.ManualClock, r *recorder) {
			c.AfterFunc(1*s, r.fn("a"))
			c.AfterFunc(1*time.Hour, r.fn("b"))
			c.Set(sim.DefaultStart.Add(30 * time.Minute))
			if !c.Now().Equal(sim.DefaultStart.Add(30 * time.Minute)) {
				panic("Set did not move the clock")
			}
		}, []firing{{"a", 1 * s}}},
		{"Set backwards does nothing", func(c *sim.ManualClock, r *recorder) {
			c.Advance(10 * s)
			c.AfterFunc(0, r.fn("a"))
			c.Set(sim.DefaultStart)
			if !c.Now().Equal(sim.DefaultStart.Add(10 * s)) {
				panic("the clock went back")
			}
		}, []firing{{"a", 10 * s}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sim.NewManualClock(sim.DefaultStart)
			r := &recorder{c: c}
			tc.run(c, r)
			assert.Equal(t, tc.want, r.take())
		})
	}
}

func TestManualClockPendingAndNextDeadline(t *testing.T) {
	c := sim.NewManualClock(sim.DefaultStart)
	_, ok := c.NextDeadline()
	assert.False(t, ok)
	a := c.AfterFunc(5*time.Second, func() {})
	c.AfterFunc(2*time.Second, func() {})
	assert.Equal(t, 2, c.Pending())
	d, ok := c.NextDeadline()
	require.True(t, ok)
	assert.True(t, d.Equal(sim.DefaultStart.Add(2*time.Second)))
	c.Advance(3 * time.Second)
	assert.Equal(t, 1, c.Pending())
	a.Stop()
	assert.Zero(t, c.Pending())
	assert.True(t, c.Now().Equal(sim.DefaultStart.Add(3*time.Second)))
}

// Concurrent Advance calls are serialised: every timer fires once, in
// order, and the clock ends where the sum of the advances puts it.
func TestManualClockConcurrentAdvance(t *testing.T) {
	c := sim.NewManualClock(sim.DefaultStart)
	var mu sync.Mutex
	var fired []time.Time
	for i := 1; i <= 100; i++ {
		c.AfterFunc(time.Duration(i)*time.Second, func() {
			mu.Lock()
			fired = append(fired, c.Now())
			mu.Unlock()
		})
	}
	var wg sync.WaitGroup
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				c.Advance(time.Second)
			}
		}()
	}
	wg.Wait()
	assert.True(t, c.Now().Equal(sim.DefaultStart.Add(100*time.Second)))
	require.Len(t, fired, 100)
	for i, f := range fired {
		assert.True(t, f.Equal(sim.DefaultStart.Add(time.Duration(i+1)*time.Second)), "timer %d at %v", i, f)
	}
}

// Set racing with Advance never moves the clock past what Set asked for
// plus what the Advances added.
func TestManualClockSetRacingAdvance(t *testing.T) {
	for i := 0; i < 200; i++ {
		c := sim.NewManualClock(sim.DefaultStart)
		target := sim.DefaultStart.Add(time.Hour)
		done := make(chan struct{})
		go func() { c.Advance(time.Minute); close(done) }()
		c.Set(target)
		<-done
		now := c.Now()
		// either Set ran first (then +1 min) or Advance did (then Set to target)
		ok := now.Equal(target) || now.Equal(target.Add(time.Minute))
		require.True(t, ok, "clock at %v", now.Sub(sim.DefaultStart))
	}
}

func TestRealClock(t *testing.T) {
	var c sim.Clock = sim.RealClock{}
	before := time.Now()
	now := c.Now()
	assert.False(t, now.Before(before))
	assert.WithinDuration(t, time.Now(), now, time.Minute)

	fired := make(chan time.Time, 1)
	start := time.Now()
	c.AfterFunc(time.Millisecond, func() { fired <- time.Now() })
	select {
	case at := <-fired:
		assert.GreaterOrEqual(t, at.Sub(start), time.Millisecond, "never early")
	case <-time.After(30 * time.Second):
		t.Fatal("RealClock timer never fired")
	}

	stopped := c.AfterFunc(time.Hour, func() { t.Error("a stopped timer fired") })
	assert.True(t, stopped.Stop())
	assert.False(t, stopped.Stop())

	again := make(chan struct{})
	tm := c.AfterFunc(time.Hour, func() { close(again) })
	tm.Reset(time.Millisecond)
	select {
	case <-again:
	case <-time.After(30 * time.Second):
		t.Fatal("a Reset RealClock timer never fired")
	}
}

// A world on the real clock: a door left open goes to pre-alarm by itself
// (open time 1 s, pre-alarm 950 ms before it, so after 50 ms). The test
// waits on the journal, not on a sleep.
func TestWorldOnRealClock(t *testing.T) {
	src := strings.Replace(minimalSite, "name: door\n", "name: door\n                open_time: 1s\n                prealarm: 950ms\n", 1)
	sf, err := sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	w, err := sim.New(sf, sim.WithClock(sim.RealClock{}))
	require.NoError(t, err)
	j := w.Journal()
	_, err = w.PressREX(20)
	require.NoError(t, err)
	start := time.Now()
	_, err = w.OpenDoor(20)
	require.NoError(t, err)
	c := j.Cursor(j.Last())
	select {
	case <-c.Wait():
	case <-time.After(30 * time.Second):
		t.Fatal("the door never went to pre-alarm")
	}
	got := c.Next(nil, 0)
	require.Len(t, got, 1)
	assert.Equal(t, sim.EventDoorOpenPrealarm, got[0].Type)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond, "not early")
	d, err := w.Door(20)
	require.NoError(t, err)
	assert.Equal(t, sim.ContactPrealarm, d.Contact)
	w.Reset() // stops the open-too-long timer
	d, err = w.Door(20)
	require.NoError(t, err)
	assert.Equal(t, sim.ContactClosed, d.Contact)
}
