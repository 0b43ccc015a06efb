package sim

import "sync"

// DefaultRetention is how many events a journal keeps unless told otherwise.
const DefaultRetention = 1_000_000

// Journal is the append-only, sequence-numbered log of the world's events,
// kept in a ring of bounded size. Readers follow it with cursors; a cursor
// that falls behind retention is told how many events it missed.
//
// It is the hot path of the event benchmarks: Append copies a value into a
// preallocated slot and takes one short lock; no lock is held across I/O.
type Journal struct {
	mu    sync.Mutex
	ring  []Event // grows up to retention, then wraps
	limit int
	head  int    // index in ring of the oldest event
	next  uint64 // sequence number the next event gets
	wake  chan struct{}
	// counts are the events journaled by type, kept since the journal
	// began (eventcount.go): an increment under the lock already held.
	counts [countSlots]uint64
}

// NewJournal returns an empty journal keeping at most retention events
// (DefaultRetention when retention <= 0).
func NewJournal(retention int) *Journal {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return &Journal{limit: retention, next: 1}
}

// Append adds e, assigning its sequence number, and returns it.
func (j *Journal) Append(e Event) uint64 {
	j.mu.Lock()
	e.Seq = j.next
	j.next++
	j.counts[countSlot(e.Type)]++
	if len(j.ring) < j.limit {
		if len(j.ring) == cap(j.ring) {
			j.grow()
		}
		j.ring = append(j.ring, e)
	} else {
		j.ring[j.head] = e
		j.head++
		if j.head == j.limit {
			j.head = 0
		}
	}
	w := j.wake
	j.wake = nil
	j.mu.Unlock()
	if w != nil {
		close(w)
	}
	return e.Seq
}

// grow doubles the ring's room, up to the retention. append alone grows a
// large slice by a quarter at a time: a ring filling to a million events
// was copied about four times over, under the lock, every stimulus waiting.
func (j *Journal) grow() {
	r := make([]Event, len(j.ring), min(max(2*cap(j.ring), 1024), j.limit))
	copy(r, j.ring)
	j.ring = r
}

// Last returns the sequence number of the newest event (0 when empty).
func (j *Journal) Last() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.next - 1
}

// First returns the sequence number of the oldest event still retained
// (Last()+1 when empty).
func (j *Journal) First() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.next - uint64(len(j.ring))
}

// Retention returns the most events the journal keeps.
func (j *Journal) Retention() int { return j.limit }

// Read appends to dst the events with a sequence number above after, at most
// max of them (all when max <= 0), oldest first. missed counts the events
// after `after` that retention already dropped.
func (j *Journal) Read(after uint64, dst []Event, max int) (out []Event, missed uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	// Nothing newer than after: checked first, so that after+1 below cannot
	// overflow (a client asking for events after 2^64-1 got the whole
	// journal and a bogus missed count).
	if after >= j.next-1 {
		return dst, 0
	}
	n := uint64(len(j.ring))
	first := j.next - n
	if after+1 < first {
		missed = first - after - 1
		after = first - 1
	}
	count := j.next - 1 - after
	if max > 0 && count > uint64(max) {
		count = uint64(max)
	}
	start := (uint64(j.head) + (after + 1 - first)) % n
	for count > 0 {
		end := start + count
		if end > n {
			end = n
		}
		dst = append(dst, j.ring[start:end]...)
		count -= end - start
		start = 0
	}
	return dst, missed
}

// Get returns the event with sequence number seq, if still retained.
func (j *Journal) Get(seq uint64) (Event, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := uint64(len(j.ring))
	first := j.next - n
	if seq < first || seq >= j.next {
		return Event{}, false
	}
	return j.ring[(uint64(j.head)+seq-first)%n], true
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// Wait returns a channel that is closed once an event with a sequence number
// above after exists. It is already closed if one does.
func (j *Journal) Wait(after uint64) <-chan struct{} {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.next-1 > after {
		return closedChan
	}
	if j.wake == nil {
		j.wake = make(chan struct{})
	}
	return j.wake
}

// Cursor follows the journal for one reader. It is not safe for concurrent
// use; each reader owns its cursor.
type Cursor struct {
	j      *Journal
	pos    uint64
	missed uint64
}

// Cursor returns a cursor positioned after sequence number after (0 reads
// from the oldest retained event).
func (j *Journal) Cursor(after uint64) *Cursor {
	return &Cursor{j: j, pos: after}
}

// Next appends up to max unread events to dst and moves past them.
func (c *Cursor) Next(dst []Event, max int) []Event {
	before := len(dst)
	dst, missed := c.j.Read(c.pos, dst, max)
	c.missed += missed
	if len(dst) > before {
		c.pos = dst[len(dst)-1].Seq
	} else if missed > 0 {
		c.pos += missed
	}
	return dst
}

// Position returns the sequence number of the last event read.
func (c *Cursor) Position() uint64 { return c.pos }

// Seek moves the cursor to just after seq.
func (c *Cursor) Seek(seq uint64) { c.pos = seq }

// Missed returns how many events this cursor lost to retention so far.
func (c *Cursor) Missed() uint64 { return c.missed }

// Wait returns a channel closed once an unread event exists.
func (c *Cursor) Wait() <-chan struct{} { return c.j.Wait(c.pos) }
