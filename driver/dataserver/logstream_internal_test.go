package dataserver

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A subscriber that does not read never blocks the logger: it keeps the
// newest lines and counts the others.
func TestLogStreamNeverBlocks(t *testing.T) {
	l := NewLogStream(WithLogBuffer(2))
	sub, _ := l.subscribe()
	require.NotNil(t, sub)
	for i := range 100 {
		fmt.Fprintf(l, "line %d\n", i)
	}
	assert.Equal(t, uint64(98), sub.dropped.Load())
	assert.Equal(t, uint64(98), l.Dropped())
	assert.Equal(t, "line 98", <-sub.ch)
	assert.Equal(t, "line 99", <-sub.ch)
	l.unsubscribe(sub)
	assert.Zero(t, l.Subscribers())
	l.Close()
	sub, code := l.subscribe()
	assert.Nil(t, sub)
	assert.Equal(t, 503, code)
}

// Readers past the cap are refused.
func TestLogStreamCapsReaders(t *testing.T) {
	l := NewLogStream(WithLogReaders(1))
	defer l.Close()
	sub, _ := l.subscribe()
	require.NotNil(t, sub)
	second, code := l.subscribe()
	assert.Nil(t, second)
	assert.Equal(t, 429, code)
	l.unsubscribe(sub)
	sub, _ = l.subscribe()
	assert.NotNil(t, sub, "a reader gone frees its place")
}
