package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// fill appends n events whose Value is their expected sequence number.
func fill(j *sim.Journal, n int) {
	for i := 0; i < n; i++ {
		next := j.Last() + 1
		j.Append(sim.Event{Type: sim.EventInputAlarm, Value: int(next)})
	}
}

func seqs(ev []sim.Event) []uint64 {
	out := make([]uint64, 0, len(ev))
	for _, e := range ev {
		out = append(out, e.Seq)
		if uint64(e.Value) != e.Seq {
			panic("event body does not match its sequence number")
		}
	}
	return out
}

func span(from, to uint64) []uint64 {
	out := []uint64{}
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func TestJournalSequenceNumbers(t *testing.T) {
	j := sim.NewJournal(0)
	assert.Equal(t, sim.DefaultRetention, j.Retention())
	assert.Equal(t, uint64(0), j.Last())
	assert.Equal(t, uint64(1), j.First(), "empty: Last()+1")
	ev, missed := j.Read(0, nil, 0)
	assert.Empty(t, ev)
	assert.Zero(t, missed)
	_, ok := j.Get(0)
	assert.False(t, ok)
	_, ok = j.Get(1)
	assert.False(t, ok)

	for i := uint64(1); i <= 5; i++ {
		e := sim.Event{Type: sim.EventInputAlarm, Seq: 999, Value: int(i)}
		assert.Equal(t, i, j.Append(e), "Append assigns the next number, whatever Seq says")
	}
	assert.Equal(t, uint64(5), j.Last())
	assert.Equal(t, uint64(1), j.First())
	assert.Equal(t, sim.DefaultRetention, sim.NewJournal(-3).Retention())
}

func TestJournalRead(t *testing.T) {
	cases := []struct {
		name      string
		retention int
		appended  int
		after     uint64
		max       int
		want      []uint64
		missed    uint64
	}{
		{"all", 10, 5, 0, 0, span(1, 5), 0},
		{"after 2", 10, 5, 2, 0, span(3, 5), 0},
		{"after the last", 10, 5, 5, 0, []uint64{}, 0},
		{"after a future number", 10, 5, 50, 0, []uint64{}, 0},
		{"after the largest number", 10, 5, math.MaxUint64, 0, []uint64{}, 0},
		{"after the largest number, wrapped", 3, 5, math.MaxUint64, 0, []uint64{}, 0},
		{"max", 10, 5, 0, 2, span(1, 2), 0},
		{"max beyond what there is", 10, 5, 3, 100, span(4, 5), 0},
		{"negative max is all", 10, 5, 0, -1, span(1, 5), 0},
		{"full, not wrapped", 5, 5, 0, 0, span(1, 5), 0},
		{"wrapped: a reader from 0 missed the dropped", 5, 12, 0, 0, span(8, 12), 7},
		{"wrapped: a reader just behind missed exactly the dropped after it", 5, 12, 3, 0, span(8, 12), 4},
		{"wrapped: a reader at the edge missed nothing", 5, 12, 7, 0, span(8, 12), 0},
		{"wrapped: read across the ring's end", 5, 12, 8, 0, span(9, 12), 0},
		{"wrapped with max across the ring's end", 5, 13, 9, 3, span(10, 12), 0},
		{"wrapped, missed and max", 5, 12, 1, 2, span(8, 9), 6},
		{"retention 1", 1, 4, 0, 0, span(4, 4), 3},
		{"retention 1 up to date", 1, 4, 3, 0, span(4, 4), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := sim.NewJournal(c.retention)
			fill(j, c.appended)
			ev, missed := j.Read(c.after, nil, c.max)
			assert.Equal(t, c.want, seqs(ev))
			assert.Equal(t, c.missed, missed)
			if len(c.want) > 0 {
				assert.Equal(t, c.want[0]-c.after-1, missed, "missed is the gap before the first event read")
			}
		})
	}
}

func TestJournalReadAppendsToDst(t *testing.T) {
	j := sim.NewJournal(4)
	fill(j, 6)
	dst := make([]sim.Event, 1, 16)
	dst[0].Value = -1
	out, _ := j.Read(4, dst, 0)
	require.Len(t, out, 3)
	assert.Equal(t, -1, out[0].Value, "what dst held is kept")
	assert.Equal(t, []uint64{5, 6}, seqs(out[1:]))
	assert.Equal(t, &dst[:1][0], &out[0], "no new array when dst has room")
	assert.Zero(t, testing.AllocsPerRun(100, func() { out, _ = j.Read(0, dst[:0], 0) }), "reading into room costs nothing")
}

func TestJournalGet(t *testing.T) {
	j := sim.NewJournal(5)
	fill(j, 12)
	for s := uint64(0); s <= 13; s++ {
		e, ok := j.Get(s)
		if s >= 8 && s <= 12 {
			require.True(t, ok, "seq %d", s)
			assert.Equal(t, s, e.Seq)
			assert.Equal(t, int(s), e.Value)
		} else {
			assert.False(t, ok, "seq %d", s)
			assert.Equal(t, sim.Event{}, e)
		}
	}
	assert.Equal(t, uint64(8), j.First())
	assert.Equal(t, uint64(12), j.Last())
}

