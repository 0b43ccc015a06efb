package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestMatcher: events in order pair off the queue; an event out of order
// sets the presentations it passes aside for later events; what nothing
// claims is lost, and an event nothing waits for is a duplicate.
func TestMatcher(t *testing.T) {
	type ev struct {
		door int32
		card string
	}
	for _, tc := range []struct {
		name                  string
		sent, received        []ev
		delivered, lost, dups int
	}{
		{"in order", []ev{{1, "1"}, {2, "2"}, {1, "1"}}, []ev{{1, "1"}, {2, "2"}, {1, "1"}}, 3, 0, 0},
		{"one lost in the middle", []ev{{1, "1"}, {2, "2"}, {3, "3"}}, []ev{{1, "1"}, {3, "3"}}, 2, 1, 0},
		{"the last lost", []ev{{1, "1"}, {2, "2"}}, []ev{{1, "1"}}, 1, 1, 0},
		{"a duplicate", []ev{{1, "1"}, {2, "2"}}, []ev{{1, "1"}, {1, "1"}, {2, "2"}}, 2, 0, 1},
		{"a duplicate at the end", []ev{{1, "1"}}, []ev{{1, "1"}, {1, "1"}}, 1, 0, 1},
		{"out of order", []ev{{1, "1"}, {2, "2"}, {3, "3"}}, []ev{{3, "3"}, {1, "1"}, {2, "2"}}, 3, 0, 0},
		{"the same card at the same door twice, out of order", []ev{{1, "1"}, {2, "2"}, {1, "1"}}, []ev{{2, "2"}, {1, "1"}, {1, "1"}}, 3, 0, 0},
		{"a card nobody presented", []ev{{1, "1"}}, []ev{{1, "-1"}, {1, "1"}}, 1, 0, 1},
		{"nothing received", []ev{{1, "1"}, {2, "2"}}, nil, 0, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMatcher(time.Now())
			for _, e := range tc.sent {
				m.present(e.door, e.card)
			}
			for _, e := range tc.received {
				m.receive(e.door, e.card)
			}
			assert.Equal(t, tc.delivered, m.delivered, "delivered")
			assert.Equal(t, tc.lost, m.lost(), "lost")
			assert.Equal(t, tc.dups, m.dups, "duplicated")
			assert.Equal(t, len(tc.sent)-tc.delivered, m.ahead(), "ahead")
			assert.Len(t, m.latencies, tc.delivered)
		})
	}
}

// TestMatcherCompactsItsQueue: a long run in order keeps the queue short.
func TestMatcherCompactsItsQueue(t *testing.T) {
	m := newMatcher(time.Now())
	for i := range 300_000 {
		card := strconv.Itoa(i % 1000)
		m.present(int32(i%7), card)
		m.receive(int32(i%7), card)
	}
	assert.Equal(t, 300_000, m.delivered)
	assert.Zero(t, m.lost())
	assert.Less(t, len(m.queue), 1<<18)
}
