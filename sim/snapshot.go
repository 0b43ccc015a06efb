package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// GatewayState is a gateway as the control API shows it.
type GatewayState struct {
	ID        ID     `json:"id"`
	GUID      string `json:"guid"`
	Name      string `json:"name"`
	Connected bool   `json:"connected"`
	Version   uint64 `json:"version"`
}

// SiteState is a site (EntraPass GatewaySite).
type SiteState struct {
	ID      ID     `json:"id"`
	GUID    string `json:"guid"`
	Name    string `json:"name"`
	Gateway ID     `json:"gateway"`
	Version uint64 `json:"version"`
}

// ControllerState is a controller. Reachable is false while it or its
// gateway is cut off.
type ControllerState struct {
	ID        ID     `json:"id"`
	GUID      string `json:"guid"`
	Name      string `json:"name"`
	Model     string `json:"model"`
	KTType    string `json:"kttype"`
	Site      ID     `json:"site"`
	Gateway   ID     `json:"gateway"`
	Online    bool   `json:"online"`
	Fault     bool   `json:"fault"`
	Reachable bool   `json:"reachable"`
	Version   uint64 `json:"version"`
}

// DoorState is a door's lock and contact.
type DoorState struct {
	ID         ID           `json:"id"`
	GUID       string       `json:"guid"`
	Name       string       `json:"name"`
	Site       ID           `json:"site"`
	Controller ID           `json:"controller"`
	Readers    []ID         `json:"readers"`
	Lock       LockState    `json:"lock"`
	Contact    ContactState `json:"contact"`
	// UnlockRemaining is what is left of a temporary or access unlock.
	UnlockRemaining Seconds `json:"unlock_remaining_s,omitempty"`
	// Trouble is set while one of its readers is in fault.
	Trouble bool `json:"trouble"`
	// Reachable is false while its controller cannot report.
	Reachable bool `json:"reachable"`
	Fault     bool `json:"controller_fault"`
	// UnlockTime, OpenTime and Prealarm are the door's timings (site file:
	// unlock_time, open_time, prealarm): a grant unlocks it for UnlockTime;
	// open past OpenTime it is held open, Prealarm before that pre-alarmed.
	UnlockTime Seconds `json:"unlock_time_s"`
	OpenTime   Seconds `json:"open_time_s"`
	Prealarm   Seconds `json:"prealarm_s"`
	Version    uint64  `json:"version"`
}

// ReaderState is a reader.
type ReaderState struct {
	ID      ID     `json:"id"`
	GUID    string `json:"guid"`
	Name    string `json:"name"`
	Door    ID     `json:"door"`
	Enabled bool   `json:"enabled"`
	Fault   bool   `json:"fault"`
	Keypad  bool   `json:"keypad"`
	// Second is the door's second (exit) reader.
	Second    bool   `json:"second"`
	Reachable bool   `json:"reachable"`
	Version   uint64 `json:"version"`
}

// InputState is an input; State is "normal" or "alarm".
type InputState struct {
	ID               ID      `json:"id"`
	GUID             string  `json:"guid"`
	Name             string  `json:"name"`
	Controller       ID      `json:"controller"`
	State            string  `json:"state"`
	Tamper           bool    `json:"tamper"`
	Trouble          bool    `json:"trouble"`
	Shunted          bool    `json:"shunted"`
	ShuntedRemaining Seconds `json:"shunted_remaining_s,omitempty"`
	Reachable        bool    `json:"reachable"`
	Version          uint64  `json:"version"`
}

// OutputState is an output (relay).
type OutputState struct {
	ID              ID      `json:"id"`
	GUID            string  `json:"guid"`
	Name            string  `json:"name"`
	Controller      ID      `json:"controller"`
	Active          bool    `json:"active"`
	ActiveRemaining Seconds `json:"active_remaining_s,omitempty"`
	Fault           bool    `json:"fault"`
	Trouble         bool    `json:"trouble"`
	Reachable       bool    `json:"reachable"`
	Version         uint64  `json:"version"`
}

// Seconds is a duration shown in whole seconds, rounded up.
type Seconds int

func toSeconds(d time.Duration) Seconds {
	return Seconds((d + time.Second - 1) / time.Second)
}

