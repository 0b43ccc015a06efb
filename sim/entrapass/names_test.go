package entrapass

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func named(id int, name string) *cardUser {
	return &cardUser{id: id, own: &ownFields{name: name}}
}

// A name held by several users (as a site file may have it) keeps every
// holder through removals in any order, compared lower-cased, and leaves
// nothing behind.
func TestNameIndexHoldsDuplicates(t *testing.T) {
	a, b, c := named(1, "Ann Lee"), named(2, "ann lee"), named(3, "ANN LEE")
	x := newNameIndex(0)
	x.add(a)
	x.add(b)
	x.add(c)
	x.add(named(4, "Bob"))
	assert.Equal(t, []*cardUser{a, b, c}, x.holders("aNN lEE"))
	x.remove(a)
	assert.Equal(t, []*cardUser{b, c}, x.holders("Ann Lee"))
	x.remove(c)
	assert.Equal(t, []*cardUser{b}, x.holders("Ann Lee"))
	x.remove(b)
	assert.Empty(t, x.holders("Ann Lee"))
	assert.Len(t, x.first, 1, "only Bob is left")
	assert.Empty(t, x.more)
	assert.Nil(t, x.holders("nobody"))
}

// Names are keyed by a hash: two names that share one are still told apart,
// and a name past the stack buffer or with letters beyond ASCII is keyed as
// strings.ToLower has it.
func TestNameIndexTellsHashTwinsApart(t *testing.T) {
	x := newNameIndex(0)
	bob, carl := named(1, "Bob"), named(2, "Carl")
	x.add(bob)
	x.more[x.key("Bob")] = []*cardUser{carl} // as if "Carl" hashed as "bob"
	assert.Equal(t, []*cardUser{bob}, x.holders("BOB"))
	long := named(3, "Maximilian Alexander Konstantin von und zu Hohenberg-Wittelsbach III")
	accented := named(4, "ÉLODIE Ça")
	x.add(long)
	x.add(accented)
	assert.Equal(t, []*cardUser{long}, x.holders("maximilian alexander konstantin von und zu hohenberg-wittelsbach iii"))
	assert.Equal(t, []*cardUser{accented}, x.holders("élodie ça"))
}
