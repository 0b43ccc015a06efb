package sim

import "fmt"

type gateway struct {
	base
	connected   bool
	sites       []*site
	controllers []*controller
}

type site struct {
	base
	gw *gateway
}

type controller struct {
	base
	site  *site
	gw    *gateway
	model ControllerModel
	// what is wired to it, so a cut touches only its own components
	doors   []*door
	inputs  []*input
	outputs []*output
	// cut is a communication failure: the controller works on alone and
	// keeps its events until it is heard again.
	cut bool
	// fault is a hardware fault: the controller cannot decide access.
	fault bool
	// lost: the journal shows a communication failure not yet followed by
	// "Controller communication restored". A controller restored behind a
	// disconnected gateway is only heard again when the gateway connects.
	lost bool
	// copy is what the head-end had sent c when c was last cut off from
	// the server, nil while c is in touch (download.go).
	copy Frozen
}

// reachable reports whether the controller's events and commands get
// through: its own link and its gateway's are both up.
func (c *controller) reachable() bool { return !c.cut && c.gw.connected }

// command checks that a command can reach and be carried out by c.
func (c *controller) command() error {
	if !c.reachable() {
		return fmt.Errorf("%w: controller %q cannot be reached", ErrUnreachable, c.name)
	}
	if c.fault {
		return fmt.Errorf("%w: controller %q is in fault", ErrFault, c.name)
	}
	return nil
}

// CutController cuts a controller's communication (Controller communication
// failure). It works on alone: doors, readers and inputs behave as before,
// and their events are held until RestoreController.
func (w *World) CutController(id ID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, err := w.controller(id)
	if err != nil {
		return err
	}
	if c.cut {
		return fmt.Errorf("%w: controller %q is already cut off", ErrState, c.name)
	}
	c.cut = true
	c.lost = true
	w.freeze(c)
	w.touchController(c)
	// The server notices the loss itself, so this event is not held.
	w.journalNow(Event{Type: EventControllerCommFailure, Source: c.id, Kind: KindController, Controller: c.id})
	return nil
}

// RestoreController ends a communication failure; the events held meanwhile
// are delivered after "Controller communication restored", in order.
func (w *World) RestoreController(id ID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, err := w.controller(id)
	if err != nil {
		return err
	}
	if !c.cut {
		return fmt.Errorf("%w: controller %q is not cut off", ErrState, c.name)
	}
	c.cut = false
	w.touchController(c)
	if c.gw.connected {
		w.thaw(c)
		w.commRestored(c)
	}
	w.release()
	return nil
}

// commRestored journals that c is heard again. Called locked.
func (w *World) commRestored(c *controller) {
	c.lost = false
	w.journalNow(Event{Type: EventControllerCommRestored, Source: c.id, Kind: KindController, Controller: c.id})
}

// SetControllerFault puts a controller in or out of hardware fault. In fault
// it denies every card (controller offline) and refuses commands.
func (w *World) SetControllerFault(id ID, fault bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, err := w.controller(id)
	if err != nil {
		return err
	}
	if c.fault == fault {
		return nil
	}
	c.fault = fault
	w.touchController(c)
	t := EventControllerFault
	if !fault {
		t = EventControllerFaultRestore
	}
	w.emit(Event{Type: t, Source: c.id, Kind: KindController}, c)
	return nil
}

// DisconnectGateway cuts a gateway off: every controller behind it is
// unreachable and holds its events until ConnectGateway.
func (w *World) DisconnectGateway(id ID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	g, err := w.gateway(id)
	if err != nil {
		return err
	}
	if !g.connected {
		return fmt.Errorf("%w: gateway %q is already disconnected", ErrState, g.name)
	}
	g.connected = false
	for _, c := range g.controllers {
		w.freeze(c)
	}
	w.touchGateway(g)
	w.journalNow(Event{Type: EventGatewayDisconnected, Source: g.id, Kind: KindGateway})
	return nil
}

// ConnectGateway reconnects a gateway and delivers what its controllers held.
func (w *World) ConnectGateway(id ID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	g, err := w.gateway(id)
	if err != nil {
		return err
	}
	if g.connected {
		return fmt.Errorf("%w: gateway %q is already connected", ErrState, g.name)
	}
	g.connected = true
	w.touchGateway(g)
	w.journalNow(Event{Type: EventGatewayConnected, Source: g.id, Kind: KindGateway})
	// A controller restored while its gateway was away is heard only now:
	// journal its restore before the events it held, as RestoreController
	// does.
	for _, c := range g.controllers {
		if !c.cut {
			w.thaw(c)
		}
		if c.lost && !c.cut {
			w.commRestored(c)
		}
	}
	w.release()
	return nil
}

// journalNow journals an event the server raises itself (never held).
func (w *World) journalNow(e Event) uint64 {
	e.Time = w.clock.Now()
	return w.journal.Append(e)
}

// touchController marks a controller and everything wired to it changed,
// since head-ends show CONTROLLERFAILURE on each of their rows.
func (w *World) touchController(c *controller) {
	w.touch(&c.base)
	v := w.version
	for _, d := range c.doors {
		d.version = v
		for _, r := range d.readers {
			r.version = v
		}
	}
	for _, in := range c.inputs {
		in.version = v
	}
	for _, o := range c.outputs {
		o.version = v
	}
}

func (w *World) touchGateway(g *gateway) {
	w.touch(&g.base)
	for _, c := range g.controllers {
		w.touchController(c)
	}
	for _, s := range g.sites {
		s.version = w.version
	}
}
