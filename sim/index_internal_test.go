package sim

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIndex: dense ids (in a slice) and sparse ones (a negative id, ids past
// the bound) are found alike; absent ids are not; all yields each once.
func TestIndex(t *testing.T) {
	x := newIndex(3)
	want := map[ID]ref{
		1:       {KindGateway, 0},
		2:       {KindSite, 0},
		1023:    {KindDoor, 7},
		1024:    {KindReader, 3}, // the bound for 3 components: sparse
		1 << 40: {KindInput, 1},
		-5:      {KindOutput, 2},
	}
	for id, r := range want {
		x.put(id, r)
	}
	for id, r := range want {
		got, ok := x.get(id)
		assert.True(t, ok, "id %d", id)
		assert.Equal(t, r, got, "id %d", id)
	}
	for _, id := range []ID{0, 3, 1022, 1025, -1, 1<<40 + 1} {
		_, ok := x.get(id)
		assert.False(t, ok, "id %d", id)
	}
	assert.Equal(t, want, maps.Collect(x.all()))
	assert.Len(t, x.dense, 1024, "dense up to the largest dense id")

	n := 0
	for range x.all() {
		n++
		break
	}
	assert.Equal(t, 1, n, "all stops when asked")
}
