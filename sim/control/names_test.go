package control

import (
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// The names the event path reads are the world's, every component's.
func TestComponentNamesAreTheWorlds(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 37, Users: 5, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	w, err := sim.New(sf)
	if err != nil {
		t.Fatal(err)
	}
	names := componentNames(sf)
	snap := w.Snapshot()
	want := map[sim.ID]string{}
	for _, x := range snap.Gateways {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Sites {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Controllers {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Doors {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Readers {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Inputs {
		want[x.ID] = x.Name
	}
	for _, x := range snap.Outputs {
		want[x.ID] = x.Name
	}
	if len(names) != len(want) {
		t.Fatalf("%d names, the world has %d components", len(names), len(want))
	}
	for id, n := range want {
		if names[id] != n {
			t.Errorf("component %d: name %q, the world's is %q", id, names[id], n)
		}
	}
}
