package main

import (
	"sync"
	"time"
)

// matcher pairs the Last Access Events the driver delivers with the cards
// `pacsim load` presented, to time each and to count the lost and the
// duplicated.
//
// The driver delivers in journal order, which is the order the cards were
// presented, so pairing is a queue: the event the queue's head expects is
// taken off it, with no map and no allocation, which keeps the measurement
// from eating the CPU it measures (a map keyed by door and card was a sixth
// of the CPU at 200,000 events/s). An event out of order is looked for
// further down the queue; the presentations it passes over are set aside,
// by door and card, for a later event to claim, and are lost if none does.
// An event that matches nothing waiting is a duplicate.
type matcher struct {
	mu        sync.Mutex
	start     time.Time
	queue     []presented // waiting, in the order presented, from head
	head      int
	aside     map[presentedKey][]time.Duration
	asideN    int
	latencies []time.Duration
	sent      int
	delivered int
	dups      int
	lastRecv  time.Duration
}

// presented is a card presented: where, which, when (since start).
type presented struct {
	presentedKey
	at time.Duration
}

// presentedKey is what a Last Access Event tells of a presentation: the
// door and the card number (compared in place: no map on the way).
type presentedKey struct {
	door int32
	card string
}

// searchWindow bounds how far down the queue an event out of order is
// looked for before it counts as a duplicate.
const searchWindow = 1 << 16

func newMatcher(start time.Time) *matcher {
	return &matcher{start: start, aside: map[presentedKey][]time.Duration{}}
}

// present records a card presented now.
func (m *matcher) present(door int32, card string) {
	at := time.Since(m.start)
	m.mu.Lock()
	if m.head > 1<<16 && m.head > len(m.queue)/2 {
		m.queue = append(m.queue[:0], m.queue[m.head:]...)
		m.head = 0
	}
	m.queue = append(m.queue, presented{presentedKey{door, card}, at})
	m.sent++
	m.mu.Unlock()
}

// receive pairs a Last Access Event received now with its presentation.
func (m *matcher) receive(door int32, card string) {
	now := time.Since(m.start)
	k := presentedKey{door, card}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.asideN > 0 {
		if q := m.aside[k]; len(q) > 0 {
			m.took(now, q[0])
			if len(q) == 1 {
				delete(m.aside, k)
			} else {
				m.aside[k] = q[1:]
			}
			m.asideN--
			return
		}
	}
	end := min(len(m.queue), m.head+searchWindow)
	for i := m.head; i < end; i++ {
		if m.queue[i].presentedKey != k {
			continue
		}
		for _, p := range m.queue[m.head:i] { // passed over: set aside
			m.aside[p.presentedKey] = append(m.aside[p.presentedKey], p.at)
			m.asideN++
		}
		m.took(now, m.queue[i].at)
		m.head = i + 1
		return
	}
	m.dups++
}

func (m *matcher) took(now, at time.Duration) {
	m.latencies = append(m.latencies, now-at)
	m.delivered++
	m.lastRecv = now
}

// ahead returns how many presentations wait for their event.
func (m *matcher) ahead() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sent - m.delivered
}

// lost returns how many presentations no event claimed.
func (m *matcher) lost() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue) - m.head + m.asideN
}
