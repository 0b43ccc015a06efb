package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Packed card numbers never collide: a facility:number and a raw number
// with the same digits are two cards, and a raw number too large to pack
// is still checked, by its text.
func TestCardSetTellsNumbersApart(t *testing.T) {
	var c cardSet
	c.packed = map[uint64]int{}
	for i, n := range []string{"1:2", "12", "0:12", "65535:4294967295", "281474976710655", "281474976710656", "99999999999999999999", "1:4294967295", "2:0"} {
		_, held := c.add(n, i)
		assert.False(t, held, "%s is a card of its own", n)
	}
	for n, want := range map[string]int{"1:2": 0, "12": 1, "281474976710656": 5, "99999999999999999999": 6} {
		prev, held := c.add(n, 100)
		assert.True(t, held, "%s again", n)
		assert.Equal(t, want, prev, "%s was first held by user %d", n, want)
	}
}
