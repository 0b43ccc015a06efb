package asset

import (
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultBuffer is the per-subscriber buffer of Subscribe(0): enough for a
// burst of status changes across a site's doors without dropping.
const DefaultBuffer = 1024

// Bus fans workflow events out to subscribers (the northbound event stream,
// workflows, tests).
//
// Publishing never blocks: each subscriber has a bounded buffer, and when a
// slow subscriber's buffer is full its oldest event is dropped to make room
// (the newest event carries the current state; the sequence numbers show the
// subscriber where it lost some). Drops are counted per subscriber and in
// total. The bus runs no goroutine of its own, so it can leak none.
//
// Publication is serialised, so every subscriber sees events in sequence
// order.
type Bus struct {
	mu      sync.Mutex
	seq     uint64
	subs    []*Subscription
	closed  bool
	dropped atomic.Uint64
}

// NewBus makes a bus.
func NewBus() *Bus { return &Bus{} }

// Subscription is one subscriber's view of a bus.
type Subscription struct {
	bus     *Bus
	ch      chan Event
	dropped atomic.Uint64
	closed  bool // under bus.mu
}

// Subscribe adds a subscriber with a buffer of that many events
// (DefaultBuffer when buffer ≤ 0). The subscriber reads Events until it
// calls Close, or the bus is closed. Subscribing to a closed bus gives a
// subscription whose channel is already closed.
func (b *Bus) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	s := &Subscription{bus: b, ch: make(chan Event, buffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.closed = true
		close(s.ch)
		return s
	}
	b.subs = append(b.subs, s)
	return s
}

// Unsubscribe removes the subscriber and closes its channel (after the events
// already buffered). Unsubscribing twice is harmless.
func (b *Bus) Unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	// In place: Publish reads b.subs under the same lock.
	b.subs = slices.DeleteFunc(b.subs, func(x *Subscription) bool { return x == s })
	close(s.ch)
}

// Publish gives the event the next sequence number and delivers it to every
// subscriber without blocking; it returns the sequence number (0 when the
// bus is closed and the event went nowhere).
func (b *Bus) Publish(e Event) uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0
	}
	b.seq++
	e.setSequence(b.seq)
	for _, s := range b.subs {
		select {
		case s.ch <- e:
			continue
		default:
		}
		// Full: drop the oldest. Publishers are serialised by b.mu and only
		// the subscriber receives otherwise, so after one receive the send
		// succeeds; the defaults only guard against a subscriber that drained
		// the buffer meanwhile.
		select {
		case <-s.ch:
			s.dropped.Add(1)
			b.dropped.Add(1)
		default:
		}
		select {
		case s.ch <- e:
		default:
			s.dropped.Add(1)
			b.dropped.Add(1)
		}
	}
	return b.seq
}

// Close closes every subscription; later events go nowhere.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for _, s := range b.subs {
		s.closed = true
		close(s.ch)
	}
	b.subs = nil
}

// Published returns the number of events published: the last sequence number.
func (b *Bus) Published() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq
}

// Dropped returns how many events were dropped, over every subscriber.
func (b *Bus) Dropped() uint64 { return b.dropped.Load() }

// Subscribers returns the number of current subscribers.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// Events is the subscriber's channel; it is closed by Close, Unsubscribe or
// the bus's Close.
func (s *Subscription) Events() <-chan Event { return s.ch }

// Dropped returns how many events this subscriber lost because it was slow.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close unsubscribes.
func (s *Subscription) Close() { s.bus.Unsubscribe(s) }
