package genetec_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEntitiesBounded: at the entity bound, NewEntity is refused with
// InvalidOperation naming it, and nothing is created; deleting one makes
// room.
func TestEntitiesBounded(t *testing.T) {
	s := newSite(t)
	n := s.gs.Entities()
	s.gs.SetMaxEntities(n + 2)
	s.create("entity=NewEntity(Cardholder),FirstName=A,LastName=One")
	g := s.create("entity=NewEntity(Cardholder),FirstName=B,LastName=Two")
	code, msg := s.fail("POST", q("/WebSdk/entity", "entity=NewEntity(Cardholder),FirstName=C,LastName=Three,Guid"))
	assert.Equal(t, "InvalidOperation", code)
	assert.Equal(t, fmt.Sprintf("NewEntity(Cardholder): the Security Center holds %d entities, its most: delete some first", n+2), msg)
	assert.Equal(t, n+2, s.gs.Entities())
	s.ok("DELETE", "/WebSdk/entity/"+g, nil)
	s.create("entity=NewEntity(Cardholder),FirstName=C,LastName=Three")
}
