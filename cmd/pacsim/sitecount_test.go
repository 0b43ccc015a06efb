package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// The counts serve prints at start are the world's.
func TestCountSiteIsTheWorlds(t *testing.T) {
	for _, sf := range []*sim.SiteFile{sim.DefaultSite(), mustGenerate(t, sim.GenerateOptions{Doors: 30, Users: 5, Seed: 2})} {
		w, err := sim.New(sf)
		require.NoError(t, err)
		snap := w.Snapshot()
		assert.Equal(t, siteCount{
			gateways: len(snap.Gateways), sites: len(snap.Sites), controllers: len(snap.Controllers), doors: len(snap.Doors),
			readers: len(snap.Readers), inputs: len(snap.Inputs), outputs: len(snap.Outputs),
		}, countSite(sf))
	}
}

func mustGenerate(t *testing.T, o sim.GenerateOptions) *sim.SiteFile {
	sf, err := sim.Generate(o)
	require.NoError(t, err)
	return sf
}
