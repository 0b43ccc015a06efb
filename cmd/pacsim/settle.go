package main

import (
	"runtime"
	"runtime/debug"
)

// Starting a large site is a series of phases (generate, world, the
// EntraPass and Security Center databases, the servers), each building
// what the site keeps and leaving behind a little garbage: lists and maps
// that only validation or loading needed. The process's peak RSS is its
// live heap plus the garbage not yet collected.
//
// So during a start the collector runs where it frees what would add to
// the peak: before the databases load, whose end is the peak (settle), and
// seldom within a phase, where it frees next to nothing: on the million-user site a collection in the middle of
// loading the databases took a second and freed 6 MB (bench/RESULTS.md,
// the million-user site). startGOGC is the GOGC of the start: a phase may
// grow the heap to that many percent over the live heap before the
// collector steps in, which a phase that builds and keeps does not reach.
const startGOGC = 400

// startCollecting sets the start's GOGC and returns what restores the
// process's own (GOGC or 100).
func startCollecting() (restore func()) {
	prev := debug.SetGCPercent(startGOGC)
	return func() { debug.SetGCPercent(prev) }
}

// settle collects the garbage of the phase that ended.
func settle() { runtime.GC() }

// settled is settle, returning the freed memory to the system: once the
// site serves, its RSS is what it holds.
func settled() { debug.FreeOSMemory() }
