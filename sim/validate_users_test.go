package sim_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// The validator builds a card user's path only for a message (a million
// users must not cost a million Sprintf calls): the messages stay whole.
func TestValidateUserMessages(t *testing.T) {
	base := func() *sim.SiteFile {
		sf, err := sim.Generate(sim.GenerateOptions{Doors: 4, Users: 3, Seed: 1})
		require.NoError(t, err)
		return sf
	}
	cases := []struct {
		name   string
		change func(sf *sim.SiteFile)
		want   func(sf *sim.SiteFile) string
	}{
		{"id taken by an earlier user", func(sf *sim.SiteFile) { sf.Users[2].ID = sf.Users[0].ID },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: users[2].id: id %d is already used by users[0]", sf.Users[0].ID)
			}},
		{"id taken by a door", func(sf *sim.SiteFile) { sf.Users[1].ID = int(sf.Gateways[0].Sites[0].Controllers[0].Doors[0].ID) },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: users[1].id: id %d is already used by gateways[0].sites[0].controllers[0].doors[0]", sf.Users[1].ID)
			}},
		{"id zero", func(sf *sim.SiteFile) { sf.Users[1].ID = 0 },
			func(*sim.SiteFile) string { return "site file: users[1].id: must be a positive integer, got 0" }},
		{"card held by an earlier user", func(sf *sim.SiteFile) { sf.Users[2].Cards[0].Number = sf.Users[0].Cards[0].Number },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: users[2].cards[0].number: card %s is already held by users[0]", sf.Users[0].Cards[0].Number)
			}},
		{"two levels for one site", func(sf *sim.SiteFile) { sf.Users[1].AccessLevels = []int{sf.AccessLevels[0].ID, sf.AccessLevels[1].ID} },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: users[1].access_levels[1]: access levels %d and %d are both for site %d; a card user has one per site",
					sf.AccessLevels[0].ID, sf.AccessLevels[1].ID, sf.AccessLevels[0].Site)
			}},
		// Duplicate ids are found after the file is read (validate.go):
		// still the first error in the file's order is the one given.
		{"an error before a duplicate id", func(sf *sim.SiteFile) { sf.Users[0].End = "soon"; sf.Users[2].ID = sf.Users[1].ID },
			func(*sim.SiteFile) string { return `site file: users[0].end: "soon" is not a date like 2026-12-31` }},
		{"a duplicate id before an error", func(sf *sim.SiteFile) { sf.Users[1].ID = sf.Users[0].ID; sf.Users[2].End = "soon" },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: users[1].id: id %d is already used by users[0]", sf.Users[0].ID)
			}},
		{"a door's id taken again by a card type", func(sf *sim.SiteFile) { sf.CardTypes[0].ID = int(sf.Gateways[0].Sites[0].Controllers[0].Doors[0].ID) },
			func(sf *sim.SiteFile) string {
				return fmt.Sprintf("site file: card_types[0].id: id %d is already used by gateways[0].sites[0].controllers[0].doors[0]", sf.CardTypes[0].ID)
			}},
		{"bad end date", func(sf *sim.SiteFile) { sf.Users[0].End = "2026-13-01" },
			func(*sim.SiteFile) string {
				return `site file: users[0].end: "2026-13-01" is not a date like 2026-12-31`
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sf := base()
			c.change(sf)
			err := sf.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, sim.ErrSiteFile)
			assert.Equal(t, c.want(sf), err.Error())
		})
	}
}

// A date with a time, and one with a T, still read after a plain date
// became the first layout tried.
func TestSiteTimeLayouts(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 4, Users: 3, Seed: 1})
	require.NoError(t, err)
	sf.Users[0].Start, sf.Users[0].End = "2026-01-05 08:00:00", "2026-02-01T18:30:00"
	sf.Users[1].End = "2026-03-01"
	require.NoError(t, sf.Validate())
}
