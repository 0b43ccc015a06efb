package main

import (
	"runtime"
	"runtime/debug"
)

// Starting a large site is a series of phases (generate, world, the
// EntraPass and Security Center databases, the servers), each leaving
// garbage behind: lists and maps that only validation or loading needed.
// The process's peak RSS is its live heap plus the garbage made since the
// last collection, and with the default GOGC the collector lets that grow
// to the live heap again. Collecting between phases keeps the peak near
// the live heap (bench/RESULTS.md, the million-user site) for a fraction
// of a second of CPU; a small site does not notice.

// settle collects the garbage of the phase that ended.
func settle() { runtime.GC() }

// settled is settle, returning the freed memory to the system: once the
// site serves, its RSS is what it holds.
func settled() { debug.FreeOSMemory() }
