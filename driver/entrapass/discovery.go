package entrapass

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/pacsim/pacsim/driver/asset"
)

// Asset naming (SPEC §6: "Reader (Door ID of its door)").
//
// SmartService has no reader component: readers are addressed through their
// door (DisableReader / DisableReader2 with id=<door>) and their state is on
// their door's row (READERDISABLE, READERDISABLE2). So the driver makes one
// Reader asset per door, reader/<door id>, whose required "Door ID" is its
// door's id: it is the door's first (entry) reader, read from READERDISABLE
// and commanded by DisableReader/EnableReader. The second reader's state is
// the reader asset's property "Reader 2 Disabled" (True/False, from
// READERDISABLE2); it has no asset of its own.

// Properties the driver sets besides the required ones.
const (
	PropSite            = "Site"
	PropSiteID          = "Site ID"
	PropControllerID    = "Controller ID"
	PropKTType          = "KT Type"
	PropDoor            = "Door"
	PropReader2Disabled = "Reader 2 Disabled"
	PropActive          = "Active"
	PropTemporary       = "Temporarily Active"
	PropShunted         = "Shunted"
	PropUnlockedTemp    = "Temporarily Unlocked"
)

// kind is what a component id is, as discovered.
type kind uint8

const (
	kindUnknown kind = iota
	kindGateway
	kindSite
	kindController
	kindDoor
	kindInput
	kindOutput
)

// component is one discovered component.
type component struct {
	id     int
	kind   kind
	name   string
	site   int
	ktType string
}

// topology is the site as discovered over SmartService.
type topology struct {
	byID      map[int]*component
	sites     []*component
	gateways  []*component
	doors     []*component
	inputs    []*component
	outputs   []*component
	ctrls     []*component
	doorNames map[string][]int // a door's name → its ids (names are unique per site)
}

func newTopology() *topology {
	return &topology{byID: map[int]*component{}, doorNames: map[string][]int{}}
}

func (t *topology) kindOf(id int) kind {
	if c, ok := t.byID[id]; ok {
		return c.kind
	}
	return kindUnknown
}

// add records a component; an id already known as another kind is refused
// (EntraPass ids are global).
func (t *topology) add(c *component) error {
	if old, ok := t.byID[c.id]; ok {
		if old.kind == c.kind {
			return nil
		}
		return fmt.Errorf("component %d is listed both as %s %q and as %s %q", c.id, old.kind, old.name, c.kind, c.name)
	}
	t.byID[c.id] = c
	switch c.kind {
	case kindGateway:
		t.gateways = append(t.gateways, c)
	case kindSite:
		t.sites = append(t.sites, c)
	case kindController:
		t.ctrls = append(t.ctrls, c)
	case kindDoor:
		t.doors = append(t.doors, c)
		t.doorNames[c.name] = append(t.doorNames[c.name], c.id)
	case kindInput:
		t.inputs = append(t.inputs, c)
	case kindOutput:
		t.outputs = append(t.outputs, c)
	}
	return nil
}

func (k kind) String() string {
	return [...]string{"unknown", "gateway", "site", "controller", "door", "input", "output"}[k]
}

// registration returns the ids whose state rows the driver polls: gateways
// and controllers (for the System asset), doors (doors and readers), inputs
// and outputs. withInfra false leaves gateways and controllers out, for a
// server that refuses to register them.
func (t *topology) registration(withInfra bool) []int {
	var ids []int
	if withInfra {
		for _, c := range t.gateways {
			ids = append(ids, c.id)
		}
		for _, c := range t.ctrls {
			ids = append(ids, c.id)
		}
	}
	for _, list := range [][]*component{t.doors, t.inputs, t.outputs} {
		for _, c := range list {
			ids = append(ids, c.id)
		}
	}
	return ids
}

// gatewayByName finds a gateway by the name an event gives it. When the
// server never told the gateways' names and there is one gateway, it is
// that one, and it learns the name.
func (t *topology) gatewayByName(name string) (*component, bool) {
	for _, g := range t.gateways {
		if g.name == name {
			return g, true
		}
	}
	var unnamed []*component
	for _, g := range t.gateways {
		if g.name == "" {
			unnamed = append(unnamed, g)
		}
	}
	if len(unnamed) == 1 && len(t.gateways) == 1 {
		unnamed[0].name = name
		return unnamed[0], true
	}
	return nil, false
}