// Snapshot is every component with its current state, grouped by kind.
type Snapshot struct {
	Time        time.Time         `json:"time"`
	Version     uint64            `json:"version"`
	Gateways    []GatewayState    `json:"gateways"`
	Sites       []SiteState       `json:"sites"`
	Controllers []ControllerState `json:"controllers"`
	Doors       []DoorState       `json:"doors"`
	Readers     []ReaderState     `json:"readers"`
	Inputs      []InputState      `json:"inputs"`
	Outputs     []OutputState     `json:"outputs"`
}

// Components is how many components s holds.
func (s Snapshot) Components() int {
	return len(s.Gateways) + len(s.Sites) + len(s.Controllers) + len(s.Doors) +
		len(s.Readers) + len(s.Inputs) + len(s.Outputs)
}

// IDs lists every component's id: gateways, sites, controllers, doors,
// readers, inputs, then outputs, each in the snapshot's order.
func (s Snapshot) IDs() []ID {
	ids := make([]ID, 0, s.Components())
	for _, x := range s.Gateways {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Sites {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Controllers {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Doors {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Readers {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Inputs {
		ids = append(ids, x.ID)
	}
	for _, x := range s.Outputs {
		ids = append(ids, x.ID)
	}
	return ids
}

// Snapshot returns every component's state at one instant.
func (w *World) Snapshot() Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := Snapshot{
		Time:        w.clock.Now(),
		Version:     w.version,
		Gateways:    make([]GatewayState, len(w.gateways)),
		Sites:       make([]SiteState, len(w.sites)),
		Controllers: make([]ControllerState, len(w.controllers)),
		Doors:       make([]DoorState, len(w.doors)),
		Readers:     make([]ReaderState, len(w.readers)),
		Inputs:      make([]InputState, len(w.inputs)),
		Outputs:     make([]OutputState, len(w.outputs)),
	}
	for i, g := range w.gateways {
		s.Gateways[i] = w.gatewayState(g)
	}
	for i, x := range w.sites {
		s.Sites[i] = SiteState{ID: x.id, GUID: x.guid, Name: x.name, Gateway: x.gw.id, Version: x.version}
	}
	for i, c := range w.controllers {
		s.Controllers[i] = w.controllerState(c)
	}
	for i, d := range w.doors {
		s.Doors[i] = w.doorState(d)
	}
	for i, r := range w.readers {
		s.Readers[i] = w.readerState(r)
	}
	for i, in := range w.inputs {
		s.Inputs[i] = w.inputState(in)
	}
	for i, o := range w.outputs {
		s.Outputs[i] = w.outputState(o)
	}
	return s
}

func (w *World) gatewayState(g *gateway) GatewayState {
	return GatewayState{ID: g.id, GUID: g.guid, Name: g.name, Connected: g.connected, Version: g.version}
}

func (w *World) controllerState(c *controller) ControllerState {
	return ControllerState{ID: c.id, GUID: c.guid, Name: c.name, Model: c.model.Name, KTType: c.model.KTType,
		Site: c.site.id, Gateway: c.gw.id, Online: !c.cut, Fault: c.fault, Reachable: c.reachable(), Version: c.version}
}

func (w *World) doorState(d *door) DoorState {
	ds := DoorState{ID: d.id, GUID: d.guid, Name: d.name, Site: d.ctrl.site.id, Controller: d.ctrl.id,
		Readers: make([]ID, len(d.readers)), Lock: d.lock, Contact: d.contact,
		UnlockRemaining: toSeconds(w.remaining(&d.relock)), Reachable: d.ctrl.reachable(), Fault: d.ctrl.fault, Version: d.version,
		UnlockTime: toSeconds(d.spec.UnlockTime.D()), OpenTime: toSeconds(d.spec.OpenTime.D()), Prealarm: toSeconds(d.spec.Prealarm.D())}
	for i, r := range d.readers {
		ds.Readers[i] = r.id
		ds.Trouble = ds.Trouble || r.fault
	}
	return ds
}

func (w *World) readerState(r *reader) ReaderState {
	return ReaderState{ID: r.id, GUID: r.guid, Name: r.name, Door: r.door.id, Enabled: r.enabled, Fault: r.fault,
		Keypad: r.keypad, Second: r.second, Reachable: r.door.ctrl.reachable(), Version: r.version}
}

func (w *World) inputState(in *input) InputState {
	st := "normal"
	if in.alarm {
		st = "alarm"
	}
	return InputState{ID: in.id, GUID: in.guid, Name: in.name, Controller: in.ctrl.id, State: st, Tamper: in.tamper,
		Trouble: in.trouble, Shunted: in.shunted, ShuntedRemaining: toSeconds(w.remaining(&in.shunt)),
		Reachable: in.ctrl.reachable(), Version: in.version}
}

func (w *World) outputState(o *output) OutputState {
	return OutputState{ID: o.id, GUID: o.guid, Name: o.name, Controller: o.ctrl.id, Active: o.active,
		ActiveRemaining: toSeconds(w.remaining(&o.tempo)), Fault: o.fault, Trouble: o.trouble,
		Reachable: o.ctrl.reachable(), Version: o.version}
}

// Gateway returns one gateway's state.
func (w *World) Gateway(id ID) (GatewayState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	x, err := w.gateway(id)
	if err != nil {
		return GatewayState{}, err
	}
	return w.gatewayState(x), nil
}

// Site returns one site's state.
func (w *World) Site(id ID) (SiteState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i, err := w.lookup(id, KindSite)
	if err != nil {
		return SiteState{}, err
	}
	x := w.sites[i]
	return SiteState{ID: x.id, GUID: x.guid, Name: x.name, Gateway: x.gw.id, Version: x.version}, nil
}

// Controller returns one controller's state.
func (w *World) Controller(id ID) (ControllerState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	x, err := w.controller(id)
	if err != nil {
		return ControllerState{}, err
	}
	return w.controllerState(x), nil
}

// Door returns one door's state.
func (w *World) Door(id ID) (DoorState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.door(id)
	if err != nil {
		return DoorState{}, err
	}
	return w.doorState(d), nil
}

// Reader returns one reader's state.
func (w *World) Reader(id ID) (ReaderState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, err := w.reader(id)
	if err != nil {
		return ReaderState{}, err
	}
	return w.readerState(r), nil
}

// Input returns one input's state.
func (w *World) Input(id ID) (InputState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	in, err := w.input(id)
	if err != nil {
		return InputState{}, err
	}
	return w.inputState(in), nil
}

// Output returns one output's state.
func (w *World) Output(id ID) (OutputState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	x, err := w.output(id)
	if err != nil {
		return OutputState{}, err
	}
	return w.outputState(x), nil
}

// Name returns a component's name.
func (w *World) Name(id ID) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, ok := w.index.get(id)
	if !ok {
		return "", false
	}
	return w.baseOf(r).name, true
}

// ChangedSince calls fn for each of ids whose state changed after version
// v (all of them when v is 0), with its kind; unknown ids are skipped.
// It is how a head-end answers "what changed since my last poll".
func (w *World) ChangedSince(v uint64, ids []ID, fn func(id ID, k Kind)) {
	w.mu.Lock()
	type hit struct {
		id ID
		k  Kind
	}
	var hits []hit
	for _, id := range ids {
		r, ok := w.index.get(id)
		if !ok {
			continue
		}
		if v == 0 || w.baseOf(r).version > v {
			hits = append(hits, hit{id, r.kind})
		}
	}
	w.mu.Unlock()
	for _, h := range hits {
		fn(h.id, h.k)
	}
}

// FindByName returns the id of the component of kind k named name, compared
// case-insensitively (names are unique per kind in a site, so a name
// identifies a component, as event texts rely on). The error of an unknown
// name lists the names there are.
func (w *World) FindByName(k Kind, name string) (ID, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var names []string
	for id, r := range w.index.all() {
		if r.kind != k {
			continue
		}
		b := w.baseOf(r)
		if strings.EqualFold(b.name, name) {
			return id, nil
		}
		names = append(names, strconv.Quote(b.name))
	}
	slices.Sort(names)
	return 0, fmt.Errorf("%w: no %s is named %q (there are %s)", ErrUnknownID, k, name, strings.Join(names, ", "))
}
