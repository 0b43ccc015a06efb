// Package split runs a loop over n independent items on every processor,
// reporting the error a plain loop would have met first. Loading a site of
// a million card users is such loops; on two cores split halves them.
package split

import (
	"runtime"
	"sync"
)

// minChunk is the fewest items worth a goroutine: below it a plain loop
// is faster than starting one.
const minChunk = 4096

// Range calls fn on consecutive chunks [lo, hi) covering [0, n), in
// parallel when n is large, and returns the error of the lowest chunk
// that failed: the one a loop from 0 meets first, when fn stops at its
// first failing item. Every chunk runs to its end or its error.
func Range(n int, fn func(lo, hi int) error) error {
	chunks := min(runtime.GOMAXPROCS(0), n/minChunk)
	if chunks <= 1 {
		return fn(0, n)
	}
	errs := make([]error, chunks)
	var wg sync.WaitGroup
	for c := range chunks {
		lo, hi := c*n/chunks, (c+1)*n/chunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[c] = fn(lo, hi)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Do runs each fn on its own goroutine and returns when all have.
func Do(fns ...func()) {
	var wg sync.WaitGroup
	for _, fn := range fns[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	fns[0]()
	wg.Wait()
}
