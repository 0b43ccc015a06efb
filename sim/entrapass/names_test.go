package entrapass

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A name held by several users (as a site file may have it) keeps every
// holder through removals in any order, and leaves nothing behind.
func TestNameIndexHoldsDuplicates(t *testing.T) {
	a, b, c := &cardUser{id: 1}, &cardUser{id: 2}, &cardUser{id: 3}
	x := newNameIndex(0)
	x.add("ann lee", a)
	x.add("ann lee", b)
	x.add("ann lee", c)
	x.add("bob", &cardUser{id: 4})
	assert.Equal(t, []*cardUser{a, b, c}, x.holders("ann lee"))
	x.remove("ann lee", a)
	assert.Equal(t, []*cardUser{b, c}, x.holders("ann lee"))
	x.remove("ann lee", c)
	assert.Equal(t, []*cardUser{b}, x.holders("ann lee"))
	x.remove("ann lee", b)
	assert.Empty(t, x.holders("ann lee"))
	assert.Len(t, x.first, 1, "only bob is left")
	assert.Empty(t, x.more)
	assert.Nil(t, x.holders("nobody"))
}
