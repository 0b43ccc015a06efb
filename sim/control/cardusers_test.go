package control_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/control"
)

// The card users of the site file, for a person (the panel) to pick one
// and present its card: found by name or card, with their PIN and levels.
func TestCardUsers(t *testing.T) {
	e := newEnv(t)
	all, err := e.c.CardUsers(ctx(t), "", 0)
	require.NoError(t, err)
	assert.Equal(t, len(e.w.File().Users), all.Total)
	assert.Len(t, all.CardUsers, min(all.Total, control.DefaultCardUserLimit))

	p, err := e.c.CardUsers(ctx(t), "100:1002", 0)
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	u := p.CardUsers[0]
	assert.Equal(t, []string{"100:1002"}, u.Cards)
	assert.Equal(t, "12345", u.PIN)
	assert.Equal(t, []string{"Office only (Office)"}, u.AccessLevels)

	p, err = e.c.CardUsers(ctx(t), "ALICE", 0)
	require.NoError(t, err)
	require.NotEmpty(t, p.CardUsers)
	assert.Equal(t, "Alice Martin", p.CardUsers[0].Name, "the name, case ignored")
	assert.Contains(t, p.CardUsers[0].Cards, "100:1001")
	assert.Equal(t, []string{"Full Access (Office)", "Full Access (Shop)"}, p.CardUsers[0].AccessLevels)

	p, err = e.c.CardUsers(ctx(t), "", 3)
	require.NoError(t, err)
	assert.Len(t, p.CardUsers, 3)
	assert.Equal(t, all.Total, p.Total, "the total counts beyond the limit")

	p, err = e.c.CardUsers(ctx(t), "no such user anywhere", 0)
	require.NoError(t, err)
	assert.Equal(t, control.CardUserPage{CardUsers: []control.CardUser{}}, p)

	for _, bad := range []string{"0", "1001", "x"} {
		a := e.call("GET", "/v1/cardusers?limit="+bad, "")
		assert.Equal(t, 400, a.status)
		assert.Contains(t, a.errMsg(t), `limit "`+bad+`"`)
	}
}