// discover reads the site: gateway sites, and per site its relays, inputs
// and doors; per door its controller (Doors/{id}, optional).
func (d *Driver) discover(ctx context.Context) (*topology, error) {
	c := d.client
	t := newTopology()
	lights, err := c.GatewaysSites(ctx)
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	// GatewaysSites lists gateway sites, each owned by its gateway; an
	// entry that owns others is a gateway itself (a server may list them).
	owners := map[int]bool{}
	for _, l := range lights {
		if l.Owner > 0 {
			owners[l.Owner] = true
		}
	}
	for _, l := range lights {
		if owners[l.ID] {
			if err := t.add(&component{id: l.ID, kind: kindGateway, name: l.Description}); err != nil {
				return nil, fmt.Errorf("discovery: %w", err)
			}
		}
	}
	for _, l := range lights {
		if owners[l.ID] {
			continue
		}
		if l.Owner > 0 && t.kindOf(l.Owner) == kindUnknown {
			if err := t.add(&component{id: l.Owner, kind: kindGateway}); err != nil {
				return nil, fmt.Errorf("discovery: %w", err)
			}
		}
		if err := t.add(&component{id: l.ID, kind: kindSite, name: l.Description, site: l.Owner}); err != nil {
			return nil, fmt.Errorf("discovery: %w", err)
		}
	}
	for _, s := range slices.Clone(t.sites) {
		relays, err := c.SiteRelays(ctx, s.id)
		if err != nil {
			return nil, fmt.Errorf("discovery of site %d (%s): %w", s.id, s.name, err)
		}
		for _, l := range relays {
			if err := t.add(&component{id: l.ID, kind: kindOutput, name: l.Description, site: s.id}); err != nil {
				return nil, fmt.Errorf("discovery: %w", err)
			}
		}
		inputs, err := c.SiteInputs(ctx, s.id)
		if err != nil {
			return nil, fmt.Errorf("discovery of site %d (%s): %w", s.id, s.name, err)
		}
		for _, l := range inputs {
			if err := t.add(&component{id: l.ID, kind: kindInput, name: l.Description, site: s.id}); err != nil {
				return nil, fmt.Errorf("discovery: %w", err)
			}
		}
		doors, err := c.SiteDoors(ctx, s.id)
		if err != nil {
			return nil, fmt.Errorf("discovery of site %d (%s): %w", s.id, s.name, err)
		}
		for _, dr := range doors {
			if err := t.add(&component{id: dr.ID, kind: kindDoor, name: dr.Name, site: s.id, ktType: dr.KTType}); err != nil {
				return nil, fmt.Errorf("discovery: %w", err)
			}
		}
	}
	// Controllers, for the System asset: FKController of each door. A
	// server whose <Door> lacks it leaves the System to the components'
	// own CONTROLLERFAILURE flags.
	d.doorCtrl = map[int]int{}
	for _, dr := range t.doors {
		door, err := c.Door(ctx, dr.id)
		if err != nil {
			var f *Fault
			if errors.As(err, &f) {
				d.log.Warn("entrapass: discovery: door details refused; its controller is unknown", "door", dr.id, "error", err)
				continue
			}
			return nil, fmt.Errorf("discovery of door %d (%s): %w", dr.id, dr.name, err)
		}
		if door.Controller > 0 {
			d.doorCtrl[dr.id] = door.Controller
			if t.kindOf(door.Controller) == kindUnknown {
				if err := t.add(&component{id: door.Controller, kind: kindController, name: "Controller " + strconv.Itoa(door.Controller), site: dr.site}); err != nil {
					return nil, fmt.Errorf("discovery: %w", err)
				}
			}
		}
	}
	for _, names := range t.doorNames {
		if len(names) > 1 {
			d.log.Warn("entrapass: discovery: several doors share a name; their access events cannot be told apart", "doors", names)
		}
	}
	d.log.Info("entrapass: discovered", "gateways", len(t.gateways), "sites", len(t.sites), "controllers", len(t.ctrls),
		"doors", len(t.doors), "inputs", len(t.inputs), "outputs", len(t.outputs))
	return t, nil
}

// addAssets puts the discovered components in the registry (those already
// there are kept as they are).
func (d *Driver) addAssets(t *topology) error {
	siteName := func(id int) string {
		if s, ok := t.byID[id]; ok {
			return s.name
		}
		return ""
	}
	var errs []error
	add := func(ref asset.Ref, name string, props map[string]string) {
		if err := d.reg.Add(ref, name, props); err != nil && !errors.Is(err, asset.ErrDuplicateAsset) {
			errs = append(errs, err)
		}
	}
	for _, c := range t.doors {
		id := strconv.Itoa(c.id)
		props := map[string]string{asset.PropDoorID: id, PropSite: siteName(c.site), PropSiteID: strconv.Itoa(c.site)}
		if ctrl := d.doorCtrl[c.id]; ctrl > 0 {
			props[PropControllerID] = strconv.Itoa(ctrl)
		}
		if c.ktType != "" {
			props[PropKTType] = c.ktType
		}
		add(asset.Ref{Type: asset.Door, ID: c.id}, c.name, props)
		add(asset.Ref{Type: asset.Reader, ID: c.id}, c.name+" reader",
			map[string]string{asset.PropDoorID: id, PropDoor: c.name, PropSite: siteName(c.site)})
	}
	for _, c := range t.outputs {
		add(asset.Ref{Type: asset.Output, ID: c.id}, c.name,
			map[string]string{asset.PropOutputID: strconv.Itoa(c.id), PropSite: siteName(c.site), PropSiteID: strconv.Itoa(c.site)})
	}
	for _, c := range t.inputs {
		add(asset.Ref{Type: asset.Input, ID: c.id}, c.name,
			map[string]string{asset.PropInputID: strconv.Itoa(c.id), PropSite: siteName(c.site), PropSiteID: strconv.Itoa(c.site)})
	}
	return errors.Join(errs...)
}
