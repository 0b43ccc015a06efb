package split

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestRangeCoversEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, minChunk - 1, minChunk, 3*minChunk + 7, 100_003} {
		seen := make([]atomic.Int32, n)
		if err := Range(n, func(lo, hi int) error {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: item %d seen %d times", n, i, c)
			}
		}
	}
}

func TestRangeReportsTheFirstFailure(t *testing.T) {
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	n := 40 * minChunk
	bad := map[int]bool{3 * minChunk: true, 25 * minChunk: true, 39 * minChunk: true}
	err := Range(n, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if bad[i] {
				return fmt.Errorf("item %d", i)
			}
		}
		return nil
	})
	if err == nil || err.Error() != fmt.Sprintf("item %d", 3*minChunk) {
		t.Fatalf("got %v, want the error of item %d", err, 3*minChunk)
	}
	sentinel := errors.New("last")
	if err := Range(n, func(lo, hi int) error {
		if hi == n {
			return sentinel
		}
		return nil
	}); !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want the last chunk's error", err)
	}
}

func TestDoRunsEveryFunction(t *testing.T) {
	var a, b, c atomic.Bool
	Do(func() { a.Store(true) }, func() { b.Store(true) }, func() { c.Store(true) })
	if !a.Load() || !b.Load() || !c.Load() {
		t.Fatal("a function did not run")
	}
}
