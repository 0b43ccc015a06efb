package fault_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
)

// pattern sends n requests in sequence and returns which ones the status
// fault answered (true) — the fire sequence.
func pattern(t *testing.T, c *http.Client, url string, n int) []bool {
	t.Helper()
	out := make([]bool, n)
	for i := range out {
		code, _ := get(t, c, "GET", url)
		out[i] = code == 503
	}
	return out
}

func fired(p []bool) (idx []int) {
	for i, f := range p {
		if f {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func status503(w fault.When) fault.Fault {
	return fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503}, When: w}
}

func TestEveryThirdExactly(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, status503(fault.When{Every: 3}))
	p := pattern(t, ts.Client(), ts.URL+"/SmartService/Events", 300)
	for i, f := range p {
		assert.Equal(t, (i+1)%3 == 0, f, "request %d", i+1)
	}
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, uint64(300), got.Matched)
	assert.Equal(t, uint64(100), got.Fired)
}

// TestProbabilityRatio: p = 0.1 over 10,000 requests fires 10% ± 1.5
// percentage points (the standard deviation is 0.3 points, so this is 5σ:
// and with a fixed seed the figure is the same on every run anyway).
func TestProbabilityRatio(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, status503(fault.When{Probability: 0.1, Seed: 7}))
	p := pattern(t, ts.Client(), ts.URL+"/x", 10000)
	n := len(fired(p))
	ratio := float64(n) / 10000
	t.Logf("probability 0.1, seed 7: %d of 10000 fired (%.2f%%)", n, ratio*100)
	assert.LessOrEqual(t, math.Abs(ratio-0.1), 0.015)
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, uint64(n), got.Fired)
}

func TestSameSeedSameFaults(t *testing.T) {
	run := func(seed uint64) []bool {
		s := newSite(t)
		ts := s.serve(t, "entrapass", newHead())
		s.add(t, status503(fault.When{Probability: 0.3, Seed: seed, After: 2}))
		return pattern(t, ts.Client(), ts.URL+"/x", 200)
	}
	a, b := run(42), run(42)
	assert.Equal(t, a, b, "the same seed and the same traffic give the same faults")
	assert.False(t, a[0] || a[1], "after 2")
	assert.NotEqual(t, a, run(43), "another seed, another sequence")
}

func TestFirstAfterEveryCombine(t *testing.T) {
	for _, c := range []struct {
		name string
		when fault.When
		want []int
	}{
		{"always", fault.When{}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
		{"first 3", fault.When{First: 3}, []int{1, 2, 3}},
		{"after 17", fault.When{After: 17}, []int{18, 19, 20}},
		{"every 5", fault.When{Every: 5}, []int{5, 10, 15, 20}},
		{"first 5 of every 2nd", fault.When{Every: 2, First: 5}, []int{2, 4, 6, 8, 10}},
		{"every 3rd after 10", fault.When{Every: 3, After: 10}, []int{13, 16, 19}},
		{"first 2 after 4", fault.When{First: 2, After: 4}, []int{5, 6}},
		{"first 2 of every 4th after 1", fault.When{First: 2, Every: 4, After: 1}, []int{5, 9}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSite(t)
			ts := s.serve(t, "entrapass", newHead())
			st := s.add(t, status503(c.when))
			assert.Equal(t, c.want, fired(pattern(t, ts.Client(), ts.URL+"/x", 20)))
			got, _ := s.plan.Get(st.ID)
			assert.Equal(t, uint64(20), got.Matched)
			assert.Equal(t, uint64(len(c.want)), got.Fired)
		})
	}
}

func TestCountersCountOnlyMatchingRequests(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		Match: fault.Match{Path: "/SmartService/Events"}, When: fault.When{Every: 2}})
	var codes []int
	for _, path := range []string{"/SmartService/Events", "/SmartService/Doors", "/SmartService/Events", "/SmartService/Doors", "/SmartService/Events", "/SmartService/Events"} {
		code, _ := get(t, ts.Client(), "GET", ts.URL+path)
		codes = append(codes, code)
	}
	assert.Equal(t, []int{200, 200, 503, 200, 200, 503}, codes, "every 2nd Events request, Doors not counted")
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, uint64(4), got.Matched)
}

func TestWindowOnTheSiteClock(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, status503(fault.When{StartAfter: 30 * time.Second, For: 60 * time.Second}))
	state := func() fault.State { got, _ := s.plan.Get(st.ID); return got.State }
	code := func() int { c, _ := get(t, ts.Client(), "GET", ts.URL+"/x"); return c }

	assert.Equal(t, fault.StatePending, state())
	assert.Equal(t, 200, code(), "not yet: the window opens after 30s of site time")
	s.clock.Advance(29 * time.Second)
	assert.Equal(t, 200, code())
	s.clock.Advance(time.Second)
	assert.Equal(t, fault.StateActive, state())
	assert.Equal(t, 503, code())
	s.clock.Advance(59 * time.Second)
	assert.Equal(t, 503, code())
	s.clock.Advance(time.Second)
	assert.Equal(t, fault.StateHealed, state(), "it heals by itself")
	assert.Equal(t, 200, code())
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, uint64(5), got.Matched)
	assert.Equal(t, uint64(2), got.Fired)
}

func TestWindowCountsOnlyInsideIt(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, status503(fault.When{StartAfter: 10 * time.Second, Every: 2}))
	pattern(t, ts.Client(), ts.URL+"/x", 3) // before the window: not counted by every
	s.clock.Advance(10 * time.Second)
	assert.Equal(t, []int{2, 4}, fired(pattern(t, ts.Client(), ts.URL+"/x", 4)))
}

func TestControlNeverWaitsBehindHangingTraffic(t *testing.T) {
	s := newSite(t)
	hk := watch(s.plan)
	ts := s.serve(t, "entrapass", newHead())
	hang := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindHang})
	const n = 20
	done := make(chan int, n)
	for range n {
		go func() { code, _ := get(t, ts.Client(), "GET", ts.URL+"/x"); done <- code }()
	}
	for range n {
		hk.wait(t, "hang")
	}
	// 20 requests are held, and stay held until the hang is removed below:
	// a control call that waited behind them would never return. So that
	// is what is asserted — that add, list and remove return while the
	// requests hang — not how fast (the deadline only turns a deadlock
	// into a failure instead of a hung test binary).
	calls := make(chan error, 1)
	go func() {
		extra, err := s.plan.Add(status503(fault.When{}))
		if err == nil {
			if n := len(s.plan.List()); n != 2 {
				err = fmt.Errorf("List: %d faults, want 2", n)
			}
		}
		if err == nil {
			_, err = s.plan.Remove(extra.ID)
		}
		calls <- err
	}()
	select {
	case err := <-calls:
		require.NoError(t, err)
	case <-time.After(time.Minute):
		t.Fatal("add, list and remove are stuck behind 20 hanging requests")
	}
	_, err := s.plan.Remove(hang.ID)
	require.NoError(t, err)
	for range n {
		assert.Equal(t, 200, <-done)
	}
}
