package entrapass

import (
	"testing"
	"time"
)

// logged keeps an event time as its instant: isZero and before agree with
// time.Time's IsZero and Before.
func TestLoggedTime(t *testing.T) {
	at := func(tm time.Time) logged { return logged{sec: tm.Unix(), nsec: int32(tm.Nanosecond())} }
	base := time.Date(2026, 1, 5, 9, 0, 0, 500, time.UTC)
	times := []time.Time{{}, base, base.Add(-1), base.Add(1), base.Add(time.Second), base.Add(-keepEvents),
		time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), base.In(time.FixedZone("X", 3600))}
	for _, a := range times {
		g := at(a)
		if g.isZero() != a.IsZero() {
			t.Errorf("%v: isZero %v", a, g.isZero())
		}
		for _, b := range times {
			if g.before(b) != a.Before(b) {
				t.Errorf("%v before %v: %v", a, b, g.before(b))
			}
		}
	}
}

// The event log forgets keys as the slice-and-index version did: in
// delivery order, stopping at the first event of the horizon or of no time.
func TestEventLogPrune(t *testing.T) {
	l := newEventLog()
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var model []Event // delivered, not pruned yet
	modelCount := map[uint64]uint32{}
	prune := func() {
		hz := l.horizon()
		for len(model) > 0 && !model[0].Time.IsZero() && model[0].Time.Before(hz) {
			h := l.hash(&model[0])
			if modelCount[h]--; modelCount[h] == 0 {
				delete(modelCount, h)
			}
			model = model[1:]
		}
		l.prune()
	}
	step, pruned := 0, 0
	for round := 0; round < 40; round++ {
		for i := 0; i < 700; i++ {
			step++
			e := Event{UDT: "u", Text: "Door opened", P1: string(rune('A' + step%5))}
			if step != 20000 { // an event of no time stops pruning there
				e.Time = base.Add(time.Duration(step) * time.Minute)
			}
			if !l.fromQueue(&e) {
				t.Fatal("no credit was given")
			}
			model = append(model, e)
			modelCount[l.hash(&e)]++
		}
		prune()
		if len(l.count) != len(modelCount) {
			t.Fatalf("round %d: %d keys, want %d", round, len(l.count), len(modelCount))
		}
		for h, c := range modelCount {
			if l.count[h] != c {
				t.Fatalf("round %d: key %x counted %d, want %d", round, h, l.count[h], c)
			}
		}
		n := 0
		for i, b := range l.order.blocks {
			n += len(b)
			if i == 0 {
				n -= l.order.head
			}
		}
		if n != len(model) {
			t.Fatalf("round %d: %d entries queued, want %d", round, n, len(model))
		}
		if len(l.order.blocks) > (len(model)+l.order.head)/logBlock+1 {
			t.Fatalf("round %d: %d blocks kept for %d entries", round, len(l.order.blocks), len(model))
		}
		pruned = max(pruned, step-len(model))
	}
	if pruned != 19999 {
		t.Fatalf("pruned %d events, want the 19999 before the one of no time", pruned)
	}
}

// TestEventLogBoundedByCount: at a steady rate, three days of keys would be
// billions; the log keeps the newest keepKeys and forgets the oldest first.
func TestEventLogBoundedByCount(t *testing.T) {
	defer func(k int) { keepKeys = k }(keepKeys)
	keepKeys = 1000
	l := newEventLog()
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	events := make([]Event, 5000)
	for i := range events {
		events[i] = Event{UDT: base.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano), Text: "Access granted", P1: "Front Door", Time: base.Add(time.Duration(i) * time.Millisecond)}
		if !l.fromQueue(&events[i]) {
			t.Fatal("no credit was given")
		}
		l.prune()
	}
	if l.order.n != keepKeys || len(l.count) != keepKeys {
		t.Fatalf("log holds %d entries and %d keys, want %d", l.order.n, len(l.count), keepKeys)
	}
	// The newest keys are the ones kept: a history answer repeating the last
	// batch delivers nothing again.
	if again := l.fromHistory(events[len(events)-keepKeys:], time.Time{}); len(again) != 0 {
		t.Fatalf("%d events delivered twice", len(again))
	}
}
