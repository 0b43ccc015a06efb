package genetec

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/query"
)

func newTestDB(t *testing.T) *DB {
	t.Helper()
	w, err := sim.New(sim.DefaultSite())
	require.NoError(t, err)
	db, err := NewDB(w)
	require.NoError(t, err)
	return db
}

func execQuery(t *testing.T, db *DB, q string) any {
	t.Helper()
	pq, err := query.Parse(q)
	require.NoError(t, err)
	out, err := db.Exec(pq, "admin", sim.GenetecDevAppID)
	require.NoError(t, err)
	return out
}

// A read copies nothing: on a site of 400,000 entities each copy of the
// maps decisions read costs tens of MB.
func TestReadKeepsPublishedView(t *testing.T) {
	db := newTestDB(t)
	before := db.pub.Load()
	execQuery(t, db, "entity="+GUIDAdmin+",Name")
	require.Same(t, before, db.pub.Load())
}

// The published view shares the database's maps: a commit must change
// copies, so a decision under way sees the site as it was.
func TestCommitLeavesEarlierViewAsItWas(t *testing.T) {
	db := newTestDB(t)
	v0 := db.pub.Load()
	execQuery(t, db, "entity=NewEntity(Cardholder),FirstName=Zed,LastName=One")
	var g string
	for guid, e := range db.pub.Load().byGUID {
		if e.typ == TypeCardholder && e.person().first == "Zed" {
			g = guid
		}
	}
	require.NotEmpty(t, g)
	require.Nil(t, v0.byGUID[g], "a view published before the creation holds the new cardholder")

	v1 := db.pub.Load()
	execQuery(t, db, "entity="+g+",FirstName=Bob,ActivationMode=SpecificDeactivation(2030-01-01T00:00:00)")
	require.Equal(t, "Zed", v1.byGUID[g].person().first)
	require.True(t, v1.byGUID[g].validity().expiration.IsZero())
	require.Equal(t, "Bob", db.pub.Load().byGUID[g].person().first)
	require.False(t, db.pub.Load().byGUID[g].validity().expiration.IsZero())
}

// A door has none of a cardholder's, credential's or rule's fields: they
// read as zero, and a clone of it allocates none.
func TestHardwareHasNoGroups(t *testing.T) {
	db := newTestDB(t)
	var door *entity
	for _, e := range db.byGUID {
		if e.typ == TypeDoor {
			door = e
			break
		}
	}
	require.NotNil(t, door)
	require.Equal(t, personFields{}, door.person())
	require.Equal(t, validityFields{}, door.validity())
	require.Equal(t, credFields{}, door.credential())
	require.Equal(t, ruleFields{}, door.accessRule())
	require.Equal(t, miscFields{}, door.misc())
	c := door.clone()
	require.Nil(t, c.personG)
	require.Nil(t, c.validG)
	require.Nil(t, c.credG)
	require.Nil(t, c.ruleG)
	require.Nil(t, c.miscG)
}

// A clone's groups are its own: changing them leaves the original.
func TestCloneCopiesGroups(t *testing.T) {
	e := &entity{typ: TypeCardholder}
	e.personMut().creds = []string{"a"}
	e.accessRuleMut().doors = []string{"d"}
	e.miscMut().members = []string{"m"}
	e.credentialMut().state = "Active"
	e.validityMut().activation = sim.DefaultSite().StartTime()
	c := e.clone()
	c.personMut().creds[0] = "b"
	c.personMut().first = "x"
	c.accessRuleMut().doors[0] = "e"
	c.miscMut().members[0] = "n"
	c.credentialMut().state = "Lost"
	c.validityMut().activation = c.validity().activation.Add(1)
	require.Equal(t, []string{"a"}, e.person().creds)
	require.Empty(t, e.person().first)
	require.Equal(t, []string{"d"}, e.accessRule().doors)
	require.Equal(t, []string{"m"}, e.misc().members)
	require.Equal(t, "Active", e.credential().state)
	require.Equal(t, sim.DefaultSite().StartTime(), e.validity().activation)
}
