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
	if n := w.Snapshot().Components(); len(names) != n {
		t.Fatalf("%d names, the world has %d components", len(names), n)
	}
	for id, n := range names {
		if want, ok := w.Name(id); !ok || n != want {
			t.Errorf("component %d: name %q, the world's is %q (known: %v)", id, n, want, ok)
		}
	}
}
