package entrapass

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// A card user created with an id it chose (POST Cards/{id}) may not take
// the id of another object of the site: EntraPass ids share one number
// space. The answer names what holds the id, hardware or not.
func TestCreateWithTheIDOfAnotherObject(t *testing.T) {
	s := newSite(t)
	key := s.login()
	sf := s.srv.world.File()
	door := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	reader := door.Readers[0]
	for id, what := range map[int]string{
		int(sf.Gateways[0].ID): "a gateway", int(door.ID): "a door", int(reader.ID): "a reader",
		sf.Schedules[0].ID: "a schedule", sf.AccessLevels[0].ID: "an access level",
	} {
		f := requireFault(t, s.ok(http.MethodPost, with(fmt.Sprintf("Cards/%d", id), key), "<Card><UserName>Chooser</UserName></Card>"), wire.CodeInvalidParameter)
		assert.Contains(t, f.VisibleMessage, fmt.Sprintf("%d is the id of %s, not of a card user", id, what))
	}
	assert.Equal(t, "<int>777777</int>", s.ok(http.MethodPost, with("Cards/777777", key), "<Card><UserName>Chooser</UserName></Card>"), "a free id is taken")
}
