package entrapass

import (
	"runtime"
	"testing"

	"github.com/pacsim/pacsim/sim"
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
		assert.Contains(t, db.byName.holders(us.Name), u, "users[%d]'s name", i)
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
