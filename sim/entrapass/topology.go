package entrapass

import (
	"github.com/pacsim/pacsim/sim"
)

// topology is the site's hardware as SmartService lists it: names, owners
// and wiring. None of it changes while the world runs (World.Reset rebuilds
// from the same file), so it is read once and then without any lock: the
// event path looks up a name per event and must not queue on the world.
type topology struct {
	names       map[sim.ID]string
	kinds       map[sim.ID]sim.Kind
	gateways    []sim.GatewayState
	sites       []sim.SiteState
	siteByID    map[sim.ID]sim.SiteState
	controllers map[sim.ID]sim.ControllerState
	doors       []doorInfo
	doorByID    map[sim.ID]*doorInfo
	inputs      []sim.InputState
	outputs     []sim.OutputState
	// readerDoor maps a reader to its door, so a changed reader brings
	// its door's status row with it.
	readerDoor map[sim.ID]sim.ID
}

// doorInfo is a door with what the door lists and <Door> show.
type doorInfo struct {
	id         sim.ID
	name       string
	site       sim.ID
	controller sim.ID
	kttype     string
	// readers are the door's readers, entry first; EntraPass addresses
	// them through the door (DisableReader, DisableReader2).
	readers []sim.ID
	spec    *sim.DoorSpec
}

func newTopology(w *sim.World) *topology {
	snap := w.Snapshot()
	// Sized up front: on the 100,000-door site growing these maps cost a
	// tenth of the start.
	n := snap.Components()
	t := &topology{
		names:       make(map[sim.ID]string, n),
		kinds:       make(map[sim.ID]sim.Kind, n),
		gateways:    snap.Gateways,
		sites:       snap.Sites,
		siteByID:    make(map[sim.ID]sim.SiteState, len(snap.Sites)),
		controllers: make(map[sim.ID]sim.ControllerState, len(snap.Controllers)),
		doorByID:    make(map[sim.ID]*doorInfo, len(snap.Doors)),
		inputs:      snap.Inputs,
		outputs:     snap.Outputs,
		readerDoor:  make(map[sim.ID]sim.ID, len(snap.Readers)),
	}
	add := func(id sim.ID, name string, k sim.Kind) {
		t.names[id] = name
		t.kinds[id] = k
	}
	for _, g := range snap.Gateways {
		add(g.ID, g.Name, sim.KindGateway)
	}
	for _, s := range snap.Sites {
		add(s.ID, s.Name, sim.KindSite)
		t.siteByID[s.ID] = s
	}
	for _, c := range snap.Controllers {
		add(c.ID, c.Name, sim.KindController)
		t.controllers[c.ID] = c
	}
	for _, r := range snap.Readers {
		add(r.ID, r.Name, sim.KindReader)
		t.readerDoor[r.ID] = r.Door
	}
	for _, in := range snap.Inputs {
		add(in.ID, in.Name, sim.KindInput)
	}
	for _, o := range snap.Outputs {
		add(o.ID, o.Name, sim.KindOutput)
	}
	specs := make(map[sim.ID]*sim.DoorSpec, len(snap.Doors))
	sf := w.File()
	for gi := range sf.Gateways {
		for si := range sf.Gateways[gi].Sites {
			for ci := range sf.Gateways[gi].Sites[si].Controllers {
				c := &sf.Gateways[gi].Sites[si].Controllers[ci]
				for di := range c.Doors {
					specs[c.Doors[di].ID] = &c.Doors[di]
				}
			}
		}
	}
	t.doors = make([]doorInfo, len(snap.Doors))
	for i, d := range snap.Doors {
		add(d.ID, d.Name, sim.KindDoor)
		t.doors[i] = doorInfo{id: d.ID, name: d.Name, site: d.Site, controller: d.Controller,
			kttype: t.controllers[d.Controller].KTType, readers: d.Readers, spec: specs[d.ID]}
		t.doorByID[d.ID] = &t.doors[i]
	}
	return t
}

// name returns a component's name ("" when unknown).
func (t *topology) name(id sim.ID) string { return t.names[id] }
