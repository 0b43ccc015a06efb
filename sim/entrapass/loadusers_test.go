package entrapass

import (
	"fmt"
	"html"
	"runtime"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadUsersSite is a generated site large enough that loadUsers splits
// its users across goroutines, and its world.
func loadUsersSite(t *testing.T) (*sim.SiteFile, *sim.World) {
	t.Helper()
	prev := runtime.GOMAXPROCS(4)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 8, Users: 20_000, Seed: 3})
	require.NoError(t, err)
	w, err := sim.New(sf)
	require.NoError(t, err)
	return sf, w
}

func TestLoadUsersInParallelKeepsEveryUser(t *testing.T) {
	sf, w := loadUsersSite(t)
	db, err := NewDB(w)
	require.NoError(t, err)
	require.Len(t, db.users, len(sf.Users))
	require.Len(t, db.idOrder, len(sf.Users))
	for i, u := range db.idOrder {
		if i > 0 {
			require.Less(t, db.idOrder[i-1].id, u.id, "idOrder is by id")
		}
	}
	for _, i := range []int{0, 4095, 4096, 9999, 10_000, 19_999} {
		us := sf.Users[i]
		u := db.users[us.ID]
		require.NotNil(t, u, "users[%d]", i)
		assert.Same(t, u, db.byCard[us.Cards[0].Number], "users[%d]'s card", i)
		assert.Contains(t, db.names().holders(us.Name), u, "users[%d]'s name", i)
	}
}

// A file changed behind the world's back (the world validated it) fails
// where a loop over it would have first: the lowest index, whichever
// goroutine met it.
func TestLoadUsersInParallelReportsTheFirstFailure(t *testing.T) {
	sf, w := loadUsersSite(t)
	sf.Users[17_000].AccessLevels = []int{999_999}
	sf.Users[6_000].AccessLevels = []int{999_998}
	_, err := NewDB(w)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "users[6000]")
	assert.Contains(t, err.Error(), "no access level has id 999998")

	sf, w = loadUsersSite(t)
	sf.Users[15_000].Cards[0].Number = sf.Users[12].Cards[0].Number
	sf.Users[11_000].Cards[0].Number = sf.Users[10].Cards[0].Number
	_, err = NewDB(w)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "users[11000]")
	assert.Contains(t, err.Error(), "card "+sf.Users[10].Cards[0].Number+" is held by another card user")
}

// The name index is built on the first write that needs it, from the users
// as they stand then: one removed before is no holder of its name.
func TestNameIndexBuiltOnFirstWrite(t *testing.T) {
	sf, w := loadUsersSite(t)
	db, err := NewDB(w)
	require.NoError(t, err)
	require.False(t, db.byName.built(), "built at load")
	now := w.Now()
	gone, kept := sf.Users[100], sf.Users[200]
	require.True(t, db.remove(gone.ID, now))
	require.False(t, db.byName.built(), "a removal needs no names")

	named := func(name string) *wire.CardPatch {
		p, err := wire.ParseCardPatch([]byte("<Card><UserName>" + html.EscapeString(name) + "</UserName></Card>"))
		require.NoError(t, err)
		return p
	}
	_, f := db.save(0, true, named(strings.ToUpper(kept.Name)), db.defaultCardType, now)
	require.NotNil(t, f, "a second holder of %q", kept.Name)
	assert.Contains(t, f.Error(), fmt.Sprintf("is the name of card user %d", kept.ID))
	require.True(t, db.byName.built())

	res, f := db.save(0, true, named(gone.Name), db.defaultCardType, now)
	require.Nil(t, f, "the removed user's name is free")
	_, f = db.save(0, true, named(gone.Name), db.defaultCardType, now)
	require.NotNil(t, f, "indexed once built")
	assert.Contains(t, f.Error(), fmt.Sprintf("is the name of card user %d", res.id))

	db.ResetUsers(now)
	require.False(t, db.byName.built(), "a reset drops the index with the users")
	_, f = db.save(0, true, named(gone.Name), db.defaultCardType, now)
	require.NotNil(t, f, "back in the file's users after the reset")
	assert.Contains(t, f.Error(), fmt.Sprintf("is the name of card user %d", gone.ID))
}