func TestJournalCursor(t *testing.T) {
	j := sim.NewJournal(5)
	c := j.Cursor(0)
	assert.Empty(t, c.Next(nil, 0))
	fill(j, 3)
	assert.Equal(t, span(1, 2), seqs(c.Next(nil, 2)))
	assert.Equal(t, uint64(2), c.Position())
	assert.Equal(t, span(3, 3), seqs(c.Next(nil, 0)))
	assert.Zero(t, c.Missed())

	// the cursor falls behind: 9 more appended, retention 5 keeps 8..12,
	// so 4..7 are lost to it
	fill(j, 9)
	assert.Equal(t, span(8, 9), seqs(c.Next(nil, 2)))
	assert.Equal(t, uint64(4), c.Missed())
	assert.Equal(t, span(10, 12), seqs(c.Next(nil, 0)))
	assert.Equal(t, uint64(4), c.Missed(), "counted once")

	// behind again, and the next call reads nothing because max is tiny:
	// still told the exact count
	fill(j, 20) // 13..32, keeps 28..32
	assert.Equal(t, span(28, 28), seqs(c.Next(nil, 1)))
	assert.Equal(t, uint64(4+15), c.Missed())

	// Seek and Position
	c.Seek(30)
	assert.Equal(t, uint64(30), c.Position())
	assert.Equal(t, span(31, 32), seqs(c.Next(nil, 0)))
	assert.Empty(t, c.Next(nil, 0))
	assert.Equal(t, uint64(32), c.Position())

	// a fresh cursor from 0 on a wrapped journal is told what it missed
	c2 := j.Cursor(0)
	assert.Equal(t, span(28, 32), seqs(c2.Next(nil, 0)))
	assert.Equal(t, uint64(27), c2.Missed())
	// a cursor positioned at Last reads only what comes next
	c3 := j.Cursor(j.Last())
	assert.Empty(t, c3.Next(nil, 0))
	fill(j, 1)
	assert.Equal(t, span(33, 33), seqs(c3.Next(nil, 0)))
	assert.Zero(t, c3.Missed())
}

func TestJournalCursorFallsBehindTinyRetention(t *testing.T) {
	// retention 2, cursor at 1, 9 more appended: the cursor reads 9..10 and
	// missed 2..8.
	j := sim.NewJournal(2)
	fill(j, 1)
	c := j.Cursor(1)
	fill(j, 9)
	assert.Equal(t, span(9, 10), seqs(c.Next(nil, 0)))
	assert.Equal(t, uint64(7), c.Missed())
}

func TestJournalWait(t *testing.T) {
	j := sim.NewJournal(10)
	w0 := j.Wait(0)
	select {
	case <-w0:
		t.Fatal("closed with no event")
	default:
	}
	w0b := j.Wait(0)
	j.Append(sim.Event{})
	for _, w := range []<-chan struct{}{w0, w0b} {
		select {
		case <-w:
		case <-time.After(10 * time.Second):
			t.Fatal("not closed on append")
		}
	}
	select {
	case <-j.Wait(0):
	default:
		t.Fatal("Wait(0) must be closed at once: event 1 exists")
	}
	w1 := j.Wait(1)
	select {
	case <-w1:
		t.Fatal("closed with no event after 1")
	default:
	}

	// a goroutine waiting is woken by an append from another
	c := j.Cursor(j.Last())
	got := make(chan []sim.Event)
	go func() {
		<-c.Wait()
		got <- c.Next(nil, 0)
	}()
	j.Append(sim.Event{Type: sim.EventDoorOpened})
	select {
	case ev := <-got:
		require.Len(t, ev, 1)
		assert.Equal(t, sim.EventDoorOpened, ev[0].Type)
	case <-time.After(10 * time.Second):
		t.Fatal("cursor not woken")
	}
	select {
	case <-w1:
	default:
		t.Fatal("w1 not closed")
	}
}

func TestJournalAppendDoesNotAllocateOnceFull(t *testing.T) {
	j := sim.NewJournal(64)
	fill(j, 64)
	e := sim.Event{Type: sim.EventInputAlarm, Card: "100:1001", User: "Alice", Time: sim.DefaultStart}
	assert.Zero(t, testing.AllocsPerRun(1000, func() { j.Append(e) }))
}

// TestJournalGrowsByDoubling: filling a journal to a retention of 200,000
// events reallocates its ring a handful of times (doubling from 1024), not
// the thirty-odd times append's quarter-at-a-time growth would, each a copy
// of the whole ring under the lock.
func TestJournalGrowsByDoubling(t *testing.T) {
	e := sim.Event{Type: sim.EventInputAlarm, Time: sim.DefaultStart}
	allocs := testing.AllocsPerRun(1, func() {
		j := sim.NewJournal(200_000)
		for range 200_000 {
			j.Append(e)
		}
	})
	assert.LessOrEqual(t, allocs, 10.0) // the journal, and 1024 → 200,000 in 8 steps
}
